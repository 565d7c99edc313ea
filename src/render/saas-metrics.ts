import type { SaasMetricsLine, SaasMetricsReport } from '../app/saas-metrics.js';
import { ratioDecimal, ratioValue, type CompoundWeeklyGrowth, type Ratio, type SaasMetrics } from '../history/saas-metrics.js';
import type { HistorySelection } from '../history/snapshot-selection.js';
import { formatMoneyForHumans } from '../money/currency.js';
import { decimalString, Rational } from '../money/rational.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonInteger, jsonIntegerOrNull } from './json-values.js';
import { markdownText } from './markdown-text.js';
import { periodJson, periodText } from './movements.js';
import { COLUMN_GAP, displayWidth, fitLines, fittedTableLines, UNFITTED } from './table-fit.js';

export const SAAS_METRICS_JSON_SCHEMA_VERSION = 1;

type RatioKey = 'logoChurn' | 'grossRevenueChurn' | 'netRevenueChurn' | 'grossRevenueRetention' | 'netRevenueRetention' | 'quickRatio' | 'growth';

/** The ratios in the order every format shows them: JSON key, CSV metric, label, how a person reads it. */
const RATIOS: { key: RatioKey; name: string; label: string; shown: 'percent' | 'times' }[] = [
  { key: 'logoChurn', name: 'logo_churn', label: 'Logo churn', shown: 'percent' },
  { key: 'grossRevenueChurn', name: 'gross_revenue_churn', label: 'Gross revenue churn', shown: 'percent' },
  { key: 'netRevenueChurn', name: 'net_revenue_churn', label: 'Net revenue churn', shown: 'percent' },
  { key: 'grossRevenueRetention', name: 'grr', label: 'GRR', shown: 'percent' },
  { key: 'netRevenueRetention', name: 'nrr', label: 'NRR', shown: 'percent' },
  { key: 'quickRatio', name: 'quick_ratio', label: 'Quick ratio', shown: 'times' },
  { key: 'growth', name: 'mrr_growth', label: 'MRR growth', shown: 'percent' },
];

const NOT_APPLICABLE = 'n/a';

/** A ratio for people: percent with 2 decimals, or a plain factor (quick ratio). */
export function formatRatio(ratio: Ratio, shown: 'percent' | 'times'): string {
  const value = ratioValue(ratio);
  if (value === null) return NOT_APPLICABLE;
  return shown === 'percent' ? `${decimalString(value.times(100), 2)} %` : decimalString(value, 2);
}

function arpaMinorUnits(ratio: Ratio): bigint | null {
  return ratioValue(ratio)?.roundHalfUp() ?? null;
}

function weeklyPercent(weekly: CompoundWeeklyGrowth): string {
  return weekly.value === null ? NOT_APPLICABLE : `${decimalString(Rational.parseDecimal(weekly.value).times(100), 2)} %`;
}

function ratioJson(ratio: Ratio) {
  return { value: ratioDecimal(ratio), numerator: jsonInteger(ratio.numerator), denominator: jsonInteger(ratio.denominator) };
}

function arpaJson(ratio: Ratio) {
  return { value: jsonIntegerOrNull(arpaMinorUnits(ratio)), numerator: jsonInteger(ratio.numerator), denominator: jsonInteger(ratio.denominator) };
}

function lineJson({ tier, currency, metrics }: SaasMetricsLine) {
  return {
    tier,
    currency,
    customers: metrics.customers,
    subscriptions: metrics.subscriptions,
    arpa: { start: arpaJson(metrics.arpa.start), end: arpaJson(metrics.arpa.end) },
    ...Object.fromEntries(RATIOS.map(({ key, name }) => [name, ratioJson(metrics[key])])),
    weekly_mrr_growth: {
      value: metrics.weeklyGrowth.value,
      start_mrr: jsonInteger(metrics.weeklyGrowth.start),
      end_mrr: jsonInteger(metrics.weeklyGrowth.end),
      weeks: decimalString(metrics.weeklyGrowth.weeks, 4),
    },
  };
}

