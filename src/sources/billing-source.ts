import type { PricingCatalog, Product, Subscription, SubscriptionStatus } from '../billing/model.js';
import type { PinnedRates } from '../snapshots/snapshot-format.js';

/** What reading a remote source cost so far. */
export interface ReadStats {
  readonly requests: number;
  readonly retries: number;
  /** Answers that said "too many requests" (HTTP 429). */
  readonly rateLimited: number;
  elapsedSeconds(): number;
  requestsPerSecond(): number;
  /** Processor time (user and system) the whole process spent since the read began. */
  cpuSeconds(): number;
}

/**
 * Where billing data comes from: the Stripe API, the bundled demo account, and later
 * snapshots. Everything after this interface is the same for all of them.
 */
export interface BillingSource {
  /** For output and messages, e.g. "Stripe (test mode)" or "demo account". */
  readonly description: string;
  /** Unix seconds the figures are "as of" (now for live data): discounts that ended by then do not count. */
  readonly asOf: number;
  listProducts(): Promise<Product[]>;
  loadPricing(): Promise<PricingCatalog>;
  /**
   * Subscriptions in the given statuses, streamed so memory does not grow with the account.
   * Reading starts on the call: `pricing` may still be on its way (the catalog and the
   * first pages are read at the same time).
   */
  subscriptions(statuses: readonly SubscriptionStatus[], pricing: PricingCatalog | PromiseLike<PricingCatalog>): AsyncIterable<Subscription>;
  /** Request counters when the source talks to an API (progress and `--verbose`). */
  readonly readStats?: ReadStats;
  /** ECB rates recorded with the data (a snapshot taken with `rates: ecb`): its figures convert with them. */
  readonly pinnedRates?: PinnedRates;
}
