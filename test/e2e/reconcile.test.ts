import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_FILE, DEMO_EXPORT_FILE } from '../../src/package-root.js';
import { demoSnapshots } from '../../src/cli/billing-source-options.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

interface CustomerJson {
  customer: string;
  currency: string;
  status: string;
  difference: number;
  causes: Array<{ cause: string; subscription: string | null; detail: string; setting: string | null }>;
  explanation: string;
}
interface ReconciliationJson {
  totals: Array<{ currency: string; kpi_mrr: number; list_mrr: number; difference: number; matched: { customers: number; difference: number } }>;
  customers: CustomerJson[];
  notes: string[];
}

const demo = JSON.parse(readFileSync(DEMO_ACCOUNT_FILE, 'utf8')) as StripeAccountFile;
const KEY = 'rk_test_reconcileKey000000000';
let server: RunningStripeServer;
const work = mkdtempSync(join(tmpdir(), 'kpi-reconcile-'));

beforeAll(async () => {
  server = await startStripeServer({ account: demo, apiKeys: [KEY] });
});
afterAll(() => server.close());

const json = async (args: string[], env?: Record<string, string>) => {
  const run = await runKpi([...args, '--format', 'json'], { env, cwd: work });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ReconciliationJson;
};

function expectDifferencesAddUp(document: ReconciliationJson): void {
  for (const total of document.totals) {
    const listed = document.customers.filter((line) => line.currency === total.currency).reduce((sum, line) => sum + line.difference, 0);
    expect(listed + total.matched.difference).toBe(total.difference);
    expect(total.kpi_mrr - total.list_mrr).toBe(total.difference);
  }
}

describe('kpi reconcile', () => {
  it('--demo: the planted differences, each with its cause, adding up to the total', async () => {
    const document = await json(['reconcile', '--demo']);
    const usd = document.totals.find((total) => total.currency === 'usd');
    // Six LAUNCH50 customers at half price (495 + 335 + 322.50 + 265 + 217.50 + 10 = 1,645.00)
    // minus the customer set to cancel at period end, whom kpi's default churn: at_cancellation
    // leaves out and the export (an account counting churn at period end) keeps (20.00):
    // 1,645.00 - 20.00 = 1,625.00 USD; EUR matches.
    expect(usd?.difference).toBe(162500);
    expect(document.totals.find((total) => total.currency === 'eur')?.difference).toBe(0);
    expectDifferencesAddUp(document);
    const launch = document.customers.filter((line) => line.causes.some((cause) => cause.cause === 'coupon_not_subtracted' && cause.detail === 'LAUNCH50'));
    expect(launch).toHaveLength(6);
    expect(launch.reduce((sum, line) => sum + line.difference, 0)).toBe(164500);
    expect(launch.every((line) => line.explanation.includes('(stripe_settings.subtract_repeating: false) keep it; the list subtracted it: set subtract_repeating: true if your account does'))).toBe(true);
    const leaving = document.customers.find((line) => line.status === 'list_only');
    expect(leaving).toMatchObject({
      customer: 'cus_H6BqTiWJ5zLKYk',
      difference: -2000,
      causes: [{ cause: 'scheduled_to_end', subscription: 'sub_1hQyvd6qemGlRmhJRZXW8kQt', detail: '2026-11-22', setting: 'stripe_settings.churn: at_cancellation' }],
    });
    expect(leaving?.explanation).toContain(
      "sub_1hQyvd6qemGlRmhJRZXW8kQt set to cancel at period end on 2026-11-22: Stripe's settings in kpi.config (stripe_settings.churn: at_cancellation) no longer count it; the list still counts it: set churn: at_period_end if your account does",
    );
    expect(document.customers).toHaveLength(7);
  });

  it("--demo with the export account's settings in kpi.config: every customer matches", async () => {
    const config = join(work, 'export-settings.yaml');
    writeFileSync(config, 'version: 1\nstripe_settings:\n  subtract_repeating: true\n  churn: at_period_end\n');
    const run = await runKpi(['reconcile', '--demo', '--config', config, '--fail-on', 'difference'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Every customer matches within 0.01 (tolerance).');
    expect(run.stdout).toContain("Stripe's settings (stripe_settings in kpi.config): forever coupons subtracted, repeating subtracted, once not subtracted, churn at the end of the billing period");
  });

  it('--demo --measure handbook: Enterprise customers are named as outside the tiers', async () => {
    const document = await json(['reconcile', '--demo', '--measure', 'handbook']);
    const enterprise = document.customers.filter((line) => line.causes.some((cause) => cause.cause === 'outside_tiers' && cause.detail === 'FlowFuse Enterprise - Self-Hosted'));
    expect(enterprise.length).toBe(5);
    expect(enterprise.every((line) => line.difference < 0)).toBe(true);
    expectDifferencesAddUp(document);
  });

  it('live through the Stripe SDK gives what the newest demo snapshot gives', async () => {
    const live = await json(['reconcile', '--against', DEMO_EXPORT_FILE], { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_NOW: '2026-11-16T00:00:00Z' });
    const snapshot = await json(['reconcile', '--snapshot', demoSnapshots().at(-1)!.path, '--against', DEMO_EXPORT_FILE]);
    expect(live.totals).toEqual(snapshot.totals);
    expect(live.customers).toEqual(snapshot.customers);
  });

  it('--fail-on difference prints the result, then exits 3', async () => {
    const run = await runKpi(['reconcile', '--demo', '--fail-on', 'difference'], { cwd: work });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('cus_H6BqTiWJ5zLKYk');
    expect(run.stderr).toBe('kpi: error: 7 customers differ beyond the tolerance (--fail-on difference)\n');
    // The October month of the same export, against November's figures: still differences.
    const matched = await runKpi(['reconcile', '--demo', '--month', '2026-10', '--fail-on', 'difference', '--format', 'csv'], { cwd: work });
    expect(matched.code).toBe(3);
    expect(matched.stderr).toContain("warning: the list's month is 2026-10");
  });

  it('says when no customer is on both sides (a list from another account or mode)', async () => {
    const foreign = join(work, 'foreign.csv');
    writeFileSync(foreign, 'customer_id,mrr,currency\ncus_elsewhere1,10.00,usd\ncus_elsewhere2,20.00,usd\n');
    const run = await runKpi(['reconcile', '--demo', '--against', foreign, '--format', 'json'], { cwd: work });
    expect(run.code).toBe(0);
    const note = 'no customer is on both sides: is the list from this Stripe account, and from the same mode (live or test)?';
    expect((JSON.parse(run.stdout) as ReconciliationJson).notes).toEqual([note]);
    // Machine formats carry it, and CI logs read stderr.
    expect(run.stderr).toBe(`kpi: warning: ${note}\n`);
    // The demo's own export shares its customers: no such note.
    expect((await json(['reconcile', '--demo'])).notes).toEqual([]);
  });

  it('an unreadable list exits 2 naming the file and line, with nothing on stdout', async () => {
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'customer_id,currency,mrr\r\ncus_a,usd,10.00\r\ncus_b,usd,n/a\r\n');
    const run = await runKpi(['reconcile', '--demo', '--against', bad], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`kpi: error: ${bad} line 3: "n/a" in column "mrr" is not an amount`);
    const unknown = join(work, 'unknown.csv');
    writeFileSync(unknown, 'id,amount\nx,1\n');
    const layout = await runKpi(['reconcile', '--demo', '--against', unknown], { cwd: work });
    expect(layout.code).toBe(2);
    expect(layout.stderr).toContain('no customer id column found (columns: "id", "amount")');
  });
});
