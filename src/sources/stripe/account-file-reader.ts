import { readFileSync } from 'node:fs';
import type { SubscriptionStatus } from '../../billing/model.js';
import { DataSourceError } from '../../errors.js';
import type { PageCompaction, WireAccountReader } from './wire-source.js';
import type { StripeAccountFile, WireCoupon, WireDiscount, WireSubscription } from './wire.js';

/**
 * A whole Stripe account kept in one JSON file (the bundled demo). It answers like the API
 * would: coupons deleted in Stripe are not listed. It keeps every item of a subscription
 * embedded, so nothing is left to page through.
 */
export class AccountFileReader implements WireAccountReader {
  constructor(private readonly account: StripeAccountFile) {}

  static fromFile(path: string, displayName: string = path): AccountFileReader {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new DataSourceError(`cannot read the account file ${displayName}: ${(error as Error).message}`);
    }
    const account = data as Partial<StripeAccountFile> | null;
    if (account?.object !== 'kpi.stripe_account' || account.version !== 1) {
      throw new DataSourceError(`${displayName} is not a kpi account file (expected "object": "kpi.stripe_account", "version": 1)`);
    }
    return new AccountFileReader(account as StripeAccountFile);
  }

  get asOf(): number {
    return this.account.as_of;
  }

  async *products() {
    yield* this.account.products;
  }

  async *prices() {
    yield* this.account.prices;
  }

  async *coupons() {
    yield* this.account.coupons.filter((coupon: WireCoupon & { deleted?: boolean }) => !coupon.deleted);
  }

  subscriptionPages(statuses: readonly SubscriptionStatus[]): AsyncIterable<WireSubscription[]>;
  subscriptionPages<T extends { id: string }>(statuses: readonly SubscriptionStatus[], compact: PageCompaction<T>): AsyncIterable<T[]>;
  async *subscriptionPages(statuses: readonly SubscriptionStatus[], compact: PageCompaction<unknown> = (page) => page): AsyncIterable<unknown[]> {
    const wanted = new Set(statuses);
    yield await compact(this.account.subscriptions.filter((subscription) => wanted.has(subscription.status)).map(asTheApiEmbedsIt));
  }
}

/**
 * The file keeps coupons whole, but a coupon embedded in a discount comes from the API
 * without `applies_to` (expanding it would be too deep): drop it, so a deleted coupon's
 * restriction is as unknown here as it is live.
 */
function asTheApiEmbedsIt(subscription: WireSubscription): WireSubscription {
  return {
    ...subscription,
    discounts: subscription.discounts.map(withoutRestriction),
    items: { ...subscription.items, data: subscription.items.data.map((item) => ({ ...item, discounts: item.discounts.map(withoutRestriction) })) },
  };
}

function withoutRestriction(discount: string | WireDiscount): string | WireDiscount {
  if (typeof discount === 'string' || typeof discount.source.coupon !== 'object' || discount.source.coupon === null) return discount;
  const { applies_to: _dropped, ...coupon } = discount.source.coupon;
  return { ...discount, source: { ...discount.source, coupon } };
}
