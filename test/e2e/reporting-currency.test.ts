import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_FILE } from '../../src/package-root.js';
import { runKpi } from '../support/run-kpi.js';

/**
 * The demo company's folder copied into `workdir` with its config at a fixed 1 EUR = 1.08 USD
 * instead of ECB rates (the config's KPI files are relative to it, so they come along).
 */
function demoWithFixedRates(folder: string): string {
  cpSync(dirname(DEMO_CONFIG_FILE), folder, { recursive: true });
  const config = join(folder, 'kpi.config.yaml');
  const demoYaml = readFileSync(config, 'utf8');
  expect(demoYaml).toContain('\n  rates: ecb\n');
  writeFileSync(config, demoYaml.replace('\n  rates: ecb\n', '\n  rates:\n    eur: "1.08"\n'));
  return config;
}

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'kpi-e2e-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('the reporting currency', () => {
  it('accepts --offline on every command that converts money (fixed rates: no effect)', async () => {
    const config = demoWithFixedRates(join(workdir, 'demo-fixed-rates'));
    const [mrr, arr, report, okr] = await Promise.all([
      runKpi(['mrr', '--demo', '--offline', '--format', 'json', '--config', config]),
      runKpi(['arr', '--demo', '--offline', '--format', 'json', '--config', config]),
      runKpi(['report', '--demo', '--offline', '--format', 'json', '--config', config]),
      runKpi(['okr', 'status', '--demo', '--offline', '--format', 'json', '--config', config]),
    ]);
    for (const run of [mrr, arr, report, okr]) expect(run.code).toBe(0);
    // The same figures as without the flag: 1,672.00 EUR x 1.08 + 120,041.675 USD (exact; shown
    // 120,041.68) = 1,805.76 + 120,041.675 = 121,847.435 -> 121,847.44 USD.
    expect(JSON.parse(mrr.stdout).mrr).toBe(12_184_744);
    expect(JSON.parse(mrr.stdout).conversion).toMatchObject({ source: 'config', date: null, rates: { eur: '1.08' } });
    // 20,064.00 EUR x 1.08 = 21,669.12; + 1,540,500.10 USD = 1,562,169.22 USD.
    expect(JSON.parse(arr.stdout).arr).toBe(156_216_922);
    expect(JSON.parse(report.stdout).kpis.find((kpi: { id: string }) => kpi.id === 'mrr').value).toBe(12_184_744);
    const snapshotHelp = await runKpi(['snapshot', '--help']);
    expect(snapshotHelp.stdout.replace(/\s+/g, ' ')).toContain('--offline ECB reference rates from the cache only, no network (no effect with fixed rates in the config)');
  });

  it("accepts --offline with the demo's own ECB config: its rates come from the bundled file, never the network", async () => {
    const [online, offline] = await Promise.all([runKpi(['mrr', '--demo', '--format', 'json']), runKpi(['mrr', '--demo', '--offline', '--format', 'json'])]);
    expect(offline.code).toBe(0);
    // 1,672.00 EUR x 1.0926 (ECB, 2026-11-13) = 1,826.8272; + 120,041.675 USD = 121,868.5022 -> 121,868.50 USD.
    expect(JSON.parse(offline.stdout).mrr).toBe(12_186_850);
    expect(JSON.parse(offline.stdout).conversion).toEqual(JSON.parse(online.stdout).conversion);
  });

  it('refuses a currency the configured rates cannot convert, naming it, with nothing on stdout (exit 2)', async () => {
    const config = join(workdir, 'gbp-only.yaml');
    writeFileSync(config, 'reporting:\n  currency: usd\n  rates:\n    gbp: "1.25"\n');
    const run = await runKpi(['mrr', '--demo', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('reporting.rates has no rate for EUR, which the account bills in');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
