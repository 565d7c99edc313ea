import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { displayWidth } from '../../src/render/table-fit.js';

/** Collects what is written, like a stream; `columns` makes it a terminal of that width. */
function sink(columns?: number) {
  let text = '';
  return { isTTY: columns !== undefined, columns, write: (chunk: string) => ((text += chunk), true), get text() { return text; } };
}

/** The CLI in this process, stdout a terminal `columns` wide (or piped when undefined). */
async function runCli(args: string[], columns?: number, cwd = '/nonexistent-kpi-dir') {
  const stdout = sink(columns);
  const stderr = sink();
  const context = { stdout, stderr, env: { NO_COLOR: '1', KPI_DATA_DIR: cwd }, cwd, now: () => new Date('2026-11-16T00:00:00Z') } as unknown as CliContext;
  const code = await run(['node', 'kpi', ...args], context);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

// The widest line of each piped (not fitted), as measured on the demo: the figures for the
// report, okr status, the movements, --explain and config check; the others by their prose lines.
const COMMANDS: Array<[string[], number]> = [
  [['report', '--demo'], 119],
  // The MRR key result's line: "121,868.5 of 130,000 (from 100,000)" (the demo's MRR at ECB rates;
  // a key result's figures drop trailing zeros).
  [['okr', 'status', '--demo'], 148],
  [['mrr', '--demo', '--from', '2026-10-01', '--to', '2026-11-16'], 133],
  [['mrr', '--demo', '--explain'], 130],
  [['mrr', '--demo'], 160],
  [['arr', '--demo'], 160],
  [['mrr', '--demo', '--at-risk', '--explain'], 180],
  [['reconcile', '--demo'], 230],
  [['config', 'check', '--demo'], 145],
  // The footnote (one line when piped); the table itself is 104 wide.
  [['metrics', '--demo', '--from', '2026-10-12'], 255],
];

describe('tables fit the terminal', () => {
  it.each(COMMANDS)('kpi %j: wider than 80 piped, every line at most 80 display columns on an 80-column terminal', async (args, pipedAtLeast) => {
    const piped = await runCli(args);
    const fitted = await runCli(args, 80);
    expect(fitted.code).toBe(piped.code);
    expect(widest(piped.stdout)).toBeGreaterThanOrEqual(pipedAtLeast);
    expect(widest(fitted.stdout)).toBeLessThanOrEqual(80);
  });

  it.each(COMMANDS)('kpi %j: at 200 columns nothing is shortened', async (args) => {
    const piped = await runCli(args);
    const wide = await runCli(args, 200);
    expect(widest(wide.stdout)).toBeLessThanOrEqual(200);
    // Every ellipsis is one the full output has too (names that end in one), none made to fit.
    expect(wide.stdout.split('…').length).toBe(piped.stdout.split('…').length);
    expect(wide.stdout).not.toContain('hidden to fit');
  });

  it('kpi metrics at 80 columns shows every tier column, in groups each under the metric names', async () => {
    const args = ['metrics', '--demo', '--from', '2026-10-12'];
    const piped = (await runCli(args)).stdout;
    const fitted = (await runCli(args, 80)).stdout;
    const heads = (text: string) => text.split('\n').filter((line) => line.startsWith('Metric'));
    // Piped: one table, Metric and six columns (Starter and Pro in EUR and USD, two totals).
    expect(heads(piped)).toHaveLength(1);
    const pipedColumns = heads(piped)[0]!.trim().split(/ {2,}/);
    expect(pipedColumns).toHaveLength(7);
    // At 80: more than one group, and together they carry every column once.
    const groups = heads(fitted).map((line) => line.trim().split(/ {2,}/).slice(1));
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(pipedColumns.slice(1));
    // Every figure of the piped table is still there, none shortened.
    for (const cell of piped.split('\n').filter((line) => line.startsWith('NRR')).flatMap((line) => line.split(/ {2,}/).slice(1))) {
      expect(fitted).toContain(cell.trim());
    }
    expect(fitted).not.toContain('hidden to fit');
  });

  it('--wide keeps the full rows on a terminal', async () => {
    const piped = await runCli(['okr', 'status', '--demo']);
    const wide = await runCli(['okr', 'status', '--demo', '--wide'], 80);
    expect(wide.stdout).toBe(piped.stdout);
  });

  it('the report drops the period first at 80 columns and says so', async () => {
    const fitted = await runCli(['report', '--demo'], 80);
    expect(fitted.stdout).toMatch(/^Status +KPI +Value +Target +Trend$/m);
    expect(fitted.stdout).toContain('column Period hidden to fit 80 columns; --wide shows all');
  });

  it('the movement table first loses the counts, then turns to one row per movement (130, then 120 and 80 columns)', async () => {
    const args = ['mrr', '--demo', '--from', '2026-10-01', '--to', '2026-11-16'];
    // The demo converts to USD at ECB rates, so the "Total in USD" row brings an FX column
    // ("+23.58 USD", 10). Without the counts the amounts take Start 14 + New 14 + Reactivation 13
    // + Expansion 11 + Contraction 11 + Churn 13 + FX 10 + End 14 = 100, with 8 gaps of 2: 116;
    // the tier (24, "Enterprise (outside MRR)", at least 10) gets 130 - 116 = 14. With the counts
    // ("29 cust. / 29 subs", 18 each under New, ...) the movements alone need more than 130.
    const at130 = (await runCli(args, 130)).stdout;
    expect(at130).toContain('customer and subscription counts hidden to fit 130 columns; --wide shows all');
    expect(at130).not.toContain('cust. /');
    expect(at130).toMatch(/^Pro +104,285\.51 USD +\+12,105\.17 USD +\+1,418\.33 USD/m);
    expect(at130).toMatch(/^Total in USD +111,448\.76 USD .* \+23\.58 USD +121,868\.50 USD$/m);
    expect(at130).toMatch(/^Enterprise \(o… +8,333\.33 USD/m);
    // At 120 even the narrowest tier (10 + 116 = 126) does not fit: one row per movement.
    const at120 = (await runCli(args, 120)).stdout;
    expect(at120).toMatch(/^Tier +Movement +MRR +Customers +Subscriptions$/m);
    expect(at120).toMatch(/^ +FX +\+23\.58 USD$/m);
    const at80 = (await runCli(args, 80)).stdout;
    expect(at80).toMatch(/^Tier +Movement +MRR +Customers +Subscriptions$/m);
    // Pro (USD) from the snapshots of 2026-09-28 and 2026-11-16: 18 new customers on 18 subscriptions.
    expect(at80).toMatch(/^Pro +Start +104,285\.51 USD$/m);
    expect(at80).toMatch(/^ +New +\+12,105\.17 USD +18 +18$/m);
  });
});

describe('one long KPI name', () => {
  const LONG = 'Net revenue retention of self-service customers who moved from Starter to Pro within their first ninety days, in EU + US';
  const directory = mkdtempSync(join(tmpdir(), 'kpi-width-'));
  const config = join(directory, 'kpi.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      report: {
        kpis: [
          { id: 'long', name: LONG, unit: 'count', source: { type: 'value', value: 7 }, target: 10 },
          { id: 'short', name: 'MQLs', unit: 'count', source: { type: 'value', value: 5 }, target: 6 },
        ],
      },
    }),
  );

  it('is 120 characters long', () => {
    expect(LONG).toHaveLength(120);
  });

  it('is shortened on an 80-column terminal and no longer stretches the other rows', async () => {
    const fitted = (await runCli(['report', '--config', config], 80, directory)).stdout;
    expect(widest(fitted)).toBeLessThanOrEqual(80);
    const short = fitted.split('\n').find((line) => line.includes('MQLs'))!;
    expect(displayWidth(short)).toBeLessThanOrEqual(80);
    expect(fitted).toContain('Net revenue retention of self-service');
    expect(fitted).toContain('…');
    expect(fitted).not.toContain(LONG);
  });

  it('stays whole piped, in JSON and in CSV', async () => {
    expect((await runCli(['report', '--config', config], undefined, directory)).stdout).toContain(LONG);
    const json = JSON.parse((await runCli(['report', '--config', config, '--format', 'json'], 80, directory)).stdout);
    expect(json.kpis.map((kpi: { name: string }) => kpi.name)).toContain(LONG);
    expect((await runCli(['report', '--config', config, '--format', 'csv'], 80, directory)).stdout).toContain(`long,"${LONG}",`);
  });
});
