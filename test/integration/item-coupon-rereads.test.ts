import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load.js';
import { StripeApiReader } from '../../src/sources/stripe/api-reader.js';
import { readApiBase } from '../../src/sources/stripe/credentials.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { account, AS_OF, coupon, discount, price, subscription } from '../support/account-builder.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * Item-level discounts arrive with their coupon as an id; kpi re-reads a subscription's
 * items only when the coupon list did not return that id (a deleted coupon). The catalog
 * is read alongside the first subscription pages, so the coupon list may not be complete
 * when they arrive: a coupon not listed yet must not be taken for a deleted one.
 */
const KEY = 'sk_test_kpi_valid';
let server: RunningStripeServer;

beforeAll(async () => {
  const starter = HANDWORKED_ACCOUNT.products.find((candidate) => candidate.name === 'FlowFuse Cloud - Starter')!;
  const starterPrice = price(starter, { unitAmount: 1500 });
  const itemCoupon = { ...coupon({ id: 'ITEM10', percentOff: 10 }), created: AS_OF - 900 * 86_400 };
  // 300 newer coupons: the list takes four pages, ITEM10 (the oldest) is on the last.
  const others = Array.from({ length: 300 }, (_, index) => ({ ...coupon({ id: `OTHER${index}`, percentOff: 5 }), created: AS_OF - 100 * 86_400 + index }));
  const subscriptions = Array.from({ length: 400 }, (_, index) => {
    const made = subscription({ items: [{ price: starterPrice, discounts: [discount(itemCoupon)] }], created: AS_OF - (index + 1) * 3_600 });
    // As Stripe embeds it: an item discount names its coupon by id.
    for (const item of made.items.data) for (const d of item.discounts as any[]) d.source = { ...d.source, coupon: itemCoupon.id };
    return made;
  });
  server = await startStripeServer({
    account: account({ products: HANDWORKED_ACCOUNT.products, prices: [starterPrice], coupons: [...others, itemCoupon], subscriptions }),
    apiKeys: [KEY],
    latencyMs: 20,
  });
});
afterAll(() => server.close());

describe('item coupons the coupon list returns', () => {
  it('cost no re-read of the subscription items, whichever answer arrives first', async () => {
    const reader = new StripeApiReader({ credentials: { key: KEY, origin: 'STRIPE_API_KEY', mode: 'test' }, apiBase: readApiBase({ STRIPE_API_BASE: server.url }) });
    const source = new WireBillingSource(reader, 'test server', AS_OF);
    const report = await computeRevenue(source, parseConfig(DEFAULT_CONFIG, 'test'), { measure: 'mrr', explain: false, now: new Date(AS_OF * 1000) });
    expect(report).toBeDefined();
    const itemReads = server.requests.filter((request) => request.path === '/v1/subscription_items');
    expect(server.requests.filter((request) => request.path === '/v1/coupons').length).toBeGreaterThan(1);
    expect(itemReads.length).toBe(0);
  });
});
