import { describe, expect, it } from 'vitest';
import { barUnits, fitColumns, renderBarChart, targetRow, type BarChart, type ChartBar } from '../../src/render/charts/terminal-chart.js';
import { compactNumber, renderWeeklyArrTable, weeklyCharts } from '../../src/render/weekly-arr.js';
import type { WeeklyArrRow, WeeklyArrSeries } from '../../src/app/weekly-arr.js';
import type { RevenueReport } from '../../src/revenue/revenue-report.js';
import { makePalette, type Palette } from '../../src/terminal/terminal.js';

const plain = makePalette(false);
const UNICODE = { width: null, unicode: true };
const ASCII = { width: null, unicode: false };
const bar = (value: number | null, more: Partial<ChartBar> = {}): ChartBar => ({ label: 'w', value, target: null, estimated: false, met: null, ...more });
const chartOf = (bars: ChartBar[]): BarChart => ({ title: 'T', bars, tick: String, legend: { bar: 'ARR', target: 'target', estimated: 'est', missing: 'none' } });

describe('chart geometry', () => {
  it('scales a bar to eighths of a row, rounding to the nearest eighth', () => {
    // 5 of 8 on 8 rows: 5 rows = 40 eighths.
    expect(barUnits(5, 8, 8, 8)).toBe(40);
    // 1 of 3 on 8 rows: 8/3 = 2.667 rows = 21.33 eighths -> 21 (2 rows and 5 eighths).
    expect(barUnits(1, 3, 8, 8)).toBe(21);
    // In whole rows (ASCII): 2.667 rows -> 3.
    expect(barUnits(1, 3, 8, 1)).toBe(3);
    // The largest value fills the chart: 8 rows = 64 eighths.
    expect(barUnits(3, 3, 8, 8)).toBe(64);
  });

  it('draws no bar for zero, negative or missing values, nor on a scale of zero', () => {
    expect(barUnits(0, 8, 8, 8)).toBe(0);
    expect(barUnits(-2, 8, 8, 8)).toBe(0);
    expect(barUnits(null, 8, 8, 8)).toBe(0);
    expect(barUnits(5, 0, 8, 8)).toBe(0);
  });

  it('puts the target marker in the row whose cell holds the target height', () => {
    // 4.4 of 8 on 8 rows = 4.4 rows: the cell from 4 to 5, row 4 (counted from 0 at the bottom).
    expect(targetRow(4.4, 8, 8)).toBe(4);
    // The scale itself is the top edge: the top row, 7.
    expect(targetRow(8, 8, 8)).toBe(7);
    expect(targetRow(0, 8, 8)).toBe(0);
    expect(targetRow(-1, 8, 8)).toBeNull();
    expect(targetRow(null, 8, 8)).toBeNull();
  });

  it('fits 26 columns into 120, 80 and 60 columns: narrower columns first, then the newest only', () => {
    // Labels 5 wide, axis 8: a layout needs 8 + (n - 1) x (bar + gap) + max(bar, 5).
    // Natural: bar 4 + gap 2 = 8 + 25 x 6 + 5 = 163.
    expect(fitColumns(26, 5, 8, null)).toEqual({ layout: { bar: 4, gap: 2 }, labelStride: 1, shown: 26 });
    // 120: 163 no; bar 3 + gap 1 = 8 + 25 x 4 + 5 = 113 fits; labels every ceil(6 / 4) = 2nd column.
    expect(fitColumns(26, 5, 8, 120)).toEqual({ layout: { bar: 3, gap: 1 }, labelStride: 2, shown: 26 });
    // 80: bar 2 + gap 1 = 8 + 75 + 5 = 88 no; bar 1 + gap 1 = 8 + 50 + 5 = 63 fits; labels every 3rd.
    expect(fitColumns(26, 5, 8, 80)).toEqual({ layout: { bar: 1, gap: 1 }, labelStride: 3, shown: 26 });
    // 60: even 63 is too wide; (60 - 8 - 5) / 2 = 23.5 -> 23 steps after the first = 24 columns (8 + 46 + 5 = 59).
    expect(fitColumns(26, 5, 8, 60)).toEqual({ layout: { bar: 1, gap: 1 }, labelStride: 3, shown: 24 });
    // 8 columns fit 60 at natural width: 8 + 7 x 6 + 5 = 55.
    expect(fitColumns(8, 5, 8, 60)).toEqual({ layout: { bar: 4, gap: 2 }, labelStride: 1, shown: 8 });
  });
});

