import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

let workdir: string;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'kpi-e2e-'));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('the reporting currency', () => {
  it('accepts --offline on every command that converts money (fixed rates: no effect)', async () => {
    const [mrr, arr, report, okr] = await Promise.all([
      runKpi(['mrr', '--demo', '--offline', '--format', 'json']),
      runKpi(['arr', '--demo', '--offline', '--format', 'json']),
      runKpi(['report', '--demo', '--offline', '--format', 'json']),
      runKpi(['okr', 'status', '--demo', '--offline', '--format', 'json']),
    ]);
    for (const run of [mrr, arr, report, okr]) expect(run.code).toBe(0);
    // The same figures as without the flag: 1,672.00 EUR x 1.08 + 120,041.68 USD = 121,847.44 USD.
    expect(JSON.parse(mrr.stdout).mrr).toBe(12_184_744);
    const snapshotHelp = await runKpi(['snapshot', '--help']);
    expect(snapshotHelp.stdout.replace(/\s+/g, ' ')).toContain('--offline ECB reference rates from the cache only, no network (no effect with fixed rates in the config)');
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
