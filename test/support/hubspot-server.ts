import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';
import { answerCrm, hubspotError, type CrmAnswer, type CrmDataset } from '../../src/scoreboard/sources/hubspot/hubspot-crm.js';

export interface HubspotServer {
  url: string;
  requests: Array<{ method: string; path: string; authorization: string | undefined; body: unknown }>;
  close(): Promise<void>;
}

export interface HubspotServerOptions {
  dataset: CrmDataset;
  /** The only token accepted; others get HubSpot's 401. */
  token?: string;
  /** Scopes the token lacks: requests needing them get HubSpot's 403 MISSING_SCOPES body. */
  missingScopes?: string[];
  /** The first this many requests get a 429 with Retry-After and HubSpot's policy headers. */
  rateLimited?: number;
  /** The Retry-After those 429s carry, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** The first this many requests (after any 429s) get a 502, as a proxy in front of HubSpot may. */
  serverErrors?: number;
  /** Every request gets a 429 saying the account's daily limit is used up. */
  dailyLimitUsedUp?: boolean;
  /** Echoed in every error body and in a response header, to prove kpi never repeats it. */
  plantedSecret?: string;
}

/**
 * A HubSpot-compatible CRM API on loopback for tests: the in-process CRM (search with
 * filter groups, sorts, `after` paging and the 10,000 cap; properties; deal pipelines)
 * behind HubSpot's bearer-token authentication, scope checks and rate limits.
 */
export async function startHubspotServer(options: HubspotServerOptions): Promise<HubspotServer> {
  const requests: HubspotServer['requests'] = [];
  let limited = 0;
  let failed = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const path = request.url ?? '/';
      requests.push({ method: request.method ?? 'GET', path, authorization: request.headers.authorization, body });
      const planted = options.plantedSecret ? { 'x-echo': options.plantedSecret } : {};
      const send = (answer: CrmAnswer, headers: Record<string, string> = {}) => {
        const withSecret = answer.status >= 400 && options.plantedSecret ? { ...(answer.body as object), message: `${(answer.body as { message: string }).message} (token ${options.plantedSecret})` } : answer.body;
        response.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8', ...planted, ...headers });
        response.end(JSON.stringify(withSecret));
      };
      if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
        return send(hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'));
      }
      if (limited < (options.rateLimited ?? 0)) {
        limited += 1;
        return send(hubspotError(429, 'RATE_LIMITS', 'You have reached your secondly limit.', { policyName: 'SECONDLY' }), {
          'retry-after': String(options.retryAfterSeconds ?? 1),
          'x-hubspot-ratelimit-max': '5',
          'x-hubspot-ratelimit-remaining': '0',
          'x-hubspot-ratelimit-interval-milliseconds': '1000',
        });
      }
      if (options.dailyLimitUsedUp) {
        return send(hubspotError(429, 'RATE_LIMITS', 'You have reached your daily limit.', { policyName: 'DAILY' }), { 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '0' });
      }
      if (failed < (options.serverErrors ?? 0)) {
        failed += 1;
        return send(hubspotError(502, 'BAD_GATEWAY', 'Bad gateway'));
      }
      const scope = scopeOf(path);
      if (scope && options.missingScopes?.includes(scope)) {
        return send(
          hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          }),
        );
      }
      send(answerCrm(options.dataset, { method: request.method === 'POST' ? 'POST' : 'GET', path, body }));
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}

function scopeOf(path: string): string | null {
  const object = /^\/crm\/v3\/objects\/([a-z_]+)\//.exec(path)?.[1];
  if (object) return `crm.objects.${object}.read`;
  const schema = /^\/crm\/v3\/properties\/([a-z_]+)/.exec(path)?.[1];
  if (schema) return `crm.schemas.${schema}.read`;
  if (path.startsWith('/crm/v3/pipelines/deals')) return 'crm.objects.deals.read';
  return null;
}