describe('renderBarChart', () => {
  it('draws bars, the target marker, a missing and a reconstructed week, the axis and the legend', () => {
    // Scale = max(4, 8, 6, target 4.4) = 8 on 8 rows: 4 -> 4 rows, 8 -> 8 rows (the target's
    // row 4 drawn over it), 6 -> 6 rows in the estimate's fill. Axis labels: 8 on the top row,
    // 8 x 4/8 = 4 on row 3 (its top edge), 0 on the baseline.
    const lines = renderBarChart(
      chartOf([
        bar(4, { label: 'w1' }),
        bar(8, { label: 'w2', target: 4.4 }),
        bar(null, { label: 'w3' }),
        bar(6, { label: 'w4', estimated: true }),
      ]),
      plain,
      UNICODE,
    );
    expect(lines).toEqual([
      'T',
      '8 ┤       ████',
      '  │       ████',
      '  │       ████        ▒▒▒▒',
      '  │       ────        ▒▒▒▒',
      '4 ┤ ████  ████        ▒▒▒▒',
      '  │ ████  ████        ▒▒▒▒',
      '  │ ████  ████        ▒▒▒▒',
      '  │ ████  ████   ·    ▒▒▒▒',
      // 4 columns x 6 - the last gap 2 = 22, plus one under the axis corner.
      `0 └${'─'.repeat(23)}`,
      '    w1    w2    w3    w4',
      '█ ARR  ─ target  ▒ est  · none',
    ]);
  });

  it('draws the top cell of a bar in eighths', () => {
    // Scale 3: 1 -> 21 eighths = 2 full rows and a 5/8 cell (▅) on row 2; 3 -> 8 full rows.
    // Row 3 carries the middle label, 3 x 4/8 = 1.5.
    const lines = renderBarChart(chartOf([bar(1), bar(3)]), plain, UNICODE);
    expect(lines.slice(5, 9)).toEqual(['1.5 ┤       ████', '    │ ▅▅▅▅  ████', '    │ ████  ████', '    │ ████  ████']);
  });

  it('marks negative values below zero and leaves zero empty', () => {
    // Scale = max(0, -2, 0, 4) = 4: only the third column has a bar (8 rows).
    const lines = renderBarChart(chartOf([bar(-2), bar(0), bar(4)]), plain, UNICODE);
    expect(lines[1]).toBe('4 ┤             ████');
    expect(lines[8]).toBe('  │  ▼          ████');
    expect(lines.at(-1)).toBe('█ ARR  ─ target  ▼ below zero');
  });

  it('draws an empty chart when nothing is above zero', () => {
    const lines = renderBarChart(chartOf([bar(0), bar(0)]), plain, UNICODE);
    // Scale 0: every label is 0 and no cell holds anything.
    expect(lines.slice(1, 9)).toEqual(['0 ┤', '  │', '  │', '  │', '0 ┤', '  │', '  │', '  │']);
    expect(lines[9]).toBe(`0 └${'─'.repeat(11)}`);
  });

  it('uses # bars, - target and | axis in ASCII, in whole rows', () => {
    // Scale 3 on 8 rows: 1 -> 2.667 rows -> 3 rows of #; the target 1.5 -> 4 rows -> row 4.
    const lines = renderBarChart(chartOf([bar(1, { target: 1.5 }), bar(3)]), plain, ASCII);
    expect(lines.slice(4, 10)).toEqual(['    | ----  ####', '1.5 |       ####', '    | ####  ####', '    | ####  ####', '    | ####  ####', `  0 +${'-'.repeat(11)}`]);
    expect(lines.join('\n')).toMatch(/^[\x00-\x7f]*$/);
  });

  it('colours met bars green and missed ones yellow, not the target or the axis', () => {
    const tagged: Palette = { ...plain, success: (text) => `<g>${text}</g>`, warning: (text) => `<y>${text}</y>` };
    const lines = renderBarChart(chartOf([bar(2, { met: true }), bar(2, { met: false, target: 2 })]), tagged, UNICODE);
    // Scale 2: both bars fill 8 rows; the second's target is its top row.
    expect(lines[1]).toBe('2 ┤ <g>████</g>  ────');
    expect(lines[2]).toBe('  │ <g>████</g>  <y>████</y>');
  });

  it.each([60, 80, 120])('fits 26 weeks into %i columns, saying what it left out', (width) => {
    const bars = Array.from({ length: 26 }, (_, index) => bar(100 + index, { label: `11-${String(index).padStart(2, '0')}` }));
    const lines = renderBarChart({ ...chartOf(bars), tick: compactNumber }, plain, { width, unicode: true });
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    // The newest week is always labelled, at the end of the label row.
    expect(lines[10]?.endsWith('11-25')).toBe(true);
    // Axis labels 125, 62.5 and 0: 4 wide, axis 7. Only at 60 are weeks left out:
    // (60 - 7 - 5) / 2 = 24 steps after the first = 25 shown (7 + 48 + 5 = 60), the oldest dropped.
    const note = lines.find((line) => line.includes('left out'));
    expect(note?.endsWith('1 earlier column left out to fit 60 columns') ?? null).toBe(width === 60 ? true : null);
  });
});

