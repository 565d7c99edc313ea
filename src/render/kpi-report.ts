import type { KpiReport, KpiResult } from '../app/kpi-report.js';
import { formatMajorUnits, formatMoneyForHumans } from '../money/currency.js';
import { OFF_TRACK, type KpiStatus } from '../scoreboard/status.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { renderDelimited, type Cell, type Delimited } from './delimited.js';
import { markdownText } from './markdown-text.js';
import { sparkline } from './charts/sparkline.js';
import { fitLines, fittedTableLines, UNFITTED, type FitColumn } from './table-fit.js';

export const KPI_REPORT_JSON_SCHEMA_VERSION = 1;

export interface ReportView {
  report: KpiReport;
  /** `--only off-track`: the KPIs shown are the red and yellow ones. */
  onlyOffTrack: boolean;
}

export const STATUS_WORDS: Record<KpiStatus, string> = {
  green: 'GREEN',
  yellow: 'YELLOW',
  red: 'RED',
  no_value: 'no value',
  no_target: 'no target',
  not_configured: 'not configured',
  error: 'n/a',
};
export const STATUS_SYMBOLS: Record<KpiStatus, string> = { green: '✔', yellow: '▲', red: '✖', no_value: '·', no_target: '·', not_configured: '·', error: '?' };
const ASCII_STATUS_SYMBOLS: Record<KpiStatus, string> = { green: '+', yellow: '!', red: 'x', no_value: '.', no_target: '.', not_configured: '.', error: '?' };
/** In ASCII words, not ^ and v: those are levels of the ASCII sparkline next to them. */
const TREND_ARROWS = { unicode: { up: '↑', down: '↓', flat: '→' }, ascii: { up: 'up', down: 'down', flat: 'same' } } as const;
/** Off-track first (red, then yellow), then failures, then the rest: exception-based reporting. */
export const ORDER: Record<KpiStatus, number> = { red: 0, yellow: 1, error: 2, green: 3, no_value: 4, no_target: 5, not_configured: 6 };

/** Exceptions: red and yellow KPIs, and those whose value could not be read (they may be either). */
export function shown(view: ReportView): KpiResult[] {
  return view.onlyOffTrack ? view.report.results.filter((result) => OFF_TRACK.has(result.status) || result.status === 'error') : view.report.results;
}

export function allOnTrack(report: KpiReport): boolean {
  return !report.results.some((result) => OFF_TRACK.has(result.status) || result.status === 'error');
}

export function formatKpiValue(value: number | null, result: Pick<KpiResult, 'unit' | 'currency'>): string {
  if (value === null) return '–';
  if (result.unit === 'money' && result.currency) return formatMoneyForHumans(BigInt(Math.round(value)), result.currency);
  const number = value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return result.unit === 'percent' ? `${number} %` : number;
}

/** Reasons worth a line: failures and missing targets, not the obvious "not configured" or "no target set". */
export function reasonOf(result: KpiResult): string[] {
  if (!result.reason || result.status === 'not_configured' || result.reason === 'no target set') return [];
  return [result.reason];
}

export function periodText(result: KpiResult, timeZone: string): string {
  if (result.period.name === 'now') return 'now';
  // Days as the report's time zone counts them.
  const day = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
  return `${result.period.name.replace(/_/g, ' ')} (${day(result.period.start)} – ${day(new Date(result.period.end.getTime() - 1))})`;
}

/**
 * The recorded values and this run's as a sparkline (none without history: one point shows no
 * trend), then the direction since the last record and its value.
 */
function trendText(result: KpiResult, unicode = true): string {
  const points = result.history.length === 0 ? [] : [...result.history.map((point) => point.value), ...(result.value === null ? [] : [result.value])];
  const since = result.trend ? `${TREND_ARROWS[unicode ? 'unicode' : 'ascii'][result.trend.direction]} from ${formatKpiValue(result.trend.previous, result)}` : '';
  return [sparkline(points, unicode), since].filter((part) => part !== '').join(' ');
}

