import type { PinnedRates } from '../../snapshots/snapshot-format.js';
import type { Lookup, PriceListing, PricingCatalog, Product, Subscription, SubscriptionStatus } from '../../billing/model.js';
import type { BillingSource } from '../billing-source.js';
import { listPrice, mapCoupon, mapPrice, mapProduct, mapSubscription } from './map.js';
import type { ReadStats } from '../billing-source.js';
import type { WireCoupon, WirePrice, WireProduct, WireSubscription } from './wire.js';

/**
 * Reads Stripe objects in their wire shape, from wherever they are kept. The API reader
 * and the account-file reader implement it; `WireBillingSource` maps both the same way.
 */
export interface WireAccountReader {
  products(): AsyncIterable<WireProduct>;
  /** Every price, active or not, with `tiers`, `currency_options` and their per-currency `tiers` expanded. */
  prices(): AsyncIterable<WirePrice>;
  /** Every listed coupon, with `applies_to` and `currency_options` expanded. */
  coupons(): AsyncIterable<WireCoupon>;
  /**
   * The subscriptions of these statuses, a page at a time in no particular order, with
   * discounts expanded and every item present (even beyond what a subscription embeds).
   */
  subscriptionPages(statuses: readonly SubscriptionStatus[]): AsyncIterable<WireSubscription[]>;
  /** The same, each page turned by `compact` as soon as it arrives, so the wire objects need not wait for the consumer. */
  subscriptionPages<T extends { id: string }>(statuses: readonly SubscriptionStatus[], compact: PageCompaction<T>): AsyncIterable<T[]>;
  /**
   * The Stripe account id (`acct_...`) the data belongs to, when the reader can tell: null
   * when the key may not read it. Account files have none.
   */
  accountId?(): Promise<string | null>;
  /** Request counters, for readers that talk to an API. */
  readonly readStats?: ReadStats;
}

export type PageCompaction<T> = (page: WireSubscription[]) => T[] | Promise<T[]>;

export class WireBillingSource implements BillingSource {
  constructor(
    private readonly reader: WireAccountReader,
    readonly description: string,
    readonly asOf: number,
    readonly pinnedRates?: PinnedRates,
  ) {}

  get readStats(): ReadStats | undefined {
    return this.reader.readStats;
  }

  async listProducts(): Promise<Product[]> {
    const products: Product[] = [];
    for await (const product of this.reader.products()) products.push(mapProduct(product));
    return products;
  }

  async loadPricing(): Promise<PricingCatalog> {
    const [prices, coupons] = await Promise.all([collect(this.reader.prices()), collect(this.reader.coupons())]);
    return {
      prices: mappedOnFirstUse(prices, mapPrice),
      priceListings: prices.map(listPrice).filter((listing): listing is PriceListing => listing !== null),
      coupons: mappedOnFirstUse(coupons, (coupon) => mapCoupon(coupon, true)),
    };
  }

  /**
   * Starts reading at once, even while `pricing` is still being read: pages are mapped to
   * the billing model as they arrive, once the catalog is there.
   */
  subscriptions(statuses: readonly SubscriptionStatus[], pricing: PricingCatalog | PromiseLike<PricingCatalog>): AsyncIterable<Subscription> {
    const catalog = Promise.resolve(pricing);
    // A catalog that fails is reported by whoever awaits it; the pages waiting for it just stop.
    catalog.catch(() => {});
    const pages = this.reader.subscriptionPages(statuses, async (page) => {
      const prices = await catalog;
      return page.map((subscription) => mapSubscription(subscription, subscription.items.data, prices));
    });
    return flatten(pages);
  }
}

/**
 * Keeps Stripe's objects as they came and maps each the first time a subscription uses it
 * (once: pages of subscriptions share a few prices), so an object no counted
 * subscription uses is never valued and, if broken, never stops a run.
 */
function mappedOnFirstUse<Wire extends { id: string }, Mapped>(objects: readonly Wire[], map: (object: Wire) => Mapped): Lookup<Mapped> {
  const wire = new Map(objects.map((object) => [object.id, object]));
  const mapped = new Map<string, Mapped>();
  return {
    get(id) {
      const known = mapped.get(id);
      if (known !== undefined) return known;
      const object = wire.get(id);
      if (object === undefined) return undefined;
      const value = map(object);
      mapped.set(id, value);
      return value;
    },
  };
}

/** The items of a stream of pages, one at a time. */
export async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncIterable<T> {
  for await (const page of pages) yield* page;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}
