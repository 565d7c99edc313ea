import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_FILE, DEMO_CONFIG_FILE, DEMO_RATES_FILE } from '../../src/package-root.js';
import { parseEcbXml } from '../../src/rates/ecb-xml.js';
import type { StripeAccountFile, WireSubscription } from '../../src/sources/stripe/wire.js';
import { startEcbServer, type EcbServer } from '../support/ecb-server.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const demo = JSON.parse(readFileSync(DEMO_ACCOUNT_FILE, 'utf8')) as StripeAccountFile;
const KEY = 'sk_test_demoAccountKey0000000';
/** When the newest demo snapshot was taken: `--demo` figures are as of this moment. */
const NEWEST_SNAPSHOT_AT = '2026-11-16T00:00:00Z';
let server: RunningStripeServer;
let ecb: EcbServer;
let dataDir: string;

beforeAll(async () => {
  server = await startStripeServer({ account: demo, apiKeys: [KEY] });
  // The live path reads the ECB feed: the same days the demo's bundled file holds.
  ecb = await startEcbServer(parseEcbXml(readFileSync(DEMO_RATES_FILE, 'utf8'), 'the demo rates file'));
  dataDir = mkdtempSync(join(tmpdir(), 'kpi-demo-live-'));
});
afterAll(async () => {
  await Promise.all([server.close(), ecb.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

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
    // One total in USD at the ECB rates in force at the snapshot (Monday 2026-11-16 00:00 UTC,
    // before that day's 16:00 UTC publication, so Friday 2026-11-13's: 1 EUR = 1.0926 USD),
    // each currency still apart beside it. The total converts the exact amounts and rounds once:
    // USD is exactly 120,041.675 (self-service ARR 1,440,500.10 / 12, see the ARR test), shown
    // as 120,041.68; 1,672.00 EUR x 1.0926 = 1,826.8272 USD;
    // 1,826.8272 + 120,041.675 = 121,868.5022 -> 121,868.50 USD (not .51 from the rounded parts).
    expect(document.mrr_by_currency).toEqual({ eur: 167_200, usd: 12_004_168 });
    expect(document.currency).toBe('usd');
    expect(document.mrr).toBe(12_186_850);
    expect(document.conversion).toEqual({ currency: 'usd', source: 'ecb', date: '2026-11-13', quoted: { usd: '1.0926' }, rates: { eur: '1.0926' } });
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
    // At the ECB rates of 2026-11-13 (1 EUR = 1.0926 USD): 20,064.00 EUR (12 x 1,672.00) x 1.0926
    // = 21,921.9264 USD; + 1,540,500.10 USD = 1,562,422.0264 -> 1,562,422.03 USD.
    // (The self-service USD, 1,540,500.10 - 100,000.00 enterprise = 1,440,500.10, / 12 = 120,041.675: the MRR test's exact USD.)
    expect(document.arr_by_currency).toEqual({ eur: 2_006_400, usd: 154_050_010 });
    expect(byName.Starter.arr_by_currency.usd + byName.Pro.arr_by_currency.usd).toBe(144_050_010);
    expect(document.arr).toBe(156_242_203);
  });

  it('gives exactly what the same account gives through the Stripe API', async () => {
    const [offline, live] = await Promise.all([
      runKpi(['mrr', '--demo', '--format', 'json', '--explain']),
      // The demo config converts at ECB rates: live, they come from the (loopback) feed, and at
      // the snapshot's moment the same day applies as to --demo (2026-11-13).
      runKpi(['mrr', '--format', 'json', '--explain', '--config', DEMO_CONFIG_FILE], {
        env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_ECB_URL: ecb.url, KPI_DATA_DIR: dataDir, KPI_NOW: NEWEST_SNAPSHOT_AT },
      }),
    ]);
    expect(live.code).toBe(0);
    expect(JSON.parse(live.stdout).conversion).toMatchObject({ source: 'ecb', date: '2026-11-13' });
    expect(ecb.requestCount()).toBeGreaterThanOrEqual(1);
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
    // The total row: each currency, then the sum in USD of the exact amounts, rounded once:
    // 1,672.00 EUR x 1.0926 = 1,826.8272; + 120,041.675 (exact, shown .68) = 121,868.5022 -> 121,868.50.
    expect(table.stdout).toMatch(/^Total +339 +1,672\.00 EUR\n +120,041\.68 USD\n +=\s121,868\.50 USD$/m);
    expect(table.stdout).toContain('Converted to USD at the ECB reference rates of 2026-11-13: 1 EUR = 1.0926 USD.');
    const help = await runKpi(['mrr', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--api-key-file <file>');
    const version = await runKpi(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
