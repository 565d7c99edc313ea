/**
 * How kpi's HubSpot requests travel: over HTTP to the API (one rate limiter for the
 * whole report, retries bounded in time), or in-process to the demo's recorded CRM.
 */
import { readFileSync } from 'node:fs';
import { RateLimiter, SYSTEM_CLOCK, type Clock } from '../../../sources/stripe/transport/rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../sources/stripe/transport/retry.js';
import { causeOf, readBodyWithin } from '../bounded-read.js';
import { SourceError } from '../source-types.js';
import { answerCrm, type CrmDataset, type CrmRequest } from './hubspot-crm.js';

export interface HubspotAnswer {
  status: number;
  /** Parsed JSON; the raw text when an error answer is not JSON. */
  body: unknown;
  bytes: number;
  /** Requests sent for this answer, retries included. */
  attempts: number;
}

export interface HubspotTransport {
  /** Where the requests go, as `--verbose` shows it. */
  readonly location: string;
  /** The API needs a token; the demo's in-process CRM does not. */
  readonly needsToken: boolean;
  send(request: CrmRequest, token: string | undefined): Promise<HubspotAnswer>;
}

/** HubSpot private apps may send about 10-19 requests a second, and search 5: stay below. */
const REQUESTS_PER_SECOND = 4;
/** Waiting longer than this in all for rate limits makes the KPI n/a instead. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

export interface HttpTransportOptions {
  maxBodyBytes: number;
  clock?: Clock;
  policy?: RetryPolicy;
  random?: () => number;
}

export function httpHubspotTransport(base: URL, options: HttpTransportOptions): HubspotTransport {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const limiter = new RateLimiter(REQUESTS_PER_SECOND, clock);
  const root = base.href.replace(/\/+$/, '');
  let rateLimitWaited = 0;
  const backoff = (attempt: number) => random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return {
    location: base.origin,
    needsToken: true,
    async send(request, token) {
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kpi-cli' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      for (let attempt = 1; ; attempt++) {
        await limiter.acquire();
        let response: Response;
        try {
          response = await fetch(root + request.path, {
            method: request.method,
            headers,
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
            signal: AbortSignal.timeout(30_000),
            // A redirect would carry the token to wherever it points.
            redirect: 'manual',
          });
        } catch (error) {
          if (attempt < policy.maxAttempts) {
            await clock.sleep(backoff(attempt));
            continue;
          }
          throw new SourceError(`could not reach ${base.origin}: ${causeOf(error)}`);
        }
        if (response.status === 429) {
          await response.body?.cancel().catch(() => {});
          limiter.onRateLimited();
          if (response.headers.get('x-hubspot-ratelimit-daily-remaining') === '0') {
            throw new SourceError("HubSpot's daily API limit of this account is used up (HTTP 429); it resets at midnight in the account's time zone");
          }
          const wait = rateLimitWait(response) ?? backoff(attempt);
          if (attempt >= policy.maxAttempts) {
            throw new SourceError(`HubSpot kept answering 429 (rate limit) after ${attempt} attempts and ${Math.round(rateLimitWaited / 1000)} s of waiting; try again later`);
          }
          if (rateLimitWaited + wait > MAX_RATE_LIMIT_WAIT_MS) {
            // A Retry-After beyond what a run waits in all: say so rather than count attempts.
            throw new SourceError(
              `HubSpot asked kpi to wait ${Math.ceil(wait / 1000)} s more (HTTP 429, rate limit), beyond the ${Math.round(MAX_RATE_LIMIT_WAIT_MS / 1000)} s a run waits in all; try again later`,
            );
          }
          rateLimitWaited += wait;
          await clock.sleep(wait);
          continue;
        }
        if (response.status >= 500 && attempt < policy.maxAttempts) {
          await response.body?.cancel().catch(() => {});
          await clock.sleep(backoff(attempt));
          continue;
        }
        const { text, bytes } = await readBodyWithin(response, "HubSpot's answer", options.maxBodyBytes);
        return { status: response.status, body: parseJson(text, response.ok), bytes, attempts: attempt };
      }
    },
  };
}

/** `Retry-After` (seconds), or HubSpot's policy headers: none left in this interval, wait for the next. */
export function rateLimitWait(response: Pick<Response, 'headers'>): number | null {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const interval = response.headers.get('x-hubspot-ratelimit-interval-milliseconds');
  if (response.headers.get('x-hubspot-ratelimit-remaining') === '0' && interval && /^\d+$/.test(interval)) return Number(interval);
  return null;
}

function parseJson(text: string, mustBeJson: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (mustBeJson) throw new SourceError("HubSpot's answer is not JSON");
    return text;
  }
}

/** The demo's recorded CRM, answered in-process: no token, no network. */
export function datasetHubspotTransport(dataset: CrmDataset, location = 'the demo CRM'): HubspotTransport {
  return {
    location,
    needsToken: false,
    async send(request) {
      const answer = answerCrm(dataset, request);
      return { ...answer, bytes: Buffer.byteLength(JSON.stringify(answer.body)), attempts: 1 };
    },
  };
}

export function readCrmDataset(file: string): CrmDataset {
  return JSON.parse(readFileSync(file, 'utf8')) as CrmDataset;
}
