import type { StripeAccountFile } from '../../../src/sources/stripe/wire.js';
import type { FaultOptions } from './faults.js';

export interface StripeServerOptions {
  /** The data to serve. */
  account: StripeAccountFile;
  /** Accepted secret keys; default `['sk_test_kpi_valid']`. */
  apiKeys?: string[];
  /** Added delay before each response, in milliseconds; default 0. */
  latencyMs?: number;
  /** If set: token bucket (capacity = rate, continuous refill); excess requests get 429. */
  rateLimitPerSecond?: number;
  /** Fraction of requests that fail, and how; decisions come from a PRNG seeded by `seed`. */
  faults?: FaultOptions;
  /** How many items a subscription embeds before `items.has_more`; default 20. */
  embeddedItemsLimit?: number;
  /**
   * The id `GET /v1/account` answers with; default `acct_1KpiTestServer0001`. Restricted
   * keys (`rk_...`) get Stripe's 403 there, as a key without account read access does.
   */
  accountId?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The parsed query (`expand[0]=x` becomes `{ expand: ['x'] }`); `{}` when unparsable. */
  query: Record<string, unknown>;
  /** Response status; 0 while pending and for connections reset without a response. */
  status: number;
  /** Whether the request carried an accepted API key. */
  authorized: boolean;
}

export interface RunningStripeServer {
  /** e.g. `http://127.0.0.1:54321` */
  url: string;
  host: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Changes latency, faults and limits at runtime; a key given as `undefined` restores its default. */
  setOptions(patch: Partial<Omit<StripeServerOptions, 'account'>>): void;
  close(): Promise<void>;
}
