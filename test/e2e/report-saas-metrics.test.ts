import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

/**
 * SaaS metrics as KPIs on the bundled snapshots. The demo's report runs at 2026-11-16 00:00
 * UTC, so last_28_days starts 2026-10-19 00:00: the snapshots of 2026-10-19 and 2026-11-16
 * (`kpi metrics --demo --from 2026-10-19`). Its USD total:
 *   NRR 10,974,743 / 11,286,493 = 0.97238 -> 97.24 %
 *   quick ratio 1,057,725 / 340,050 = 3.1105 -> 3.11
 *   ARPA at the end 12,004,168 / 323 = 37,164.61 -> 371.65 USD
 * and the Pro USD tier's logo churn 4 / 149 = 0.02685 -> 2.68 %.
 */
function setup(kpis: string, okrs?: string): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-saas-kpis-'));
  const config = join(dir, 'kpi.config.yaml');
  writeFileSync(config, `report:\n  kpis:\n${kpis}`);
  if (okrs) writeFileSync(join(dir, 'okrs.yaml'), okrs);
  return { dir, config };
}

const NRR_KPI = `
    - id: nrr
      name: NRR
      unit: percent
      period: last_28_days
      currency: usd
      source: { type: stripe, metric: nrr }
      target: 99
      yellow_within_percent: 1
`;

describe('SaaS metrics as report KPIs', () => {
  it('is red when NRR drops below its target, and every metric carries its value', async () => {
    const { config } = setup(
      NRR_KPI +
        `
    - id: pro_logo_churn
      name: Pro logo churn
      unit: percent
      period: last_28_days
      currency: usd
      source: { type: stripe, metric: logo_churn, tier: Pro }
      target: 3
      direction: lower
    - id: quick_ratio
      name: Quick ratio
      unit: count
      period: last_28_days
      currency: usd
      source: { type: stripe, metric: quick_ratio }
      target: 3
    - id: arpa
      name: ARPA
      unit: money
      period: last_28_days
      currency: usd
      source: { type: stripe, metric: arpa }
`,
    );
    const run = await runKpi(['report', '--demo', '--config', config, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    // 97.24 is more than 1 % of 99 short of it (99 x 0.99 = 98.01): red.
    expect(results.nrr).toMatchObject({ value: 97.24, target: 99, status: 'red', unit: 'percent' });
    expect(results.nrr.period).toEqual({ name: 'last_28_days', start: '2026-10-19T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' });
    // Lower is better: 2.68 % under the 3 % ceiling is green.
    expect(results.pro_logo_churn).toMatchObject({ value: 2.68, target: 3, status: 'green' });
    expect(results.quick_ratio).toMatchObject({ value: 3.11, target: 3, status: 'green' });
    expect(results.arpa).toMatchObject({ value: 37165, currency: 'usd', status: 'no_target' });

    const table = await runKpi(['report', '--demo', '--config', config, '--no-color']);
    expect(table.stdout).toMatch(/✖ RED +NRR +97\.24 % +99 %/);
  });

  // The EUR books did not move in the demo: nothing lost, so no quick ratio. That is an
  // answer, not a failed source: the run must not fail CI (exit 1) for it.
  const EUR_QUICK_RATIO = `
    - id: eur_quick_ratio
      name: EUR quick ratio
      unit: count
      period: last_28_days
      currency: eur
      source: { type: stripe, metric: quick_ratio }
      target: 2
`;

  it('has no value, with the reason, when the ratio has no denominator (no losses in EUR), and does not fail the run', async () => {
    const { config } = setup(EUR_QUICK_RATIO);
    const run = await runKpi(['report', '--demo', '--config', config, '--format', 'json', '--fail-on', 'red']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const document = JSON.parse(run.stdout);
    const [kpi] = document.kpis;
    expect(kpi).toMatchObject({ status: 'no_value', value: null, target: 2, error: null });
    expect(kpi.reason).toContain('no MRR was lost in the period');
    expect(document.all_on_track).toBe(true);

    const table = await runKpi(['report', '--demo', '--config', config, '--no-color']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/· no value +EUR quick ratio +– +2 /);
    expect(table.stdout).toContain('EUR quick ratio: no MRR was lost in the period');
    const offTrack = await runKpi(['report', '--demo', '--config', config, '--only', 'off-track', '--format', 'json']);
    expect(JSON.parse(offTrack.stdout).kpis).toEqual([]);
  });

  it('leaves a key result linked to a KPI without value to its check-ins, without failing', async () => {
    const { dir, config } = setup(
      EUR_QUICK_RATIO,
      `period: 2026-Q4
objectives:
  - title: Grow faster than we lose
    owner: Finance
    type: committed
    key_results:
      - title: EUR quick ratio to 4
        kpi: eur_quick_ratio
        start: 0
        target: 4
        check_ins: [{ date: 2026-11-09, value: 2, confidence: 7 }]
`,
    );
    const run = await runKpi(['okr', 'status', join(dir, 'okrs.yaml'), '--demo', '--config', config, '--format', 'json']);
    expect(run.code).toBe(0);
    const [keyResult] = JSON.parse(run.stdout).objectives[0].key_results;
    // The check-in 2 of the way 0 -> 4: 0.5.
    expect(keyResult).toMatchObject({ basis: 'check-in', current: 2, score: 0.5 });
    expect(keyResult.note).toContain('no MRR was lost in the period');
  });

  it('is n/a when the period starts before the first snapshot', async () => {
    const { config } = setup(NRR_KPI.replace('last_28_days', 'last_365_days'));
    const run = await runKpi(['report', '--demo', '--config', config, '--format', 'json']);
    const [kpi] = JSON.parse(run.stdout).kpis;
    expect(kpi.status).toBe('error');
    expect(kpi.error).toContain('no snapshot at or before the period start');
  });

  it('refuses a period metric without a period, or in the wrong unit, as a config error', async () => {
    const { config } = setup(NRR_KPI.replace('period: last_28_days', 'period: now').replace('unit: percent', 'unit: money'));
    const run = await runKpi(['report', '--demo', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('must be percent for the stripe metric nrr');
    expect(run.stderr).toContain('the stripe metric nrr compares two snapshots');
  });

  it('drives an OKR key result linked to a percent KPI', async () => {
    const { dir, config } = setup(
      NRR_KPI,
      `period: 2026-Q4
objectives:
  - title: Keep the customers we have
    owner: Customer success
    type: committed
    key_results:
      - { title: NRR from 90 % to 100 %, kpi: nrr, start: 90, target: 100 }
`,
    );
    const run = await runKpi(['okr', 'status', join(dir, 'okrs.yaml'), '--demo', '--config', config, '--format', 'json']);
    expect(run.code).toBe(0);
    const [keyResult] = JSON.parse(run.stdout).objectives[0].key_results;
    // (97.24 - 90) / (100 - 90) = 0.724 -> 0.72; half the quarter gone (46 of 92 days), the
    // committed goal 1.0 x 0.5 = 0.5 is met: On-Track.
    expect(keyResult).toMatchObject({ basis: 'kpi', current: 97.24, score: 0.72, status: 'On-Track' });
  });
});
