import type { Product, Subscription, SubscriptionStatus } from '../../billing/model.js';
import type { BillingSource } from '../billing-source.js';
import { mapCoupon, mapPrice, mapProduct, mapSubscription, type PricingCatalog } from './map.js';
import type { WireCoupon, WirePrice, WireProduct, WireSubscription, WireSubscriptionItem } from './wire.js';

/**
 * Reads Stripe objects in their wire shape, from wherever they are kept. The API reader
 * and the account-file reader implement it; `WireBillingSource` maps both the same way.
 */
export interface WireAccountReader {
  products(): AsyncIterable<WireProduct>;
  /** Every price, active or not, with `tiers` expanded. */
  prices(): AsyncIterable<WirePrice>;
  /** Every listed coupon, with `applies_to` expanded. */
  coupons(): AsyncIterable<WireCoupon>;
  /** Subscriptions of one status, with subscription and item discounts expanded. */
  subscriptions(status: SubscriptionStatus): AsyncIterable<WireSubscription>;
  /** The items after the ones a subscription embeds, when its embedded list says `has_more`. */
  remainingItems(subscription: WireSubscription): AsyncIterable<WireSubscriptionItem>;
}

export class WireBillingSource implements BillingSource {
  constructor(
    private readonly reader: WireAccountReader,
    readonly description: string,
    readonly asOf: number,
  ) {}

  async listProducts(): Promise<Product[]> {
    const products: Product[] = [];
    for await (const product of this.reader.products()) products.push(mapProduct(product));
    return products;
  }

  async loadPricing(): Promise<PricingCatalog> {
    const [prices, coupons] = await Promise.all([collect(this.reader.prices()), collect(this.reader.coupons())]);
    return {
      prices: new Map(prices.map((price) => [price.id, mapPrice(price)])),
      coupons: new Map(coupons.map((coupon) => [coupon.id, mapCoupon(coupon, true)])),
    };
  }

  async *subscriptions(statuses: readonly SubscriptionStatus[], pricing: PricingCatalog): AsyncIterable<Subscription> {
    for (const status of statuses) {
      for await (const subscription of this.reader.subscriptions(status)) {
        const items = [...subscription.items.data];
        if (subscription.items.has_more) {
          for await (const item of this.reader.remainingItems(subscription)) items.push(item);
        }
        yield mapSubscription(subscription, items, pricing);
      }
    }
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}