export function renderKpiReportJson(view: ReportView): string {
  const document = {
    schema_version: KPI_REPORT_JSON_SCHEMA_VERSION,
    kind: 'kpi_report',
    generated_at: view.report.generatedAt.toISOString(),
    time_zone: view.report.timeZone,
    only_off_track: view.onlyOffTrack,
    all_on_track: allOnTrack(view.report),
    kpis: shown(view).map((result) => ({
      id: result.id,
      name: result.name,
      value: result.value,
      unit: result.unit,
      currency: result.currency,
      period: { name: result.period.name, start: result.period.start.toISOString(), end: result.period.end.toISOString() },
      target: result.target,
      direction: result.direction,
      status: result.status,
      trend: result.trend ? { direction: result.trend.direction, previous: result.trend.previous, recorded_at: result.trend.recordedAt } : null,
      history: result.history.map((point) => ({ recorded_at: point.recordedAt, value: point.value })),
      source: result.source,
      error: result.status === 'error' ? result.reason : null,
      /** Why there is no target (or no source), when that is the case. */
      reason: result.status === 'error' ? null : result.reason,
      note: result.note,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Dropped first to fit a narrow terminal: the period (named in the KPI's config), then the trend. */
const REPORT_COLUMNS: FitColumn[] = [
  { head: 'Status', role: 'keep' },
  { head: 'KPI', role: 'text', min: 16 },
  { head: 'Value', role: 'numeric' },
  { head: 'Target', role: 'numeric' },
  { head: 'Trend', role: 'keep', drop: 2 },
  { head: 'Period', role: 'keep', drop: 1 },
];

export function renderKpiReportTable(rawView: ReportView, palette: Palette, screen: Screen = UNFITTED): string {
  const view = terminalSafeCopy(rawView);
  const colour = (status: KpiStatus, text: string) =>
    status === 'red' ? palette.danger(text) : status === 'yellow' ? palette.warning(text) : status === 'green' ? palette.success(text) : palette.dim(text);
  const results = [...shown(view)].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  // Our own dashes and dots; the same characters in a KPI's name need the fallback just as much.
  const finished = (all: string[]) => {
    const text = fitLines(all.join('\n'), screen);
    return `${screen.unicode ? text : text.replace(/–/g, '-').replace(/·/g, '.')}\n`;
  };
  const lines = [palette.heading('KPI report') + palette.dim(` · ${view.report.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · periods in ${view.report.timeZone}`), ''];
  if (results.length === 0) {
    lines.push(view.onlyOffTrack ? 'All KPIs are green: nothing is off track.' : 'No KPIs configured.');
    return finished(lines);
  }
  const rows = results.map((result) => [
    colour(result.status, `${(screen.unicode ? STATUS_SYMBOLS : ASCII_STATUS_SYMBOLS)[result.status]} ${STATUS_WORDS[result.status]}`),
    result.name,
    formatKpiValue(result.value, result),
    formatKpiValue(result.target, result),
    trendText(result, screen.unicode),
    periodText(result, view.report.timeZone),
  ]);
  lines.push(...fittedTableLines(REPORT_COLUMNS, rows, palette, screen));
  const notes = results.flatMap((result) => [...reasonOf(result), ...(result.note ? [result.note] : [])].map((text) => `${result.name}: ${text}`));
  if (notes.length > 0) lines.push('', ...notes.map((text) => palette.dim(text)));
  if (view.onlyOffTrack) lines.push('', palette.dim(`${view.report.results.length - results.length} other KPIs are green, have no target or no value.`));
  return finished(lines);
}

export function renderKpiReportDelimited(view: ReportView, format: Delimited): string {
  const rows: Cell[][] = shown(view).map((result) => {
    const number = (value: number | null): Cell =>
      value === null ? '' : result.unit === 'money' && result.currency ? { number: formatMajorUnits(BigInt(Math.round(value)), result.currency) } : value;
    return [
      result.id,
      result.name,
      result.status,
      number(result.value),
      result.unit,
      result.currency ?? '',
      number(result.target),
      result.period.name,
      result.period.start.toISOString(),
      result.period.end.toISOString(),
      result.trend?.direction ?? '',
      result.source,
      result.reason ?? '',
    ];
  });
  return renderDelimited(format, ['id', 'name', 'status', 'value', 'unit', 'currency', 'target', 'period', 'period_start', 'period_end', 'trend', 'source', 'reason'], rows);
}

/** For the pre-read doc: a dated title, off-track KPIs first, plain Markdown. */
export function renderKpiReportMarkdown(view: ReportView): string {
  const date = view.report.generatedAt.toISOString().slice(0, 10);
  const results = [...shown(view)].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const cell = markdownText;
  const lines = [`# KPI report, ${date}`, ''];
  if (allOnTrack(view.report)) lines.push('All KPIs with a target are on track.', '');
  if (results.length > 0) {
    lines.push('| Status | KPI | Value | Target | Trend | Period |', '| --- | --- | ---: | ---: | --- | --- |');
    for (const result of results) {
      lines.push(
        `| ${STATUS_SYMBOLS[result.status]} ${STATUS_WORDS[result.status]} | ${cell(result.name)} | ${cell(formatKpiValue(result.value, result))} | ${cell(formatKpiValue(result.target, result))} | ${cell(trendText(result))} | ${cell(periodText(result, view.report.timeZone))} |`,
      );
    }
    const notes = results.flatMap((result) => [...reasonOf(result), ...(result.note ? [result.note] : [])].map((text) => `- ${cell(result.name)}: ${cell(text)}`));
    if (notes.length > 0) lines.push('', ...notes);
  }
  lines.push('', `_Generated by kpi at ${view.report.generatedAt.toISOString()}; periods in ${view.report.timeZone}._`);
  return `${lines.join('\n')}\n`;
}
