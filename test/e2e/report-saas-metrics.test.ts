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

  it('is n/a with the reason when the ratio has no denominator (no losses in EUR)', async () => {
    const { config } = setup(`
    - id: eur_quick_ratio
      name: EUR quick ratio
      unit: count
      period: last_28_days
      currency: eur
      source: { type: stripe, metric: quick_ratio }
`);
    const run = await runKpi(['report', '--demo', '--config', config, '--format', 'json']);
    const [kpi] = JSON.parse(run.stdout).kpis;
    expect(kpi.status).toBe('error');
    expect(kpi.value).toBeNull();
    expect(kpi.error).toContain('no MRR was lost in the period');
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
