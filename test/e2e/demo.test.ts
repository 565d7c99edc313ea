import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_FILE } from '../../src/package-root.js';
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
    expect(document.mrr).toBeNull();
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
  });

  it('gives exactly what the same account gives through the Stripe API', async () => {
    const [offline, live] = await Promise.all([
      runKpi(['mrr', '--demo', '--format', 'json', '--explain']),
      runKpi(['mrr', '--format', 'json', '--explain'], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url } }),
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
    const help = await runKpi(['mrr', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--api-key-file <file>');
    const version = await runKpi(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
