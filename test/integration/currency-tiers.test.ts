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

  it('asks Stripe for the per-currency tiers, within the expansion limit', async () => {
    server.requests.length = 0;
    await computeRevenue(apiSource(), config, { measure: 'mrr', explain: false, now: new Date(0) });
    const priceList = server.requests.find((request) => request.path === '/v1/prices');
    expect(priceList?.status).toBe(200);
    expect(priceList?.query.expand).toEqual(expect.arrayContaining(['data.currency_options.tiers']));
  });
});

describe('the test server models per-currency tiers as Stripe does', () => {
  const stripe = () => new Stripe(KEY, { ...readApiBase({ STRIPE_API_BASE: server.url }), maxNetworkRetries: 0 });
  const eurOption = (prices: { data: unknown[] }, id: string) =>
    (prices.data.find((entry) => (entry as { id: string }).id === id) as { currency_options?: Record<string, Record<string, unknown>> }).currency_options?.eur;

  it('leaves them out unless `data.currency_options.tiers` is expanded', async () => {
    const without = await stripe().prices.list({ expand: ['data.tiers', 'data.currency_options'] });
    expect(eurOption(without, graduated.id)).toEqual({ unit_amount: null, unit_amount_decimal: null });
    const plain = await stripe().prices.list();
    expect(plain.data.find((entry) => entry.id === graduated.id)).not.toHaveProperty('currency_options');
    const withTiers = await stripe().prices.list({ expand: ['data.currency_options.tiers'] });
    expect(eurOption(withTiers, graduated.id)?.tiers).toEqual([tier(5, 900, 500), tier(null, 700)]);
  });

  it('walks from currency_options straight into each option\'s fields (the spec\'s currency_option), not through a currency code', async () => {
    await expect(stripe().prices.list({ expand: ['data.currency_options.eur.tiers'] })).rejects.toThrow(/cannot be expanded/);
  });
});
