import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { AuthenticationError, DataSourceError } from '../../src/errors.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { StripeApiReader } from '../../src/sources/stripe/api-reader.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { readApiBase } from '../../src/sources/stripe/credentials.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { expectHandworkedMrrJson } from '../support/report-assertions.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_handworked0000secret';
const config = parseConfig(DEFAULT_CONFIG, 'built-in default');
let server: RunningStripeServer;

function apiSource(key = KEY) {
  const reader = new StripeApiReader({
    credentials: { key, origin: 'STRIPE_API_KEY', mode: 'test' },
    apiBase: readApiBase({ STRIPE_API_BASE: server.url }),
  });
  return new WireBillingSource(reader, 'test server', HANDWORKED_ACCOUNT.as_of);
}

beforeAll(async () => {
  server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [KEY] });
});
afterAll(() => server.close());

describe('kpi mrr through the Stripe SDK', () => {
  it('gives the hand-worked figures, with the same result as the account file', async () => {
    server.requests.length = 0;
    const live = JSON.parse(renderRevenueJson(await computeRevenue(apiSource(), config, { measure: 'mrr', explain: true, now: new Date(0) })));
    expectHandworkedMrrJson(live);

    const fromFile = new WireBillingSource(new AccountFileReader(HANDWORKED_ACCOUNT), 'test server', HANDWORKED_ACCOUNT.as_of);
    const offline = JSON.parse(renderRevenueJson(await computeRevenue(fromFile, config, { measure: 'mrr', explain: true, now: new Date(0) })));
    expect(live).toEqual(offline);
  });

  it('only reads, within the expansion limit, and fetches the items a subscription does not embed', async () => {
    server.requests.length = 0;
    await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) });
    expect(server.requests.every((request) => request.method === 'GET' && request.status === 200)).toBe(true);
    const paths = server.requests.map((request) => request.path);
    expect(paths.filter((path) => path === '/v1/subscriptions')).toHaveLength(2); // active and past_due
    const statuses = server.requests.filter((request) => request.path === '/v1/subscriptions').map((request) => request.query.status);
    expect(statuses.sort()).toEqual(['active', 'past_due']);
    // Subscription 17 holds 25 items; the server embeds 20, the rest come from the items list.
    expect(paths.filter((path) => path === '/v1/subscription_items')).toHaveLength(1);
  });

  it('follows pagination: the same figures with one subscription per embedded page', async () => {
    // A tiny embedded item limit forces the items list for most subscriptions.
    server.setOptions({ embeddedItemsLimit: 1 });
    try {
      expectHandworkedMrrJson(JSON.parse(renderRevenueJson(await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) }))));
    } finally {
      server.setOptions({ embeddedItemsLimit: undefined });
    }
  });

  it('turns a rejected key into an authentication error that does not contain the key', async () => {
    const wrong = 'sk_test_wrongkey1234567890abcdef';
    const error = await computeRevenue(apiSource(wrong), config, { measure: 'mrr', explain: false, now: new Date(0) }).catch((caught) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('Stripe rejected the API key from STRIPE_API_KEY');
    expect(`${error.message} ${error.hint}`).not.toContain(wrong);
  });

  it('reports a server that keeps failing as a data source error', async () => {
    server.setOptions({ faults: { rate: 1, kinds: ['500'], seed: 1 } });
    try {
      const error = await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) }).catch((caught) => caught);
      expect(error).toBeInstanceOf(DataSourceError);
      expect(error.message).toMatch(/answered HTTP 500 while listing/);
    } finally {
      server.setOptions({ faults: undefined });
    }
  });
});

describe('a deleted coupon on an item', () => {
  it('is read from the items list and valued the same way as from an account file', async () => {
    const { account, coupon, discount, price, product, subscription } = await import('../support/account-builder.js');
    const platform = product('FlowFuse Pro Platform - Cloud');
    const monthly = price(platform, { unitAmount: 42500 });
    const gone = coupon({ id: 'GONE25', percentOff: 25, deleted: true });
    const data = account({
      products: [platform],
      prices: [monthly],
      coupons: [gone],
      subscriptions: [subscription({ items: [{ price: monthly, discounts: [discount(gone)] }] })],
    });
    const itemServer = await startStripeServer({ account: data, apiKeys: [KEY] });
    try {
      const tiers = parseConfig({ tiers: [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }] }, 't');
      const reader = new StripeApiReader({
        credentials: { key: KEY, origin: 'STRIPE_API_KEY', mode: 'test' },
        apiBase: readApiBase({ STRIPE_API_BASE: itemServer.url }),
      });
      const live = await computeRevenue(new WireBillingSource(reader, 'test', data.as_of), tiers, { measure: 'mrr', explain: false, now: new Date(0) });
      const offline = await computeRevenue(new WireBillingSource(new AccountFileReader(data), 'test', data.as_of), tiers, { measure: 'mrr', explain: false, now: new Date(0) });
      // 42500 x 0.75 = 31875, on both paths, with the same warning
      expect(live.amount.total).toBe(31_875n);
      expect(offline.amount.total).toBe(31_875n);
      expect(live.warnings).toEqual(offline.warnings);
      expect(live.warnings[0]).toContain('coupon GONE25 is no longer listed');
      expect(itemServer.requests.some((request) => request.path === '/v1/subscription_items')).toBe(true);
    } finally {
      await itemServer.close();
    }
  });
});
