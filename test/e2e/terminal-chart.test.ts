import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

/**
 * The newest demo week in USD at the ECB rates in force at each snapshot (Monday 00:00 UTC,
 * before that day's publication, so the Friday before): 2026-11-16 at 2026-11-13's 1.0926,
 * 2026-11-09 at 2026-11-06's 1.0922.
 * ARR: 1,540,500.10 USD + 20,064.00 EUR x 1.0926 (= 21,921.9264) = 1,562,422.03 USD; the week
 * before 1,527,128.10 + 20,064.00 x 1.0922 (= 21,913.9008) = 1,549,042.00 USD. Growth
 * 13,380.03 / 1,549,042.00 = 0.864 % -> 0.86 %; FX 20,064.00 x (1.0926 - 1.0922) = +8.03 USD.
 */
const NEWEST_WEEK_IN_USD = 'snapshot  1,562,422.03 USD  0.86 %   +8.03 USD    10 %  no';

describe('kpi arr --demo --weekly draws a chart under the table', () => {
  it('piped and without FORCE_COLOR: the chart is there, in Unicode, without colour', async () => {
    const run = await runKpi(['arr', '--demo', '--weekly'], { env: { LANG: 'C.UTF-8' } });
    expect(run.code).toBe(0);
    // The demo converts its EUR and USD subscriptions to USD at ECB rates: one chart, in USD.
    expect(run.stdout).toContain('ARR in USD by week');
    expect(run.stdout).not.toContain('ARR in EUR by week');
    expect(run.stdout.match(/ by week /g)).toHaveLength(1);
    // The eight weeks' Mondays under the bars, the newest last (the axis labels, "1.7M" for
    // the highest target 1,549,042.00 x 1.1 = 1,703,946.20, take 4 columns).
    expect(run.stdout).toContain('\n       09-21 09-28 10-05 10-12 10-19 10-26 11-02 11-09\n');
    expect(run.stdout).toMatch(/^1\.7M ┤ /m);
    expect(run.stdout).toContain('█ ARR  ─ target: the week before + 10 %');
    expect(run.stdout).not.toContain('\x1b[');
    // Piped output is not fitted to a width: the table's rows stay whole.
    expect(run.stdout).toContain(`2026-11-09 – 2026-11-15  ${NEWEST_WEEK_IN_USD}`);
  });

  it('without reporting rates: one chart per currency, each apart', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'kpi-chart-')), 'kpi.config.yaml');
    writeFileSync(config, 'version: 1\n');
    const run = await runKpi(['arr', '--demo', '--weekly', '--config', config], { env: { LANG: 'C.UTF-8' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ARR in EUR by week');
    expect(run.stdout).toContain('ARR in USD by week');
    // Axis labels "22.1k" and "1.68M" take 5 columns.
    expect(run.stdout.match(/\n {8}09-21 09-28 10-05 10-12 10-19 10-26 11-02 11-09\n/g)).toHaveLength(2);
    // 1,540,500.10 / 1,527,128.10 = 1.00876 -> 0.88 % growth in USD alone.
    expect(run.stdout).toContain('2026-11-09 – 2026-11-15  snapshot  1,540,500.10 USD  0.88 %    10 %  no');
  });

  it('with --ascii: not one byte of 0x80 or above, # bars and | axis', async () => {
    const run = await runKpi(['arr', '--demo', '--weekly', '--ascii']);
    expect(run.code).toBe(0);
    expect([...Buffer.from(run.stdout, 'utf8')].filter((byte) => byte >= 0x80)).toEqual([]);
    expect(run.stdout).toContain(`2026-11-09 - 2026-11-15  ${NEWEST_WEEK_IN_USD}`);
    // Under the 4-column axis labels ("1.7M"), a space, then the axis.
    expect(run.stdout).toMatch(/^ {5}\| ####  ####/m);
    expect(run.stdout).toContain('# ARR  - target: the week before + 10 %');
  });

  it('a non-UTF-8 locale draws in ASCII as --ascii does', async () => {
    const [ascii, latin1] = await Promise.all([runKpi(['arr', '--demo', '--weekly', '--ascii']), runKpi(['arr', '--demo', '--weekly'], { env: { LANG: 'de_DE.ISO-8859-1' } })]);
    expect(latin1.stdout).toBe(ascii.stdout);
  });

  it('JSON and CSV are unchanged: no chart', async () => {
    const [json, csv] = await Promise.all([runKpi(['arr', '--demo', '--weekly', '--format', 'json']), runKpi(['arr', '--demo', '--weekly', '--format', 'csv', '--ascii'])]);
    expect(JSON.parse(json.stdout).weeks).toHaveLength(8);
    expect(csv.stdout).not.toContain('ARR in');
    expect(csv.stdout.split('\r\n')[0]).toBe('week_start,week_end,basis,arr,currency,growth_percent,target_percent,met_target,fx,rates_source,rates_date');
  });

  it('--help of arr and report mention --ascii', async () => {
    const [arr, report] = await Promise.all([runKpi(['arr', '--help']), runKpi(['report', '--help'])]);
    expect(arr.stdout).toContain('--ascii');
    expect(report.stdout).toContain('--ascii');
  });
});
