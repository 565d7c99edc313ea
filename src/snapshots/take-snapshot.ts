import { SUBSCRIPTION_STATUSES } from '../billing/model.js';
import type { WireAccountReader } from '../sources/stripe/wire-source.js';
import type { WireSubscription } from '../sources/stripe/wire.js';
import {
  accountFingerprint,
  SNAPSHOT_OBJECT,
  SNAPSHOT_VERSION,
  minimiseCoupon,
  minimisePrice,
  minimiseProduct,
  minimiseSubscription,
  type PinnedRates,
  type SnapshotFile,
} from './snapshot-format.js';

/** Reads everything a later calculation needs, subscriptions of every status included. */
export async function takeSnapshot(
  reader: WireAccountReader,
  meta: { takenAt: number; source: string; livemode: boolean; exchangeRates?: PinnedRates },
  onProgress?: (subscriptionsRead: number) => void,
): Promise<SnapshotFile> {
  const [products, prices, coupons, accountId] = await Promise.all([
    collect(reader.products()),
    collect(reader.prices()),
    collect(reader.coupons()),
    reader.accountId?.() ?? Promise.resolve(null),
  ]);
  const fingerprint = accountFingerprint(prices);
  const listedCoupons = new Set(coupons.map((coupon) => coupon.id));
  const subscriptions: WireSubscription[] = [];
  for await (const page of reader.subscriptionPages(SUBSCRIPTION_STATUSES)) {
    for (const subscription of page) subscriptions.push(minimiseSubscription(subscription, listedCoupons));
    onProgress?.(subscriptions.length);
  }
  // A stable order makes two snapshots of the same account byte-identical.
  subscriptions.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return {
    object: SNAPSHOT_OBJECT,
    version: SNAPSHOT_VERSION,
    taken_at: meta.takenAt,
    source: meta.source,
    livemode: meta.livemode,
    ...(accountId ?? fingerprint ? { account: (accountId ?? fingerprint) as string } : {}),
    account_fingerprint: fingerprint,
    ...(meta.exchangeRates ? { exchange_rates: structuredClone(meta.exchangeRates) } : {}),
    products: products.map(minimiseProduct),
    prices: prices.map(minimisePrice),
    coupons: coupons.map(minimiseCoupon),
    subscriptions,
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}
