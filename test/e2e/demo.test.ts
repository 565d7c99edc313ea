import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_FILE, DEMO_CONFIG_FILE } from '../../src/package-root.js';
import type { StripeAccountFile, WireSubscription } from '../../src/sources/stripe/wire.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const demo = JSON.parse(readFileSync(DEMO_ACCOUNT_FILE, 'utf8')) as StripeAccountFile;
const KEY = 'sk_test_demoAccountKey0000000';
let server: RunningStripeServer;

beforeAll(async () => {
  server = await startStripeServer({ account: demo, apiKeys: [KEY] });
});
afterAll(() => server.close());

/**
 * An independent reckoning of the Starter tier straight from the raw file, in plain
 * integer arithmetic: list price x quantity, monthly items as they are, yearly ones / 12.
 */
function starterFromRawFile(currency: string): number {
  return Math.round(starterTwelfths(currency) / 12);
}

/** The Starter tier's MRR x 12 in cents: an integer, and exactly its ARR. */
function starterTwelfths(currency: string): number {
  const starterNames = new Set(['FlowFuse Cloud - Starter', 'Starter - Small Instance Add-On', 'Starter - Remote Instance Add-On']);
  const starterIds = new Set(demo.products.filter((product) => starterNames.has(product.name)).map((product) => product.id));
  let twelfths = 0; // the tier's MRR x 12, in cents: an integer
  const counted = demo.subscriptions.filter(
    (subscription: WireSubscription) => (subscription.status === 'active' || subscription.status === 'past_due') && subscription.currency === currency,
  );
  for (const subscription of counted) {
    for (const item of subscription.items.data) {
      const price = item.price;
      if (!starterIds.has(price.product as string) || price.recurring?.usage_type !== 'licensed') continue;
      const perPeriod = (price.unit_amount as number) * (item.quantity ?? 1);
      const months = price.recurring.interval === 'year' ? 12 * price.recurring.interval_count : price.recurring.interval_count;
      expect(price.recurring.interval === 'year' || price.recurring.interval === 'month').toBe(true);
      twelfths += (perPeriod * 12) / months;
    }
  }
  return twelfths;
}

