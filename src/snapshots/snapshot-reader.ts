import { DataSourceError } from '../errors.js';
import { AccountFileReader } from '../sources/stripe/account-file-reader.js';
import type { StripeAccountFile, WirePrice } from '../sources/stripe/wire.js';
import type { SnapshotFile } from './snapshot-format.js';

/**
 * Reads a snapshot like an account: item prices, kept as ids in the snapshot, are put
 * back from its price list, so the mapping and rules see what the live run saw.
 */
export function snapshotReader(snapshot: SnapshotFile, displayName: string): AccountFileReader {
  return new AccountFileReader(snapshotAccount(snapshot, displayName));
}

/** The snapshot as a whole account, item prices put back. */
export function snapshotAccount(snapshot: SnapshotFile, displayName: string): StripeAccountFile {
  const prices = new Map<string, WirePrice>(snapshot.prices.map((price) => [price.id, price]));
  return {
    object: 'kpi.stripe_account',
    version: 1,
    as_of: snapshot.taken_at,
    livemode: snapshot.livemode,
    products: snapshot.products,
    prices: snapshot.prices,
    coupons: snapshot.coupons,
    customers: [],
    subscriptions: snapshot.subscriptions.map((subscription) => ({
      ...subscription,
      items: {
        ...subscription.items,
        data: subscription.items.data.map((item) => {
          const price = prices.get(item.price.id);
          if (!price) throw new DataSourceError(`snapshot ${displayName} is damaged: subscription ${subscription.id} uses price ${item.price.id}, which it does not contain`);
          return { ...item, price };
        }),
      },
    })),
  };
}
