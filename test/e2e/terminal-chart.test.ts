import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

describe('kpi arr --demo --weekly draws a chart under the table', () => {
  it('piped and without FORCE_COLOR: the chart is there, in Unicode, without colour', async () => {
    const run = await runKpi(['arr', '--demo', '--weekly'], { env: { LANG: 'C.UTF-8' } });
    expect(run.code).toBe(0);
    // The demo has EUR and USD subscriptions and no conversion rates: one chart each.
    expect(run.stdout).toContain('ARR in EUR by week');
    expect(run.stdout).toContain('ARR in USD by week');
    // The eight weeks' Mondays under the bars, the newest last.
    expect(run.stdout).toContain('        09-21 09-28 10-05 10-12 10-19 10-26 11-02 11-09\n');
    expect(run.stdout).toContain('█ ARR  ─ target: the week before + 10 %');
    expect(run.stdout).not.toContain('\x1b[');
    // Piped output is not fitted to a width: the table's rows stay whole.
    expect(run.stdout).toContain('2026-11-09 – 2026-11-15  snapshot  1,540,500.10 USD  0.88 %    10 %  no');
  });

  it('with --ascii: not one byte of 0x80 or above, # bars and | axis', async () => {
    const run = await runKpi(['arr', '--demo', '--weekly', '--ascii']);
    expect(run.code).toBe(0);
    expect([...Buffer.from(run.stdout, 'utf8')].filter((byte) => byte >= 0x80)).toEqual([]);
    expect(run.stdout).toContain('2026-11-09 - 2026-11-15  snapshot  1,540,500.10 USD  0.88 %    10 %  no');
    expect(run.stdout).toMatch(/^ {6}\| ####  ####/m);
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
