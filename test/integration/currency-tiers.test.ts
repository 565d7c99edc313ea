import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { StripeApiReader } from '../../src/sources/stripe/api-reader.js';
import { readApiBase } from '../../src/sources/stripe/credentials.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import type { WirePrice, WireTier } from '../../src/sources/stripe/wire.js';
import { account, price, product, subscription } from '../support/account-builder.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_currencyTiers000000';

const tier = (up_to: number | null, unit_amount: number, flat_amount: number | null = null): WireTier => ({
  up_to,
  unit_amount,
  unit_amount_decimal: String(unit_amount),
  flat_amount,
  flat_amount_decimal: flat_amount === null ? null : String(flat_amount),
});

/** A tiered USD price that also sells in EUR, with tiers of its own in EUR (how Stripe stores it). */
function inEurToo(wire: WirePrice, eurTiers: WireTier[] | undefined): WirePrice {
  return { ...wire, currency_options: { usd: { unit_amount: null, unit_amount_decimal: null, tiers: wire.tiers }, eur: { unit_amount: null, unit_amount_decimal: null, ...(eurTiers ? { tiers: eurTiers } : {}) } } };
}

const platform = product('FlowFuse Pro Platform - Cloud');
const addOn = product('Pro - Small Instance Add-On');
const legacy = product('Legacy bundle kpi does not count');
const graduated = inEurToo(price(platform, { tiers: { mode: 'graduated', tiers: [tier(5, 1000), tier(null, 800)] } }), [tier(5, 900, 500), tier(null, 700)]);
const volume = inEurToo(price(addOn, { tiers: { mode: 'volume', tiers: [tier(10, 500), tier(null, 400)] } }), [tier(10, 450, 1000), tier(null, 350, 0)]);
// Its EUR tiers were never set up: Stripe has none to send, so it cannot be valued in EUR.
const brokenInEur = inEurToo(price(legacy, { tiers: { mode: 'graduated', tiers: [tier(null, 100)] } }), undefined);

const ACCOUNT = account({
  products: [platform, addOn, legacy],
  prices: [graduated, volume, brokenInEur],
  subscriptions: [
    subscription({ currency: 'eur', items: [{ price: graduated, quantity: 7 }] }),
    subscription({ currency: 'eur', items: [{ price: volume, quantity: 12 }] }),
    subscription({ currency: 'eur', items: [{ price: volume, quantity: 3 }] }),
    subscription({ currency: 'usd', items: [{ price: graduated, quantity: 7 }] }),
    // Not counted (canceled), so its price is never valued.
    subscription({ currency: 'eur', status: 'canceled', items: [{ price: brokenInEur, quantity: 2 }] }),
  ],
});
const config = parseConfig({ tiers: [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud', 'Pro - Small Instance Add-On'] }] }, 'test');

let server: RunningStripeServer;
beforeAll(async () => {
  server = await startStripeServer({ account: ACCOUNT, apiKeys: [KEY] });
});
afterAll(() => server.close());

function apiSource() {
  const reader = new StripeApiReader({ credentials: { key: KEY, origin: 'STRIPE_API_KEY', mode: 'test' }, apiBase: readApiBase({ STRIPE_API_BASE: server.url }) });
  return new WireBillingSource(reader, 'test server', ACCOUNT.as_of);
}

describe('tiered prices in several currencies, through the Stripe SDK', () => {
  it('values EUR subscriptions with the EUR tiers, and leaves an uncounted broken price alone', async () => {
    const document = JSON.parse(renderRevenueJson(await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) })));
    // Graduated, 7 in EUR: 5 x 900 + 500 (first tier's flat) + 2 x 700 = 6400
    // Volume, 12 in EUR: all 12 at the second tier: 12 x 350 + 0 = 4200
    // Volume, 3 in EUR: all 3 at the first tier: 3 x 450 + 1000 = 2350
    // EUR: 6400 + 4200 + 2350 = 12950
    // Graduated, 7 in USD: 5 x 1000 + 2 x 800 = 6600
    expect(document.mrr_by_currency).toEqual({ eur: 12_950, usd: 6_600 });
  });

  it('asks Stripe for the per-currency tiers by naming each currency, within the expansion limit', async () => {
    server.requests.length = 0;
    await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) });
    const priceList = server.requests.find((request) => request.path === '/v1/prices');
    expect(priceList?.status).toBe(200);
    // Stripe sends an option's tiers only for `currency_options.<currency>.tiers`, and a list does
    // not say which currencies a price has: each tiered price in several currencies is read again,
    // its own currencies named (the base currency's tiers come with `tiers`).
    const rereads = server.requests.filter((request) => request.path.startsWith('/v1/prices/'));
    expect(rereads.map((request) => [request.path, request.status, request.query.expand])).toEqual(
      expect.arrayContaining([
        [`/v1/prices/${graduated.id}`, 200, ['tiers', 'currency_options.eur.tiers']],
        [`/v1/prices/${volume.id}`, 200, ['tiers', 'currency_options.eur.tiers']],
      ]),
    );
    // The broken price is read again too (it is tiered in EUR), and Stripe has no EUR tiers to send.
    expect(rereads).toHaveLength(3);
  });
});

describe('the test server models per-currency tiers as Stripe does', () => {
  const stripe = () => new Stripe(KEY, { ...readApiBase({ STRIPE_API_BASE: server.url }), maxNetworkRetries: 0 });
  const eurOption = (prices: { data: unknown[] }, id: string) =>
    (prices.data.find((entry) => (entry as { id: string }).id === id) as { currency_options?: Record<string, Record<string, unknown>> }).currency_options?.eur;

  it('sends them only for `currency_options.<currency>.tiers`, the currency named', async () => {
    const without = await stripe().prices.list({ expand: ['data.tiers', 'data.currency_options'] });
    expect(eurOption(without, graduated.id)).toEqual({ unit_amount: null, unit_amount_decimal: null });
    const plain = await stripe().prices.list();
    expect(plain.data.find((entry) => entry.id === graduated.id)).not.toHaveProperty('currency_options');
    const withTiers = await stripe().prices.list({ expand: ['data.currency_options.eur.tiers'] });
    expect(eurOption(withTiers, graduated.id)?.tiers).toEqual([tier(5, 900, 500), tier(null, 700)]);
    // Only the currency named: the USD option stays without its tiers.
    const usdOption = (withTiers.data.find((entry) => entry.id === graduated.id) as { currency_options: Record<string, object> }).currency_options.usd;
    expect(usdOption).not.toHaveProperty('tiers');
    const retrieved = await stripe().prices.retrieve(graduated.id, { expand: ['currency_options.eur.tiers'] });
    expect(retrieved.currency_options?.eur?.tiers).toEqual([tier(5, 900, 500), tier(null, 700)]);
  });

  it('takes `currency_options.tiers` for a currency called "tiers": accepted, and no tiers come', async () => {
    const prices = await stripe().prices.list({ expand: ['data.currency_options.tiers'] });
    expect(eurOption(prices, graduated.id)).toEqual({ unit_amount: null, unit_amount_decimal: null });
  });
});
