import type { WeeklyArrSeries } from '../app/weekly-arr.js';
import { historyJson, type HistorySelection } from '../history/snapshot-selection.js';
import { isoDate } from '../history/weeks.js';
import { formatChangeForHumans, formatMoneyForHumans, minorUnitExponent } from '../money/currency.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonIntegerOrNull, jsonMoneyMap } from './json-values.js';
import { quotesUsed, type ExchangeRates } from '../money/exchange-rates.js';
import { constantCurrencyPhrase, ratesJson } from './rates-text.js';
import { fitLines, fittedTableLines, type FitColumn } from './table-fit.js';
import { renderBarChart, type BarChart, type ChartBar } from './charts/terminal-chart.js';

export const WEEKLY_ARR_JSON_SCHEMA_VERSION = 1;

/** `kpi arr --weekly` as JSON: one entry per week, missing weeks included and said so. */
export function renderWeeklyArrJson(series: WeeklyArrSeries, generatedAt: Date, selection: HistorySelection | null = null): string {
  // Source, date and each quote a conversion relied on, so anyone can check a week's figure.
  const named = (rates: ExchangeRates, reports: ReadonlyArray<WeeklyArrSeries['rows'][number]['report']>) =>
    ratesJson({ source: rates.source, date: rates.date, quotes: quotesUsed(rates, [...new Set(reports.flatMap((report) => (report ? Object.keys(report.amount.byCurrency) : [])))]) });
  const document = {
    schema_version: WEEKLY_ARR_JSON_SCHEMA_VERSION,
    kind: 'arr_weekly',
    generated_at: generatedAt.toISOString(),
    target_growth_percent: series.targetPercent,
    reconstructed_from: series.reconstructedFrom ? series.reconstructedFrom.path : null,
    constant_currency: series.constantCurrency ? named(series.constantCurrency, series.rows.map((row) => row.report)) : null,
    ...historyJson(selection),
    weeks: series.rows.map((row) => ({
      week_start: isoDate(row.week.start),
      week_end: isoDate(row.week.end - 1),
      basis: row.basis,
      snapshot: row.snapshot ? { path: row.snapshot.path, taken_at: new Date(row.snapshot.takenAt * 1000).toISOString() } : null,
      currency: row.report?.reportingCurrency ?? null,
      arr: row.report ? jsonIntegerOrNull(row.report.amount.total) : null,
      arr_by_currency: row.report ? jsonMoneyMap(row.report.amount.byCurrency) : null,
      growth_percent: row.growthPercent,
      growth_percent_by_currency: row.growthPercentByCurrency,
      met_target: row.met,
      met_target_by_currency: row.metByCurrency,
      rates: row.rates ? named(row.rates, [row.report]) : null,
      fx: jsonIntegerOrNull(row.fx),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * One row per week (and currency when there are several): ARR, growth, target met; under it
 * a bar chart per series (one currency, or the converted total) with the target marked.
 */
export function renderWeeklyArrTable(rawSeries: WeeklyArrSeries, palette: Palette, screen: Screen = { width: null, unicode: true }): string {
  const series = terminalSafeCopy(rawSeries);
  const dash = screen.unicode ? '–' : '-';
  // An FX column only when converting: in its own currency a week has no currency effect.
  const converting = series.rows.some((row) => row.rates !== null);
  const fxCells = <T>(cells: T[]) => (converting ? cells : []);
  const rows: string[][] = [];
  for (const row of series.rows) {
    const week = `${isoDate(row.week.start)} ${dash} ${isoDate(row.week.end - 1)}`;
    if (!row.report) {
      rows.push([week, palette.dim('missing'), palette.dim('no snapshot'), '', ...fxCells(['']), '', '']);
      continue;
    }
    const basis = row.basis === 'reconstructed' ? palette.warning('reconstructed') : 'snapshot';
    for (const [code, amount, growth, met] of seriesOf(row)) {
      const fx = row.fx === null ? dash : formatChangeForHumans(row.fx, code);
      rows.push([week, basis, formatMoneyForHumans(amount, code), growth === null ? dash : `${growth.toFixed(2)} %`, ...fxCells([fx]), `${series.targetPercent} %`, met === null ? dash : met ? 'yes' : palette.warning('no')]);
    }
  }
  const columns = [...WEEKLY_COLUMNS.slice(0, 4), ...fxCells([FX_COLUMN]), ...WEEKLY_COLUMNS.slice(4)];
  const heading = ` ${screen.unicode ? '·' : '-'} target ${series.targetPercent} % growth a week${series.constantCurrency ? `, ${constantCurrencyPhrase(series.constantCurrency)}` : ''}`;
  const lines = [palette.heading('ARR week over week') + palette.dim(heading), '', ...fittedTableLines(columns, rows, palette, screen)];
  for (const chart of weeklyCharts(series)) lines.push('', ...renderBarChart(chart, palette, screen));
  if (converting && !series.constantCurrency) {
    lines.push('', palette.dim("Each week is converted at its own snapshot's rates; FX is the week's ARR at its rates minus at last week's: the part of the growth from rates alone."));
  }
  if (series.reconstructedFrom) {
    lines.push('', palette.warning(`Reconstructed weeks are estimates from the lifecycle dates in ${series.reconstructedFrom.path}, with today's items and prices.`));
  }
  return `${fitLines(lines.join('\n'), screen)}\n`;
}

/**
 * On a narrow terminal the target goes first (the same on every row, and named in the
 * heading), then the currency effect, then the basis (a missing week still says so in the
 * ARR column); the week, ARR, growth and whether the target was met always stay.
 */
const WEEKLY_COLUMNS: FitColumn[] = [
  { head: 'Week', role: 'keep' },
  { head: 'Basis', role: 'keep', drop: 3 },
  { head: 'ARR', role: 'numeric' },
  { head: 'Growth', role: 'numeric' },
  { head: 'Target', role: 'numeric', drop: 1 },
  { head: 'Met', role: 'keep' },
];
const FX_COLUMN: FitColumn = { head: 'FX', role: 'numeric', drop: 2 };

/**
 * The charts of a series: one per currency the table shows. A week's target is the week
 * before's ARR grown by the target percentage, because that is what "met" compares against
 * (`growthPercent` over the previous week); a week after a missing one has no target, as it
 * has no "met".
 */
export function weeklyCharts(series: WeeklyArrSeries): BarChart[] {
  const currencies = [...new Set(series.rows.flatMap((row) => (row.report ? seriesOf(row).map(([code]) => code) : [])))];
  return currencies.map((currency) => {
    const major = 10 ** minorUnitExponent(currency);
    const figures = series.rows.map((row) => {
      if (!row.report) return null;
      const [, amount = 0n, , met = null] = seriesOf(row).find(([code]) => code === currency) ?? [];
      return { value: Number(amount) / major, met };
    });
    const bars: ChartBar[] = series.rows.map((row, index) => {
      const figure = figures[index] ?? null;
      const previous = index > 0 ? (figures[index - 1] ?? null) : null;
      return {
        label: isoDate(row.week.start).slice(5),
        value: figure?.value ?? null,
        target: figure && previous && previous.value !== 0 ? previous.value * (1 + series.targetPercent / 100) : null,
        estimated: row.basis === 'reconstructed',
        met: figure?.met ?? null,
      };
    });
    return {
      title: `ARR in ${currency.toUpperCase()} by week (week starting MM-DD)`,
      bars,
      tick: compactNumber,
      legend: { bar: 'ARR', target: `target: the week before + ${series.targetPercent} %`, estimated: 'reconstructed (estimate)', missing: 'no snapshot' },
    };
  });
}

/** Three significant digits and a k/M/B suffix: axis labels, not figures to read off. */
export function compactNumber(value: number): string {
  for (const [size, suffix] of [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${suffix}`;
  }
  return `${Number(value.toPrecision(3))}`;
}

/**
 * One row per week (and currency when there are several). `fx`, `rates_source` and
 * `rates_date` came later than the other columns and go after them, so readers of the
 * older layout find every column where it was; they are empty without conversion.
 */
export function renderWeeklyArrDelimited(series: WeeklyArrSeries, format: Delimited): string {
  const rows: Cell[][] = [];
  for (const row of series.rows) {
    if (!row.report) {
      rows.push([isoDate(row.week.start), isoDate(row.week.end - 1), 'missing', '', '', '', series.targetPercent, '', '', '', '']);
      continue;
    }
    for (const [code, amount, growth, met] of seriesOf(row)) {
      rows.push([
        isoDate(row.week.start),
        isoDate(row.week.end - 1),
        row.basis,
        moneyCell(amount, code),
        code,
        growth === null ? '' : { number: growth.toFixed(2) },
        series.targetPercent,
        met === null ? '' : met ? 'yes' : 'no',
        // Only the converted series has a currency effect: it is the one row in the reporting currency.
        row.fx === null ? '' : moneyCell(row.fx, code),
        row.rates?.source ?? '',
        row.rates?.date ?? '',
      ]);
    }
  }
  const header = ['week_start', 'week_end', 'basis', 'arr', 'currency', 'growth_percent', 'target_percent', 'met_target', 'fx', 'rates_source', 'rates_date'];
  return renderDelimited(format, header, rows);
}

/** The headline figure when there is one currency (or a converted total), else one series per currency. */
export function seriesOf(row: WeeklyArrSeries['rows'][number]): Array<[string, bigint, number | null, boolean | null]> {
  const report = row.report!;
  if (report.reportingCurrency && report.amount.total !== null) {
    return [[report.reportingCurrency, report.amount.total, row.growthPercent, row.met]];
  }
  return Object.entries(report.amount.byCurrency).map(([code, amount]) => [code, amount, row.growthPercentByCurrency[code] ?? null, row.metByCurrency[code] ?? null]);
}
