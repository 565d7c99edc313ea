import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

/**
 * The bundled snapshots from 2026-10-12 to 2026-11-16 (35 days = 5 weeks). The USD total's
 * movements are README's `kpi mrr --demo --from 2026-10-12` sample, in cents:
 *   start 11,202,393; new +963,592; reactivation +141,833; expansion +37,900;
 *   contraction -10,917; churn -330,633; end 12,004,168.
 * Losses = 10,917 + 330,633 = 341,550.
 */
const DEMO_PERIOD = ['metrics', '--demo', '--from', '2026-10-12'];

describe('kpi metrics (demo)', () => {
  it('JSON carries each ratio with the integers it is made of', async () => {
    const run = await runKpi([...DEMO_PERIOD, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.kind).toBe('saas_metrics');
    expect(document.from.taken_at).toBe('2026-10-12T00:00:00.000Z');
    expect(document.to.taken_at).toBe('2026-11-16T00:00:00.000Z');
    const usd = document.totals.find((line: { currency: string }) => line.currency === 'usd');
    // New customers: 24 new + 3 won back (the movements' customer counts); 305 + 27 - 9 = 323.
    expect(usd.customers).toEqual({ start: 305, end: 323, new: 27, churned: 9 });
    expect(usd.subscriptions).toEqual({ start: 312, end: 331 });
    // 11,202,393 / 305 = 36,729.16 -> 36,729; 12,004,168 / 323 = 37,164.61 -> 37,165.
    expect(usd.arpa).toEqual({ start: { value: 36729, numerator: 11202393, denominator: 305 }, end: { value: 37165, numerator: 12004168, denominator: 323 } });
    // 9 / 305 = 0.02951
    expect(usd.logo_churn).toEqual({ value: '0.0295', numerator: 9, denominator: 305 });
    // 341,550 / 11,202,393 = 0.03049
    expect(usd.gross_revenue_churn).toEqual({ value: '0.0305', numerator: 341550, denominator: 11202393 });
    // (341,550 - 37,900 - 141,833) = 161,817 / 11,202,393 = 0.01444
    expect(usd.net_revenue_churn).toEqual({ value: '0.0144', numerator: 161817, denominator: 11202393 });
    // Every expansion is by a customer paying at the start (the cohort), win-backs and new
    // customers are not: 11,202,393 - 341,550 + 37,900 = 10,898,743 / 11,202,393 = 0.97289.
    expect(usd.nrr).toEqual({ value: '0.9729', numerator: 10898743, denominator: 11202393 });
    // GRR caps each customer at its start: 11,202,393 - 341,550 = 10,860,843, plus 6,500 of
    // one customer's loss offset by its own expansion = 10,867,343 / 11,202,393 = 0.97009.
    expect(usd.grr).toEqual({ value: '0.9701', numerator: 10867343, denominator: 11202393 });
    // (963,592 + 37,900 + 141,833) = 1,143,325 / 341,550 = 3.34746
    expect(usd.quick_ratio).toEqual({ value: '3.3475', numerator: 1143325, denominator: 341550 });
    // 801,775 / 11,202,393 = 0.07157
    expect(usd.mrr_growth).toEqual({ value: '0.0716', numerator: 801775, denominator: 11202393 });
    // (12,004,168 / 11,202,393)^(1/5) - 1 = 1.071572^0.2 - 1 = 0.01392
    expect(usd.weekly_mrr_growth).toEqual({ value: '0.0139', start_mrr: 11202393, end_mrr: 12004168, weeks: '5.0000' });

    // EUR: 16.72 EUR per 8 customers at both ends, no movement at all: a currency with no activity.
    const eur = document.totals.find((line: { currency: string }) => line.currency === 'eur');
    expect(eur.customers).toEqual({ start: 8, end: 8, new: 0, churned: 0 });
    expect(eur.quick_ratio).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(eur.nrr.value).toBe('1.0000');
    // The tiers: Starter and Pro in each currency.
    expect(document.tiers.map((line: { tier: string; currency: string }) => `${line.tier} ${line.currency}`)).toEqual(['Starter eur', 'Starter usd', 'Pro eur', 'Pro usd']);
  });

  it('the table shows the same figures rounded for people', async () => {
    const run = await runKpi([...DEMO_PERIOD, '--no-color']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SaaS metrics · 2026-10-12 → 2026-11-16');
    expect(run.stdout).toMatch(/NRR +100\.00 % +97\.18 % +100\.00 % +97\.23 % +100\.00 % +97\.29 %/);
    expect(run.stdout).toMatch(/Quick ratio +n\/a +1\.91 +n\/a +3\.45 +n\/a +3\.35/);
    expect(run.stdout).toMatch(/ARPA at start +19\.00 EUR +32\.16 USD +399\.00 EUR +721\.72 USD +209\.00 EUR +367\.29 USD/);
  });

  it('CSV has one row per scope and metric, with numerator and denominator', async () => {
    const run = await runKpi([...DEMO_PERIOD, '--format', 'csv']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('tier,currency,metric,value,numerator,denominator');
    expect(lines).toContain('Total,usd,quick_ratio,3.3475,11433.25,3415.50');
    expect(lines).toContain('Total,usd,logo_churn,0.0295,9,305');
    expect(lines).toContain('Total,usd,arpa_start,367.29,112023.93,305');
    expect(lines).toContain('Total,eur,quick_ratio,,0.00,0.00');
  });

  it('Markdown is a table for the pre-read doc', async () => {
    const run = await runKpi([...DEMO_PERIOD, '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# SaaS metrics, 2026-10-12 → 2026-11-16');
    expect(run.stdout).toContain('| Metric | Starter EUR | Starter USD | Pro EUR | Pro USD | Total EUR | Total USD |');
    expect(run.stdout).toContain('| Logo churn | 0.00 % | 3.70 % | 0.00 % | 2.70 % | 0.00 % | 2.95 % |');
  });

  it('refuses a period without two snapshots, and a missing --from, as usage errors with nothing on stdout', async () => {
    const early = await runKpi(['metrics', '--demo', '--from', '2020-01-01']);
    expect(early.code).toBe(2);
    expect(early.stdout).toBe('');
    expect(early.stderr).toContain('no snapshot at or before --from 2020-01-01');
    const missing = await runKpi(['metrics', '--demo']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('--from');
  });
});
