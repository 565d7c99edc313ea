import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

/**
 * A config file in a fresh folder. --demo reads the demo config (ECB rates) unless --config
 * names another, so tests about fixed rates or no reporting pass one explicitly.
 */
function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kpi-fx-')), 'kpi.config.yaml');
  writeFileSync(file, yaml);
  return file;
}

const fixedRatesConfig = () => configFile('version: 1\nreporting:\n  currency: usd\n  rates:\n    eur: "1.08"\n');
const noReportingConfig = () => configFile('version: 1\n');

describe('--constant-currency', () => {
  it.each([
    [['mrr', '--demo', '--from', '2026-10-12', '--constant-currency']],
    [['arr', '--demo', '--weekly', '--constant-currency']],
  ])('without reporting rates in the config is a usage error naming what is missing: %j', async (args) => {
    const config = noReportingConfig();
    const run = await runKpi([...args, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--constant-currency needs reporting rates');
    expect(run.stderr).toContain(`config ${config} has no "reporting" section`);
  });

  it('outside a history is a usage error', async () => {
    const run = await runKpi(['arr', '--demo', '--constant-currency', '--config', fixedRatesConfig()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--constant-currency works with --weekly');
  });

  it('with fixed rates, movements have an fx line of 0 and say the rates of both ends', async () => {
    const run = await runKpi(['mrr', '--demo', '--from', '2026-10-12', '--format', 'json', '--config', fixedRatesConfig()]);
    expect(run.code).toBe(0);
    const converted = JSON.parse(run.stdout).converted;
    // 120,041.675 USD (exact; shown 120,041.68) + 1,672.00 EUR x 1.08 = 120,041.675 + 1,805.76
    // = 121,847.435 -> 121,847.44 USD at the end.
    expect(converted).toMatchObject({ currency: 'usd', fx_adjustment: 0, constant_currency: false, end_rates: { source: 'config', date: null, quotes: { eur: '1.08' } } });
    expect(converted.total.end_mrr).toBe(12_184_744);
  });
});
