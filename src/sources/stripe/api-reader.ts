import Stripe from 'stripe';
import type { SubscriptionStatus } from '../../billing/model.js';
import { AuthenticationError, DataSourceError, type KpiError } from '../../errors.js';
import type { StripeCredentials } from './credentials.js';
import { readSubscriptionSlices, type Slice } from './subscription-slices.js';
import { RateLimiter, SYSTEM_CLOCK, type Clock } from './transport/rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport/retry.js';
import { StripeTransport, type ListPage } from './transport/stripe-transport.js';
import { flatten, type PageCompaction, type WireAccountReader } from './wire-source.js';
import { requestsInFlight } from './transport/in-flight.js';
import type { WireCoupon, WirePrice, WireProduct, WireSubscription, WireSubscriptionItem } from './wire.js';

const PAGE_SIZE = 100;

/**
 * Stripe's expansion limit is 4 levels counting `data`: these stay within it. Item prices
 * arrive embedded (without tiers), so tiers come from the price list instead.
 */
const SUBSCRIPTION_EXPANSIONS = ['data.discounts.source.coupon', 'data.items.data.discounts'];

/** Stripe's documented limits per mode; kpi stays at 95 % of them unless told otherwise (a 429 still slows it down). */
export const STRIPE_RATE_LIMITS = { live: 100, test: 25 } as const;
const HEADROOM = 0.95;

export function defaultMaxRps(mode: 'live' | 'test'): number {
  return STRIPE_RATE_LIMITS[mode] * HEADROOM;
}

export interface ApiReaderOptions {
  credentials: StripeCredentials;
  apiBase: { host: string; port: number; protocol: 'http' | 'https' } | null;
  /** Requests per second at most; default: 95 % of Stripe's limit for the key's mode. */
  maxRps?: number;
  retryPolicy?: RetryPolicy;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * Reads the account through the official SDK, only ever listing (GET). Every request goes
 * through one rate-limited, retrying transport; subscriptions are read in parallel slices.
 */
export class StripeApiReader implements WireAccountReader {
  private readonly stripe: Stripe;
  private readonly transport: StripeTransport;
  /** The oldest catalog object seen: where subscriptions are likely to start. */
  private oldestCatalogObject = Number.POSITIVE_INFINITY;
  /** Coupons the coupon list returned; others were deleted but may still discount items. */
  private readonly listedCoupons = new Set<string>();
  /** Settles when the coupon list has been read to its end (null until it starts). */
  private couponListing: Promise<void> | null = null;

  constructor(private readonly options: ApiReaderOptions) {
    this.stripe = new Stripe(options.credentials.key, {
      // Retries are the transport's: it also retries what the SDK would not.
      maxNetworkRetries: 0,
      timeout: options.timeoutMs ?? 30_000,
      telemetry: false,
      appInfo: { name: 'kpi' },
      ...(options.apiBase ?? {}),
    });
    const clock = options.clock ?? SYSTEM_CLOCK;
    const limiter = new RateLimiter(options.maxRps ?? defaultMaxRps(options.credentials.mode), clock);
    this.transport = new StripeTransport(limiter, options.retryPolicy ?? DEFAULT_RETRY_POLICY, clock);
  }

  get readStats() {
    return this.transport.stats;
  }

  /**
   * `GET /v1/account`. Restricted keys usually lack that permission (Stripe answers 403):
   * then null, and the snapshot identifies the account by a fingerprint instead.
   */
  async accountId(): Promise<string | null> {
    try {
      const account = await this.transport.request(() => this.stripe.accounts.retrieveCurrent());
      return account.id;
    } catch (error) {
      if (error instanceof Stripe.errors.StripePermissionError) return null;
      throw translateStripeError(error, 'reading the account id', this.options, this.transport.stats.retries);
    }
  }

  products() {
    return this.list<WireProduct>('products', (after) => this.stripe.products.list({ limit: PAGE_SIZE, ...after }));
  }

  async *prices() {
    const listed = this.list<WirePrice>('prices', (after) =>
      this.stripe.prices.list({ limit: PAGE_SIZE, expand: ['data.tiers', 'data.currency_options'], ...after }),
    );
    const prices: WirePrice[] = [];
    for await (const price of listed) prices.push(price);
    // The few prices read again are read at the same time, not one round trip each.
    yield* await Promise.all(
      prices.map((price) => {
        const currencies = currenciesWithoutTiers(price);
        return currencies.length === 0 ? price : this.priceWithTiersIn(price.id, currencies);
      }),
    );
  }

