import { describe, expect, it } from 'vitest';
import type { PricingCatalog, SubscriptionStatus } from '../../src/billing/model.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource, type PageCompaction, type WireAccountReader } from '../../src/sources/stripe/wire-source.js';
import type { WireSubscription } from '../../src/sources/stripe/wire.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';

/** The hand-worked account's reader, noting when the subscription pages were asked for. */
function watchedReader(events: string[]): WireAccountReader {
  const inner = new AccountFileReader(HANDWORKED_ACCOUNT);
  return {
    products: () => inner.products(),
    prices: () => inner.prices(),
    coupons: () => inner.coupons(),
    subscriptionPages: ((statuses: readonly SubscriptionStatus[], compact?: PageCompaction<{ id: string }>) => {
      events.push('pages asked for');
      return compact ? inner.subscriptionPages(statuses, compact) : inner.subscriptionPages(statuses);
    }) as WireAccountReader['subscriptionPages'],
  };
}

async function ids(subscriptions: AsyncIterable<{ id: string }>): Promise<string[]> {
  const seen: string[] = [];
  for await (const subscription of subscriptions) seen.push(subscription.id);
  return seen;
}

describe('subscription pages are read while the catalog still is', () => {
  it('asks for the pages before the pricing is there, and maps them once it is', async () => {
    const events: string[] = [];
    const source = new WireBillingSource(watchedReader(events), 'test account', HANDWORKED_ACCOUNT.as_of);
    let release!: (pricing: PricingCatalog) => void;
    const pricing = new Promise<PricingCatalog>((resolve) => (release = resolve));
    const subscriptions = ids(source.subscriptions(['active', 'past_due'], pricing));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['pages asked for']);
    release(await source.loadPricing());
    const expected = HANDWORKED_ACCOUNT.subscriptions.filter((s: WireSubscription) => s.status === 'active' || s.status === 'past_due').map((s) => s.id);
    expect(await subscriptions).toEqual(expected);
  });

  it('a catalog that fails ends the read with its error, not a half-mapped page', async () => {
    const source = new WireBillingSource(watchedReader([]), 'test account', HANDWORKED_ACCOUNT.as_of);
    const failed = Promise.reject(new Error('listing prices failed'));
    await expect(ids(source.subscriptions(['active'], failed))).rejects.toThrow('listing prices failed');
  });
});
