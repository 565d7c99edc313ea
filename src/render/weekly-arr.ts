import type { WeeklyArrSeries } from '../app/weekly-arr.js';
import { historyJson, type HistorySelection } from '../history/snapshot-selection.js';
import { isoDate } from '../history/weeks.js';
import { formatMoneyForHumans } from '../money/currency.js';
import type { Palette } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonIntegerOrNull, jsonMoneyMap } from './json-values.js';
import { newTable, tableText } from './table-style.js';

export const WEEKLY_ARR_JSON_SCHEMA_VERSION = 1;

/** `kpi arr --weekly` as JSON: one entry per week, missing weeks included and said so. */
export function renderWeeklyArrJson(series: WeeklyArrSeries, generatedAt: Date, selection: HistorySelection | null = null): string {
  const document = {
    schema_version: WEEKLY_ARR_JSON_SCHEMA_VERSION,
    kind: 'arr_weekly',
    generated_at: generatedAt.toISOString(),
    target_growth_percent: series.targetPercent,
    reconstructed_from: series.reconstructedFrom ? series.reconstructedFrom.path : null,
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
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One row per week (and currency when there are several): ARR, growth, target met. */
export function renderWeeklyArrTable(rawSeries: WeeklyArrSeries, palette: Palette): string {
  const series = terminalSafeCopy(rawSeries);
  const table = newTable(['Week', 'Basis', 'ARR', 'Growth', 'Target', 'Met'], palette, [2, 3, 4]);
  for (const row of series.rows) {
    const week = `${isoDate(row.week.start)} – ${isoDate(row.week.end - 1)}`;
    if (!row.report) {
      table.push([week, palette.dim('missing'), palette.dim('no snapshot'), '', '', '']);
      continue;
    }
    const basis = row.basis === 'reconstructed' ? palette.warning('reconstructed') : 'snapshot';
    for (const [code, amount, growth, met] of seriesOf(row)) {
      table.push([week, basis, formatMoneyForHumans(amount, code), growth === null ? '–' : `${growth.toFixed(2)} %`, `${series.targetPercent} %`, met === null ? '–' : met ? 'yes' : palette.warning('no')]);
    }
  }
  const lines = [palette.heading('ARR week over week') + palette.dim(` · target ${series.targetPercent} % growth a week`), '', tableText(table)];
  if (series.reconstructedFrom) {
    lines.push('', palette.warning(`Reconstructed weeks are estimates from the lifecycle dates in ${series.reconstructedFrom.path}, with today's items and prices.`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderWeeklyArrDelimited(series: WeeklyArrSeries, format: Delimited): string {
  const rows: Cell[][] = [];
  for (const row of series.rows) {
    if (!row.report) {
      rows.push([isoDate(row.week.start), isoDate(row.week.end - 1), 'missing', '', '', '', series.targetPercent, '']);
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
      ]);
    }
  }
  return renderDelimited(format, ['week_start', 'week_end', 'basis', 'arr', 'currency', 'growth_percent', 'target_percent', 'met_target'], rows);
}

/** The headline figure when there is one currency (or a converted total), else one series per currency. */
export function seriesOf(row: WeeklyArrSeries['rows'][number]): Array<[string, bigint, number | null, boolean | null]> {
  const report = row.report!;
  if (report.reportingCurrency && report.amount.total !== null) {
    return [[report.reportingCurrency, report.amount.total, row.growthPercent, row.met]];
  }
  return Object.entries(report.amount.byCurrency).map(([code, amount]) => [code, amount, row.growthPercentByCurrency[code] ?? null, row.metByCurrency[code] ?? null]);
}