  /**
   * Stripe sends the tiers of a price's other currencies only for `currency_options.<currency>.tiers`,
   * each currency named (`currency_options.tiers` is taken for a currency called "tiers"), and a
   * list cannot name them before it has shown which currencies a price has.
   */
  private async priceWithTiersIn(id: string, currencies: readonly string[]): Promise<WirePrice> {
    try {
      const expand = ['tiers', ...currencies.map((currency) => `currency_options.${currency}.tiers`)];
      return (await this.transport.request(() => this.stripe.prices.retrieve(id, { expand }))) as unknown as WirePrice;
    } catch (error) {
      throw translateStripeError(error, `reading price ${id}`, this.options, this.transport.stats.retries);
    }
  }

  async *coupons() {
    let listed!: () => void;
    this.couponListing = new Promise<void>((resolve) => (listed = resolve));
    const coupons = this.list<WireCoupon>('coupons', (after) =>
      this.stripe.coupons.list({ limit: PAGE_SIZE, expand: ['data.applies_to', 'data.currency_options'], ...after }),
    );
    try {
      for await (const coupon of coupons) {
        this.listedCoupons.add(coupon.id);
        yield coupon;
      }
    } finally {
      // Ended, failed or abandoned: pages waiting for the list go on (a failed list fails the run anyway).
      listed();
    }
  }

  subscriptionPages(statuses: readonly SubscriptionStatus[]): AsyncIterable<WireSubscription[]>;
  subscriptionPages<T extends { id: string }>(statuses: readonly SubscriptionStatus[], compact: PageCompaction<T>): AsyncIterable<T[]>;
  subscriptionPages(statuses: readonly SubscriptionStatus[], compact: PageCompaction<{ id: string }> = (page) => page): AsyncIterable<Array<{ id: string }>> {
    const pages = readSubscriptionSlices(statuses, (slice) => this.subscriptionSlicePage(slice), {
      // Asked whenever a reader could start: the rate allowed and the latency so far decide.
      concurrency: () => requestsInFlight({ ratePerSecond: this.transport.limiter.currentRate, latencySeconds: this.transport.latency.seconds }),
      // The catalog is read meanwhile; its oldest object is known by the time a slice is cut.
      densityFloor: () => (Number.isFinite(this.oldestCatalogObject) ? this.oldestCatalogObject : Math.floor(Date.now() / 1000) - 10 * 365 * 86_400),
      // Compacted pages are small: readers rarely wait for the consumer.
      buffer: 16,
      compact,
    });
    return this.translatingErrors('subscriptions', withoutRepeats(pages));
  }

  private async subscriptionSlicePage(slice: Slice) {
    const created = {
      ...(slice.createdGte === null ? {} : { gte: slice.createdGte }),
      ...(slice.createdLt === null ? {} : { lt: slice.createdLt }),
    };
    const page = await this.transport.page<WireSubscription>(
      async () =>
        (await this.stripe.subscriptions.list({
          status: slice.status,
          limit: PAGE_SIZE,
          expand: SUBSCRIPTION_EXPANSIONS,
          ...(Object.keys(created).length > 0 ? { created } : {}),
          ...(slice.startingAfter ? { starting_after: slice.startingAfter } : {}),
        })) as unknown as ListPage<WireSubscription>,
    );
    for (const subscription of page.data) {
      // Pages arrive while the coupons are still being listed: a coupon not listed yet is
      // not a deleted one, so the decision waits for the whole list (the page itself did not).
      if (this.hasUnlistedItemCoupon(subscription) && this.couponListing) await this.couponListing;
      if (this.hasUnlistedItemCoupon(subscription)) await this.readItems(subscription, 'all, with coupons');
      else if (subscription.items.has_more) await this.readItems(subscription, 'the rest');
    }
    return { data: page.data, hasMore: page.has_more };
  }

  /**
   * Item-level discounts arrive with their coupon as an id only (expanding it from the
   * subscription list would be 6 levels deep). Ids the coupon list did not return belong
   * to deleted coupons, which still discount: those subscriptions' items are read again
   * from the items list, where the coupon can be expanded within 4 levels.
   */
  private hasUnlistedItemCoupon(subscription: WireSubscription): boolean {
    return subscription.items.data.some((item) =>
      item.discounts.some((discount) => typeof discount !== 'string' && typeof discount.source.coupon === 'string' && !this.listedCoupons.has(discount.source.coupon)),
    );
  }

  /** A subscription embeds only its first items; the rest (or all again) come from the items list. */
  private async readItems(subscription: WireSubscription, which: 'the rest' | 'all, with coupons'): Promise<void> {
    const items = which === 'the rest' ? [...subscription.items.data] : [];
    const expand = which === 'the rest' ? ['data.discounts'] : ['data.discounts.source.coupon'];
    let more = true;
    while (more) {
      const last = items.at(-1);
      const page = await this.transport.page<WireSubscriptionItem>(
        async () =>
          (await this.stripe.subscriptionItems.list({
            subscription: subscription.id,
            limit: PAGE_SIZE,
            expand,
            ...(last ? { starting_after: last.id } : {}),
          })) as unknown as ListPage<WireSubscriptionItem>,
      );
      items.push(...page.data);
      more = page.has_more && page.data.length > 0;
    }
    subscription.items = { ...subscription.items, data: items, has_more: false };
  }

