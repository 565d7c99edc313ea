import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSubscriptionsSetToEnd } from '../support/handworked-account.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_e2eSETTINGSkey000111222';
let server: RunningStripeServer;
let workdir: string;
const live = () => ({ STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url });

function configWith(name: string, stripeSettings: string): string {
  const path = join(workdir, name);
  writeFileSync(path, `version: 1\n${stripeSettings}`);
  return path;
}

beforeAll(async () => {
  // The test server serves cancel_at_period_end and cancel_at as Stripe does.
  server = await startStripeServer({ account: withSubscriptionsSetToEnd(), apiKeys: [KEY] });
  workdir = mkdtempSync(join(tmpdir(), 'kpi-e2e-settings-'));
});
afterAll(() => server.close());

describe("stripe_settings through the binary", () => {
  it("Stripe's defaults: subscriptions set to end leave the Stripe column, shown as their own cause", async () => {
    const run = await runKpi(['mrr', '--format', 'json'], { env: live(), cwd: workdir });
    expect(run.stderr).toBe('');
    const document = JSON.parse(run.stdout);
    // Starter: handbook 11833.333 + 2000 -> 13833; Stripe 10533.333 -> 10533 (the one set to end is not counted).
    expect(document.reconciliation.tiers[0]).toMatchObject({ handbook_mrr: 13_833, stripe_mrr: 10_533, difference: 3300 });
    expect(document.reconciliation.tiers[0].causes.map((cause: any) => [cause.cause, cause.mrr])).toEqual([
      ['coupon-ignored-by-list-price', 1700],
      ['scheduled-to-end', 1600],
    ]);
  });

  it('every setting turned the other way, in the heading and in the figures', async () => {
    const config = configWith('other-way.yaml', 'stripe_settings:\n  subtract_repeating: true\n  subtract_once: true\n  churn: at_period_end\n');
    const run = await runKpi(['mrr', '--config', config], { env: live(), cwd: workdir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Compared with Stripe's MRR definition (Billing Overview settings: forever coupons subtracted, repeating subtracted, once subtracted, churn at the end of the billing period)",
    );
    // Pro: handbook 407366.667 + 42500 = 449866.667 -> 449866.67 USD; Stripe keeps the one set to end (42500)
    // but subtracts LAUNCH50 (28050) and FIRSTMONTH (47500): 449866.667 - 75550 = 374316.667 -> 3,743.17 USD.
    expect(run.stdout).toMatch(/Pro\s+4,498\.67 USD\s+3,743\.17 USD\s+755\.50 USD/);
    expect(run.stdout).toContain("Pro: once coupon FIRSTMONTH (100 %) subtracted by stripe_settings.subtract_once, not by discounts.count_once: +475.00 USD on 1 subscription");
    expect(run.stdout).toContain("Pro: repeating coupon LAUNCH50 (50 %) subtracted by stripe_settings.subtract_repeating, not by discounts.count_repeating: +280.50 USD on 1 subscription");
    expect(run.stdout).not.toContain('set to end');
  });

  it('kpi config check shows both sets of settings side by side', async () => {
    const config = configWith('period-end.yaml', 'stripe_settings:\n  churn: at_period_end\n');
    const run = await runKpi(['config', 'check', '--config', config], { env: live(), cwd: workdir });
    expect(run.stdout).toMatch(/Repeating coupons\s+not subtracted \(rule billed\)\s+not subtracted/);
    expect(run.stdout).toMatch(/Set to end\s+counted until it ends\s+counted until it ends \(churn at_period_end\)/);
  });

  it('refuses an unknown churn setting with exit 2, naming the field and the valid values', async () => {
    const config = configWith('bad.yaml', 'stripe_settings:\n  churn: whenever\n');
    const run = await runKpi(['mrr', '--config', config], { env: live(), cwd: workdir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('stripe_settings.churn');
    expect(run.stderr).toMatch(/at_cancellation.*at_period_end/);
  });
});
