import type { KpiResult } from '../../app/kpi-report.js';
import type { MovementsReport } from '../../app/mrr-movements.js';
import type { OkrStatusReport } from '../../app/okr-status.js';
import type { WeeklyArrSeries } from '../../app/weekly-arr.js';
import { OFF_TRACK } from '../../scoreboard/status.js';
import { sparklineSvg } from '../charts/svg.js';
import { formatKpiValue, ORDER, periodText, reasonOf, shown, STATUS_SYMBOLS, STATUS_WORDS, type ReportView } from '../kpi-report.js';
import { escapeHtml } from './escape.js';
import { movementsSection } from './movements.js';
import { okrSection } from './okr.js';
import { htmlPage, htmlTable, textCell } from './page.js';
import { weeklyArrSection } from './weekly-arr.js';

/** Everything the HTML report shows, each part the model its JSON output serialises. */
export interface ReportPage {
  view: ReportView;
  weekly: WeeklyArrSeries;
  movements: MovementsReport | null;
  /** Why there are no movements (fewer than two snapshots), said in the page instead. */
  movementsOmitted: string | null;
  okrs: OkrStatusReport | null;
}

/** Exceptions first: red, yellow and those whose value could not be read (either may hide behind n/a). */
const needsAttention = (result: KpiResult) => OFF_TRACK.has(result.status) || result.status === 'error';

/** The recorded values and this run's, oldest first: what the sparkline draws and its text states. */
function trendValues(result: KpiResult): number[] {
  return [...result.history.map((point) => point.value), ...(result.value === null ? [] : [result.value])];
}

function trendCell(result: KpiResult) {
  const values = trendValues(result);
  // The current value alone draws no line: the cell stays empty until there is a history.
  if (values.length < 2) return textCell('', { className: 'trend' });
  const text = values.map((value) => formatKpiValue(value, result)).join(' → ');
  const svg = sparklineSvg(values, `${result.name}: recorded values, oldest first, then now: ${text}`);
  return { html: `${svg}<span class="spark-text">${escapeHtml(text)}</span>`, className: 'trend' };
}

function kpiTable(results: readonly KpiResult[], timeZone: string): string {
  const rows = results.map((result) => [
    textCell(`${STATUS_SYMBOLS[result.status]} ${STATUS_WORDS[result.status]}`, { className: `status status-${result.status}` }),
    textCell(result.name, { className: 'kpi-name' }),
    textCell(formatKpiValue(result.value, result), { numeric: true, className: 'value' }),
    textCell(formatKpiValue(result.target, result), { numeric: true, className: 'target' }),
    trendCell(result),
    textCell(periodText(result, timeZone)),
  ]);
  const table = htmlTable(null, [{ text: 'Status' }, { text: 'KPI' }, { text: 'Value', numeric: true }, { text: 'Target', numeric: true }, { text: 'Trend' }, { text: 'Period' }], rows, { stacked: true });
  const notes = results.flatMap((result) => [...reasonOf(result), ...(result.note ? [result.note] : [])].map((text) => `${result.name}: ${text}`));
  return notes.length === 0 ? table : `${table}\n<ul class="kpi-notes note">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`;
}

/** The pre-read page: what needs attention, the rest, weekly ARR, the last period's movements, the OKRs. */
export function renderKpiReportHtml(page: ReportPage): string {
  const { report } = page.view;
  const results = [...shown(page.view)].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const attention = results.filter(needsAttention);
  const others = results.filter((result) => !needsAttention(result));
  const date = report.generatedAt.toISOString();
  const parts = [
    `<header><h1>KPI report, ${date.slice(0, 10)}</h1><p class="meta">Generated ${date.slice(0, 16).replace('T', ' ')} UTC · periods in ${escapeHtml(report.timeZone)}</p></header>`,
    '<main>',
    '<section id="attention"><h2>Needs attention</h2>',
    attention.length > 0 ? kpiTable(attention, report.timeZone) : '<p>Every KPI with a target is on track.</p>',
    '</section>',
    '<section id="on-track"><h2>On track and the rest</h2>',
    page.view.onlyOffTrack
      ? `<p>${report.results.length - results.length} other KPIs are green, have no target or no value (left out with --only off-track).</p>`
      : others.length > 0
        ? kpiTable(others, report.timeZone)
        : '<p>None.</p>',
    '</section>',
    weeklyArrSection(page.weekly),
    movementsSection(page.movements, page.movementsOmitted),
    ...(page.okrs ? [okrSection(page.okrs)] : []),
    '</main>',
  ];
  return htmlPage(`KPI report ${date.slice(0, 10)}`, parts.join('\n'));
}