  /** Follows every page of a small list (the catalog), one page after another. */
  private list<T extends { id: string; created?: number }>(
    what: string,
    request: (after: { starting_after?: string }) => Promise<unknown>,
  ): AsyncIterable<T> {
    const self = this;
    async function* pages(): AsyncIterable<T[]> {
      let after: string | undefined;
      for (;;) {
        const page = await self.transport.page<T>(async () => (await request(after ? { starting_after: after } : {})) as ListPage<T>);
        for (const object of page.data) {
          if (typeof object.created === 'number') self.oldestCatalogObject = Math.min(self.oldestCatalogObject, object.created);
        }
        yield page.data;
        const last = page.data.at(-1);
        if (!page.has_more || !last) return;
        after = last.id;
      }
    }
    return flatten(this.translatingErrors(what, pages()));
  }

  private async *translatingErrors<T>(what: string, pages: AsyncIterable<T>): AsyncIterable<T> {
    try {
      yield* pages;
    } catch (error) {
      throw translateStripeError(error, `listing ${what}`, this.options, this.transport.stats.retries);
    }
  }
}

/**
 * A subscription that changes status while the run reads (active to past_due, say) can
 * show up in two status lists; it counts once.
 */
async function* withoutRepeats<T extends { id: string }>(pages: AsyncIterable<T[]>): AsyncIterable<T[]> {
  const seen = new Set<string>();
  for await (const page of pages) {
    const fresh = page.filter((subscription) => !seen.has(subscription.id));
    for (const subscription of fresh) seen.add(subscription.id);
    yield fresh;
  }
}

/** The other currencies of a tiered price whose tiers the list left out (names that are no currency code cannot be asked for). */
function currenciesWithoutTiers(price: WirePrice): string[] {
  if (price.billing_scheme !== 'tiered') return [];
  return Object.entries(price.currency_options ?? {})
    .filter(([currency, option]) => currency !== price.currency && /^[a-z]{3}$/.test(currency) && !option.tiers)
    .map(([currency]) => currency);
}

export function translateStripeError(error: unknown, during: string, options: ApiReaderOptions, retries = 0): KpiError | unknown {
  const where = options.apiBase ? `${options.apiBase.protocol}://${options.apiBase.host}:${options.apiBase.port}` : 'Stripe';
  // The SDK turns decimal fields into numbers as it receives them and fails on one that is not a decimal.
  if (error instanceof Error && error.message.startsWith('Failed to coerce ')) {
    return new DataSourceError(`${where} sent an impossible value while ${during}: ${redact(error.message, options.credentials.key)}`);
  }
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const message = redact(error.message, options.credentials.key);
  const afterRetries = retries > 0 ? ` (gave up after retries; ${retries} retr${retries === 1 ? 'y' : 'ies'} in this run)` : '';
  switch (error.type) {
    case 'StripeAuthenticationError':
      return new AuthenticationError(
        `Stripe rejected the API key from ${options.credentials.origin} (HTTP ${error.statusCode ?? 401})`,
        'Check that the key is current and belongs to this account; create a restricted read-only key in the Stripe dashboard.',
      );
    case 'StripePermissionError':
      return new AuthenticationError(
        `the API key from ${options.credentials.origin} may not read what kpi needs (${during}): ${message}`,
        'A restricted key needs read access to Products, Prices, Coupons and Subscriptions.',
      );
    case 'StripeConnectionError':
      return new DataSourceError(`could not reach ${where} while ${during}: ${message}${afterRetries}`, 'Check the network, or STRIPE_API_BASE if you set it.');
    case 'StripeRateLimitError':
      return new DataSourceError(`${where} kept rate-limiting kpi while ${during} (HTTP 429)${afterRetries}`, 'Wait a moment, or lower --max-rps.');
    default:
      if (error.statusCode === undefined) {
        return new DataSourceError(`${where} sent an unusable answer while ${during}: ${message}${afterRetries}`);
      }
      return new DataSourceError(
        `${where} answered HTTP ${error.statusCode} while ${during}: ${message}${error.requestId ? ` (request ${error.requestId})` : ''}${afterRetries}`,
      );
  }
}

/**
 * Stripe masks keys in its messages ("sk_live_****abcd"); kpi shows not even that, nor
 * the key itself if a server should echo it.
 */
export function redact(text: string, key: string): string {
  const withoutKey = key ? text.split(key).join('[redacted key]') : text;
  return withoutKey.replace(/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*_]+/g, '[redacted key]');
}