describe('kpi mrr --demo', () => {
  it('needs no key and no network, and agrees with an independent Starter reckoning', async () => {
    const run = await runKpi(['mrr', '--demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    // --demo reads the newest of the bundled weekly snapshots, the same data as the account file.
    expect(document.source).toBe('snapshot of demo account (fictional data) taken 2026-11-16T00:00:00.000Z');
    const starter = document.tiers.find((tier: { name: string }) => tier.name === 'Starter');
    expect(starter.mrr_by_currency.usd).toBe(starterFromRawFile('usd'));
    expect(starter.mrr_by_currency.eur).toBe(starterFromRawFile('eur'));
    // The demo's products carry the Pro names.
    expect(document.tiers.map((tier: { name: string }) => tier.name)).toEqual(['Starter', 'Pro']);
    expect(document.currencies).toEqual(['eur', 'usd']);
    // One total in USD by the demo config's fixed rate, each currency still apart beside it:
    // 1,672.00 EUR x 1.08 = 1,805.76 USD; + 120,041.68 USD = 121,847.44 USD.
    expect(document.mrr_by_currency).toEqual({ eur: 167_200, usd: 12_004_168 });
    expect(document.currency).toBe('usd');
    expect(document.mrr).toBe(12_184_744);
    expect(document.conversion).toEqual({ currency: 'usd', source: 'config', date: null, quoted: { eur: '1.08' }, rates: { eur: '1.08' } });
  });

  it("shows the planted subscription set to end as a scheduled-to-end cause of the Stripe column", async () => {
    const run = await runKpi(['mrr', '--demo', '--format', 'json']);
    const starter = JSON.parse(run.stdout).reconciliation.tiers[0];
    // One Starter monthly subscription (20.00 USD, nothing else on it) is set to cancel at
    // period end; with the default churn: at_cancellation the Stripe column leaves it out.
    // The handbook figure keeps it: 5,416.67 USD handbook - 5,326.88 USD Stripe = 89.79 USD,
    // = NONPROFIT20 56.67 + set to end 20.00 + SPRING10 7.50 + EDU125 5.62.
    expect(starter.handbook_mrr_by_currency.usd).toBe(541_667);
    expect(starter.stripe_mrr_by_currency.usd).toBe(532_688);
    expect(starter.causes.filter((cause: { currency: string }) => cause.currency === 'usd').map((cause: { cause: string; coupon: string | null; mrr: number; subscriptions: number }) => [cause.cause, cause.coupon, cause.mrr, cause.subscriptions])).toEqual([
      ['coupon-ignored-by-list-price', 'NONPROFIT20', 5667, 10],
      ['scheduled-to-end', null, 2000, 1],
      ['coupon-ignored-by-list-price', 'SPRING10', 750, 2],
      ['coupon-ignored-by-list-price', 'EDU125', 562, 2],
    ]);
    const ending = demo.subscriptions.filter((subscription) => subscription.status === 'active' && subscription.cancel_at_period_end);
    expect(ending.map((subscription) => [subscription.id, subscription.cancel_at === subscription.items.data[0]?.current_period_end])).toEqual([['sub_1hQyvd6qemGlRmhJRZXW8kQt', true]]);
  });

  it('gives ARR as 12 x the exact MRR, with the enterprise group apart', async () => {
    const run = await runKpi(['arr', '--demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.kind).toBe('arr');
    const byName = Object.fromEntries(document.tiers.map((tier: { name: string }) => [tier.name, tier]));
    expect(byName.Starter.arr_by_currency.usd).toBe(starterTwelfths('usd'));
    expect(byName.Starter.group).toBe('self-service');
    // Five yearly enterprise licences at 2,000,000 cents a year each.
    expect(byName.Enterprise).toMatchObject({ group: 'other-recurring', arr_by_currency: { usd: 10_000_000 }, subscriptions: 5 });
    // 20,064.00 EUR (12 x 1,672.00) x 1.08 = 21,669.12 USD; + 1,540,500.10 USD = 1,562,169.22 USD.
    expect(document.arr_by_currency).toEqual({ eur: 2_006_400, usd: 154_050_010 });
    expect(document.arr).toBe(156_216_922);
  });

  it('gives exactly what the same account gives through the Stripe API', async () => {
    const [offline, live] = await Promise.all([
      runKpi(['mrr', '--demo', '--format', 'json', '--explain']),
      runKpi(['mrr', '--format', 'json', '--explain', '--config', DEMO_CONFIG_FILE], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url } }),
    ]);
    expect(live.code).toBe(0);
    const strip = (text: string) => {
      const { generated_at: _generated, source: _source, as_of: _asOf, ...rest } = JSON.parse(text);
      return rest;
    };
    expect(strip(live.stdout)).toEqual(strip(offline.stdout));
    // Two demo subscriptions hold more items than Stripe embeds: the API path had to page through them.
    expect(server.requests.filter((request) => request.path === '/v1/subscription_items').length).toBeGreaterThanOrEqual(2);
  });

  it('prints the table and the help', async () => {
    const table = await runKpi(['mrr', '--demo']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Self-service MRR · snapshot of demo account \(fictional data\)/);
    expect(table.stdout).toContain("Compared with Stripe's MRR definition");
    // The total row: each currency, then the sum in USD (1,805.76 + 120,041.68).
    expect(table.stdout).toMatch(/^Total +339 +1,672\.00 EUR\n +120,041\.68 USD\n +=\s121,847\.44 USD$/m);
    expect(table.stdout).toContain('Converted to USD at the configured rates: 1 EUR = 1.08 USD.');
    const help = await runKpi(['mrr', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--api-key-file <file>');
    const version = await runKpi(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
