/**
 * The HTTP side: recording, simulated trouble, authentication, and writing Stripe-shaped
 * responses. Everything about the API itself lives in `routes.ts`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  internalError,
  invalidApiKey,
  methodNotAllowed,
  missingApiKey,
  rateLimited,
  unrecognizedUrl,
} from './errors.js';
import type { RenderContext } from './expand.js';
import { FaultPlan, TokenBucket, type FaultKind } from './faults.js';
import { parseQuery, type QueryObject } from './query.js';
import { isKnownPath, route } from './routes.js';
import { AccountStore } from './store.js';
import type { RecordedRequest, RunningStripeServer, StripeServerOptions } from './types.js';

export const DEFAULT_API_KEYS: readonly string[] = ['sk_test_kpi_valid'];
export const DEFAULT_ACCOUNT_ID = 'acct_1KpiTestServer0001';
export const DEFAULT_EMBEDDED_ITEMS_LIMIT = 20;
const HOST = '127.0.0.1';

type RuntimeOptions = Partial<Omit<StripeServerOptions, 'account'>>;

/** The mutable part of the server, rebuilt piecewise by `setOptions`. */
class Settings {
  apiKeys: ReadonlySet<string> = new Set(DEFAULT_API_KEYS);
  latencyMs = 0;
  limiter: TokenBucket | undefined;
  faults: FaultPlan | undefined;
  embeddedItemsLimit = DEFAULT_EMBEDDED_ITEMS_LIMIT;
  accountId = DEFAULT_ACCOUNT_ID;

  apply(patch: RuntimeOptions): void {
    if ('apiKeys' in patch) this.apiKeys = new Set(patch.apiKeys ?? DEFAULT_API_KEYS);
    if ('latencyMs' in patch) {
      const latency = patch.latencyMs ?? 0;
      if (!(latency >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latency}`);
      this.latencyMs = latency;
    }
    // A new limiter or fault plan starts fresh: full bucket, PRNG back at its seed.
    if ('rateLimitPerSecond' in patch) {
      this.limiter = patch.rateLimitPerSecond === undefined ? undefined : new TokenBucket(patch.rateLimitPerSecond);
    }
    if ('faults' in patch) this.faults = patch.faults ? new FaultPlan(patch.faults) : undefined;
    if ('accountId' in patch) this.accountId = patch.accountId ?? DEFAULT_ACCOUNT_ID;
    if ('embeddedItemsLimit' in patch) {
      const limit = patch.embeddedItemsLimit ?? DEFAULT_EMBEDDED_ITEMS_LIMIT;
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`embeddedItemsLimit must be a non-negative integer, got ${limit}`);
      this.embeddedItemsLimit = limit;
    }
  }
}

/** `startStripeServer` with a choice of port, for the CLI. */
export async function listenStripeServer(options: StripeServerOptions, port = 0): Promise<RunningStripeServer> {
  const { account, ...runtime } = options;
  const store = new AccountStore(account);
  const settings = new Settings();
  settings.apply(runtime);
  const requests: RecordedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  const nextRequestId = requestIdGenerator();

  const server = http.createServer((req, res) => {
    req.on('error', () => {});
    res.on('error', () => {});
    // Bodies are never read, but must be drained so keep-alive connections stay usable.
    req.resume();

    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    let query: QueryObject = {};
    let queryError: ApiError | undefined;
    try {
      query = parseQuery(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      queryError = error;
    }
    const authError = authenticate(req.headers.authorization, settings.apiKeys);
    const record: RecordedRequest = {
      method,
      path,
      query: JSON.parse(JSON.stringify(query)) as Record<string, unknown>,
      status: 0,
      authorized: authError === undefined,
    };
    requests.push(record);

    // Trouble is decided on arrival, in arrival order, so seeded runs are reproducible.
    const isRateLimited = settings.limiter ? !settings.limiter.tryTake() : false;
    const fault = isRateLimited ? undefined : settings.faults?.next();
    const ctx: RenderContext = { store, embeddedItemsLimit: settings.embeddedItemsLimit, apiKey: apiKeyFrom(req.headers.authorization), accountId: settings.accountId };

    const respond = (): void => {
      if (res.destroyed) return;
      const requestId = nextRequestId();
      if (isRateLimited || fault === '429') {
        record.status = send(res, requestId, rateLimited(), { 'Stripe-Rate-Limited-Reason': 'global-rate' });
        return;
      }
      if (fault === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      if (fault === '500') {
        record.status = send(res, requestId, internalError());
        return;
      }
      const outcome = handle(method, path, query, queryError, authError, ctx);
      record.status = send(res, requestId, outcome, {}, fault);
    };

    if (settings.latencyMs > 0) {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        respond();
      }, settings.latencyMs);
      pendingTimers.add(timer);
    } else {
      respond();
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${HOST}:${address.port}`,
    host: HOST,
    port: address.port,
    requests,
    setOptions: (patch) => settings.apply(patch),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Outcome = { status: number; payload: unknown } | ApiError;

function handle(
  method: string,
  path: string,
  query: QueryObject,
  queryError: ApiError | undefined,
  authError: ApiError | undefined,
  ctx: RenderContext,
): Outcome {
  try {
    // Stripe's order: authentication, then the URL, then the parameters.
    if (authError) return authError;
    if (method !== 'GET') return isKnownPath(path) ? methodNotAllowed(method, path) : unrecognizedUrl(method, path);
    const handler = route(method, path);
    if (queryError) return queryError;
    return { status: 200, payload: handler(query, ctx) };
  } catch (error) {
    if (error instanceof ApiError) return error;
    // A bug in the server itself: make it loud in the test output, not a silent 500.
    console.error('[stripe-server] unexpected error', error);
    return internalError(`Test server bug: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Writes the response and returns the status sent. */
function send(
  res: http.ServerResponse,
  requestId: string,
  outcome: Outcome,
  extraHeaders: Record<string, string> = {},
  fault?: FaultKind,
): number {
  const status = outcome.status;
  const payload = outcome instanceof ApiError ? outcome.toJSON() : outcome.payload;
  let body = Buffer.from(JSON.stringify(payload), 'utf8');
  let sentStatus = status;
  if (fault === 'truncated') {
    // A complete HTTP response whose JSON stops halfway: the client reliably sees invalid
    // JSON rather than a timing-dependent socket error.
    body = body.subarray(0, Math.floor(body.length / 2));
    sentStatus = 200;
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'Request-Id': requestId,
    ...extraHeaders,
  };
  if (status === 405) headers.Allow = 'GET';
  res.writeHead(sentStatus, headers);
  res.end(body);
  return sentStatus;
}

/** Returns the error to answer with, or undefined when the key is accepted. */
function authenticate(header: string | undefined, apiKeys: ReadonlySet<string>): ApiError | undefined {
  const key = apiKeyFrom(header);
  if (key === undefined || key === '') return missingApiKey();
  return apiKeys.has(key) ? undefined : invalidApiKey(key);
}

/** The SDK sends `Bearer <key>`; curl users tend to send Basic with the key as user name. */
function apiKeyFrom(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(\S+)\s*(.*?)\s*$/.exec(header);
  if (!match) return undefined;
  const [, scheme = '', credentials = ''] = match;
  if (/^bearer$/i.test(scheme)) return credentials;
  if (/^basic$/i.test(scheme)) return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
  return header.trim();
}

function requestIdGenerator(): () => string {
  // A random prefix per server keeps ids unique across servers; the counter keeps them unique within one.
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return () => `req_${prefix}${(counter++).toString(36).padStart(4, '0')}`;
}
