import { readFileSync } from 'node:fs';
import type { SubscriptionStatus } from '../../billing/model.js';
import { DataSourceError } from '../../errors.js';
import type { WireAccountReader } from './wire-source.js';
import type { StripeAccountFile, WireCoupon } from './wire.js';

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

  async *subscriptionPages(statuses: readonly SubscriptionStatus[]) {
    const wanted = new Set(statuses);
    yield this.account.subscriptions.filter((subscription) => wanted.has(subscription.status));
  }
}