describe('weekly ARR charts', () => {
  const week = (index: number) => ({ start: 1_790_553_600 + index * 604_800, end: 1_790_553_600 + (index + 1) * 604_800 });
  const report = (usd: bigint): RevenueReport => ({ reportingCurrency: 'usd', amount: { total: usd, byCurrency: { usd } } }) as unknown as RevenueReport;
  const row = (index: number, usd: bigint | null, met: boolean | null, basis: WeeklyArrRow['basis'] = 'snapshot'): WeeklyArrRow => ({
    week: week(index),
    basis: usd === null ? 'missing' : basis,
    snapshot: null,
    report: usd === null ? null : report(usd),
    growthPercent: null,
    growthPercentByCurrency: {},
    met,
    metByCurrency: {},
    rates: null,
    fx: null,
  });
  // 1,000.00 USD, then 1,200.00 (+20 %, met), missing, 1,300.00 (no week before: no target).
  const series: WeeklyArrSeries = { targetPercent: 10, reconstructedFrom: null, constantCurrency: null, rows: [row(0, 100_000n, null), row(1, 120_000n, true), row(2, null, null), row(3, 130_000n, null, 'reconstructed')] };

  it('marks the target where "met" is judged: the week before x (1 + target)', () => {
    const [chart] = weeklyCharts(series);
    expect(chart?.bars.map((entry) => [entry.label, entry.value, entry.target, entry.estimated, entry.met])).toEqual([
      // 2026-09-28 is a Monday: the labels are the weeks' Mondays.
      ['09-28', 1000, null, false, null],
      // 1,000 x 1.1 = 1,100 (floating point, as a picture needs no more).
      ['10-05', 1200, 1000 * 1.1, false, true],
      ['10-12', null, null, false, null],
      ['10-19', 1300, null, true, null],
    ]);
  });

  it('draws the chart under the table, ASCII only with an ASCII screen', () => {
    const text = renderWeeklyArrTable(series, plain, ASCII);
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(text).toContain('ARR in USD by week');
    // Scale 1,300 on 8 rows: the target 1,100 is 6.77 rows -> row 6; 1,200 -> 7.38 -> 7 rows of #.
    expect(text).toContain('1.3k |                   ++++');
    expect(text).toContain('     |       ----        ++++');
  });

  it('writes axis labels with three significant digits', () => {
    expect([compactNumber(1_684_550.11), compactNumber(22_070.4), compactNumber(842_275), compactNumber(0), compactNumber(-1500)]).toEqual(['1.68M', '22.1k', '842k', '0', '-1.5k']);
  });
});
