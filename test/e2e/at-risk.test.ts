import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { AS_OF } from '../support/account-builder.js';
import { CONFIG, plantedAccount } from '../support/at-risk-account.js';
import { runKpi } from '../support/run-kpi.js';

let directory: string;
let snapshotPath: string;
let configPath: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'kpi-at-risk-'));
  // Through a snapshot: the trial ends and period ends must survive its minimised objects.
  const snapshot = await takeSnapshot(new AccountFileReader(plantedAccount()), { takenAt: AS_OF, source: 'planted account', livemode: false });
  snapshotPath = writeSnapshot(directory, snapshot);
  configPath = join(directory, 'kpi.config.json');
  writeFileSync(configPath, JSON.stringify(CONFIG));
});

const run = (...args: string[]) => runKpi(['mrr', '--snapshot', snapshotPath, '--config', configPath, '--at-risk', ...args]);

describe('kpi mrr --at-risk (the built binary, from a snapshot)', () => {
  it('prints the at-risk section under the MRR table', async () => {
    const result = await run('--no-color');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('MRR at risk within 30 days (to 2026-12-16)');
    // Figures worked out in test/integration/at-risk.test.ts.
    expect(result.stdout).toMatch(/Past due\s+3\s+590\.00 USD\s+17\.9 %/);
    expect(result.stdout).toMatch(/Scheduled to end\s+3\s+1,100\.00 USD/);
    expect(result.stdout).toMatch(/Discounts ending\s+2\s+275\.00 USD/);
    expect(result.stdout).toMatch(/Trials ending\s+2\s+400\.00 EUR/);
  });

  it('carries at_risk in JSON, with subscription ids and dates under --explain', async () => {
    const result = await run('--format', 'json', '--explain', '--horizon', '21');
    expect(result.code).toBe(0);
    const atRisk = JSON.parse(result.stdout).at_risk;
    // 21 days: D (day 20) ends inside, F (day 22) and N (day 25) after: 50000.
    expect(atRisk.horizon_days).toBe(21);
    expect(atRisk.scheduled_to_end.mrr_by_currency).toEqual({ usd: 50_000 });
    expect(atRisk.scheduled_to_end.explain).toEqual([
      expect.objectContaining({ tier: 'Pro', currency: 'usd', mrr: 50_000, date: new Date((AS_OF + 20 * 86_400) * 1000).toISOString() }),
    ]);
    expect(atRisk.scheduled_to_end.explain[0].subscription).toMatch(/^sub_/);
    expect(atRisk.past_due.mrr_by_currency).toEqual({ usd: 59_000 });
    expect(atRisk.trials_ending.mrr_by_currency).toEqual({ eur: 40_000, usd: 50_000 });
  });

  it('refuses a horizon without --at-risk, and one that is not a whole number of days, naming the flag', async () => {
    const alone = await runKpi(['mrr', '--demo', '--horizon', '10']);
    expect(alone.code).toBe(2);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toContain('--horizon works with --at-risk');
    const zero = await run('--horizon', '0');
    expect(zero.code).toBe(2);
    expect(zero.stdout).toBe('');
    expect(zero.stderr).toContain('--horizon');
    // Days past what a date can hold were an internal error (exit 70, "Invalid time value").
    const endless = await run('--horizon', '99999999');
    expect(endless.code).toBe(2);
    expect(endless.stdout).toBe('');
    expect(endless.stderr).toContain('--horizon');
    expect(endless.stderr).toContain('3660');
    const tenYears = await run('--horizon', '3660', '--format', 'json');
    expect(tenYears.code).toBe(0);
    expect(JSON.parse(tenYears.stdout).at_risk.horizon_days).toBe(3660);
    const clash = await runKpi(['mrr', '--demo', '--at-risk', '--from', '2026-10-12']);
    expect(clash.code).toBe(2);
    expect(clash.stdout).toBe('');
  });

  it('works on the bundled demo: its past-due subscriptions are the ones MRR counts as past_due', async () => {
    const result = await runKpi(['mrr', '--demo', '--at-risk', '--explain', '--format', 'json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    const atRisk = document.at_risk;
    expect(Object.keys(atRisk)).toEqual(['horizon_days', 'horizon_end', 'past_due', 'scheduled_to_end', 'discounts_ending', 'trials_ending']);
    // Independent of how the demo is generated: the same subscriptions seen two ways.
    const pastDueInMrr = new Set(document.explain.filter((line: any) => line.status === 'past_due').map((line: any) => line.subscription));
    expect(atRisk.past_due.subscriptions).toBe(pastDueInMrr.size);
    expect(new Set(atRisk.past_due.explain.map((line: any) => line.subscription))).toEqual(pastDueInMrr);
    // Trials are upside, never in MRR, and end inside the horizon.
    for (const line of atRisk.trials_ending.explain) {
      expect(pastDueInMrr.has(line.subscription)).toBe(false);
      expect(document.explain.some((counted: any) => counted.subscription === line.subscription)).toBe(false);
      expect(line.date > document.as_of && line.date <= atRisk.horizon_end).toBe(true);
    }
  });
});

describe('the at-risk figures as KPIs in kpi report', () => {
  it('past_due_share and scheduled_to_end_mrr, lower is better, against targets', async () => {
    const reportConfig = join(directory, 'report.config.json');
    writeFileSync(
      reportConfig,
      JSON.stringify({
        ...CONFIG,
        report: {
          kpis: [
            { id: 'past_due', name: 'Past-due share', unit: 'percent', source: { type: 'stripe', metric: 'past_due_share' }, target: 10, direction: 'lower' },
            { id: 'pro_past_due', name: 'Pro past-due share', unit: 'percent', source: { type: 'stripe', metric: 'past_due_share', tier: 'Pro' }, target: 20, direction: 'lower' },
            { id: 'ending', name: 'MRR set to end', unit: 'money', source: { type: 'stripe', metric: 'scheduled_to_end_mrr' }, target: 2000, direction: 'lower' },
            { id: 'starter_ending', name: 'Starter MRR set to end', unit: 'money', source: { type: 'stripe', metric: 'scheduled_to_end_mrr', tier: 'Starter' } },
          ],
        },
      }),
    );
    const result = await runKpi(['report', '--snapshot', snapshotPath, '--config', reportConfig, '--format', 'json']);
    const byId = Object.fromEntries(JSON.parse(result.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    // 59000 / 330500 = 17.85 % against at most 10 %: red (yellow only up to 11 %).
    expect(byId.past_due).toMatchObject({ value: 17.85, target: 10, status: 'red' });
    // Pro: 55000 / 322500 = 17.05 % against at most 20 %: green.
    expect(byId.pro_past_due).toMatchObject({ value: 17.05, target: 20, status: 'green' });
    // D 50000 + F 50000 + N 10000 = 110000 (1,100.00 USD) against at most 2,000.00 USD: green.
    expect(byId.ending).toMatchObject({ value: 110_000, target: 200_000, status: 'green', currency: 'usd' });
    // Nothing of Starter is set to end: 0.
    expect(byId.starter_ending).toMatchObject({ value: 0, currency: 'usd' });
    expect(result.code).toBe(0);
  });
});