/** `kpi metrics` as JSON: every ratio with the integers it is made of. */
export function renderSaasMetricsJson(report: SaasMetricsReport, selection: HistorySelection | null = null): string {
  const document = {
    schema_version: SAAS_METRICS_JSON_SCHEMA_VERSION,
    kind: 'saas_metrics',
    generated_at: report.generatedAt.toISOString(),
    ...periodJson(report, selection),
    tiers: report.lines.map(lineJson),
    totals: report.totals.map(lineJson),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The rows people read, one per metric, with one column per tier and currency and per total. */
function humanRows(metrics: SaasMetrics, currency: string): [string, string][] {
  const arpa = (ratio: Ratio) => {
    const amount = arpaMinorUnits(ratio);
    return amount === null ? NOT_APPLICABLE : formatMoneyForHumans(amount, currency);
  };
  return [
    ['Customers (start → end)', `${metrics.customers.start} → ${metrics.customers.end}`],
    ['Subscriptions (start → end)', `${metrics.subscriptions.start} → ${metrics.subscriptions.end}`],
    ['New customers', `${metrics.customers.new}`],
    ['Churned customers', `${metrics.customers.churned}`],
    ['ARPA at start', arpa(metrics.arpa.start)],
    ['ARPA at end', arpa(metrics.arpa.end)],
    ...RATIOS.map(({ key, label, shown }): [string, string] => [label, formatRatio(metrics[key], shown)]),
    ['MRR growth per week (compound)', weeklyPercent(metrics.weeklyGrowth)],
  ];
}

function columns(report: SaasMetricsReport): { head: string; rows: [string, string][] }[] {
  const column = (line: SaasMetricsLine) => ({ head: `${line.tier} ${line.currency.toUpperCase()}`, rows: humanRows(line.metrics, line.currency) });
  return [...report.lines.map(column), ...report.totals.map(column)];
}

const FOOTNOTE =
  'A customer counts where it holds positive MRR; on a tier, a customer moving to another tier churns there and is new in the other. ' +
  'GRR and NRR follow the customers paying at the start. Quick ratio is n/a without losses. Definitions: README, "SaaS metrics".';

export function renderSaasMetricsTable(rawReport: SaasMetricsReport, palette: Palette, screen: Screen = UNFITTED): string {
  const report = terminalSafeCopy(rawReport);
  const shown = columns(report);
  const labels = shown[0]?.rows.map(([label]) => label) ?? [];
  // A narrow terminal gets the tier columns in groups, each under the metric names again:
  // every figure stays visible (dropping a tier would hide it), one group below the other.
  const tables = columnGroups(shown, labels, screen.width).map((group) =>
    fittedTableLines(
      [{ head: 'Metric', role: 'text', min: 12 }, ...group.map((column) => ({ head: column.head, role: 'numeric' as const }))],
      labels.map((label, row) => [label, ...group.map((column) => column.rows[row]?.[1] ?? '')]),
      palette,
      screen,
    ).join('\n'),
  );
  const lines = [
    palette.heading('SaaS metrics') + palette.dim(` · ${periodText(report)} (snapshots taken at or before the dates asked for)`),
    '',
    shown.length > 0 ? tables.join('\n\n') : 'No self-service MRR in either snapshot.',
    '',
    palette.dim(FOOTNOTE),
  ];
  return `${fitLines(lines.join('\n'), screen)}\n`;
}

/** The tier columns in order, cut into groups that fit `width` beside the metric names (all in one group when unfitted). */
function columnGroups<T extends { head: string; rows: [string, string][] }>(shown: readonly T[], labels: readonly string[], width: number | null): T[][] {
  if (width === null || shown.length === 0) return [[...shown]];
  const widthOf = (texts: readonly string[]) => Math.max(...texts.map(displayWidth));
  const labelWidth = widthOf(['Metric', ...labels]);
  const groups: T[][] = [];
  let current: T[] = [];
  let used = labelWidth;
  for (const column of shown) {
    const columnWidth = COLUMN_GAP + widthOf([column.head, ...column.rows.map(([, value]) => value)]);
    if (current.length > 0 && used + columnWidth > width) {
      groups.push(current);
      current = [];
      used = labelWidth;
    }
    current.push(column);
    used += columnWidth;
  }
  groups.push(current);
  return groups;
}

export function renderSaasMetricsMarkdown(report: SaasMetricsReport): string {
  const shown = columns(report);
  const lines = [`# SaaS metrics, ${periodText(report)}`, ''];
  if (shown.length === 0) lines.push('No self-service MRR in either snapshot.');
  else {
    lines.push(`| Metric | ${shown.map((column) => markdownText(column.head)).join(' | ')} |`, `| --- |${' ---: |'.repeat(shown.length)}`);
    const labels = shown[0]?.rows.map(([label]) => label) ?? [];
    labels.forEach((label, row) => lines.push(`| ${label} | ${shown.map((column) => markdownText(column.rows[row]?.[1] ?? '')).join(' | ')} |`));
  }
  lines.push('', `_${FOOTNOTE}_`);
  return `${lines.join('\n')}\n`;
}

/** One row per scope and metric: value, and the numerator and denominator it comes from. */
export function renderSaasMetricsDelimited(report: SaasMetricsReport, format: Delimited): string {
  const rows: Cell[][] = [];
  for (const { tier, currency, metrics } of [...report.lines, ...report.totals]) {
    const money = (amount: bigint): Cell => moneyCell(amount, currency);
    const decimal = (value: string | null): Cell => (value === null ? '' : { number: value });
    const count = (name: string, value: number) => rows.push([tier, currency, name, value, '', '']);
    count('customers_start', metrics.customers.start);
    count('customers_end', metrics.customers.end);
    count('new_customers', metrics.customers.new);
    count('churned_customers', metrics.customers.churned);
    count('subscriptions_start', metrics.subscriptions.start);
    count('subscriptions_end', metrics.subscriptions.end);
    for (const [name, ratio] of [['arpa_start', metrics.arpa.start], ['arpa_end', metrics.arpa.end]] as const) {
      const amount = arpaMinorUnits(ratio);
      rows.push([tier, currency, name, amount === null ? '' : money(amount), money(ratio.numerator), Number(ratio.denominator)]);
    }
    for (const { key, name } of RATIOS) {
      const ratio = metrics[key];
      const counted = key === 'logoChurn';
      rows.push([tier, currency, name, decimal(ratioDecimal(ratio)), counted ? Number(ratio.numerator) : money(ratio.numerator), counted ? Number(ratio.denominator) : money(ratio.denominator)]);
    }
    // (end / start)^(1 / weeks) - 1: its base is end over start.
    rows.push([tier, currency, 'weekly_mrr_growth', decimal(metrics.weeklyGrowth.value), money(metrics.weeklyGrowth.end), money(metrics.weeklyGrowth.start)]);
  }
  return renderDelimited(format, ['tier', 'currency', 'metric', 'value', 'numerator', 'denominator'], rows);
}
