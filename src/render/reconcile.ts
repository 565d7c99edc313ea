import type { ReconciliationReport } from '../app/reconcile.js';
import { formatChangeForHumans, formatMajorUnits, formatMoneyForHumans } from '../money/currency.js';
import { describeStripeSettings } from '../revenue/revenue-report.js';
import type { ReconciliationLine } from '../reconcile/compare.js';
import { explainLine } from '../reconcile/explain.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { stripeSettingsJson } from './revenue-json.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonInteger, jsonIntegerOrNull } from './json-values.js';
import { fitLines, fittedTableLines, UNFITTED, wrapLine, type FitColumn } from './table-fit.js';
import { compareText } from '../text-order.js';

export const RECONCILIATION_JSON_SCHEMA_VERSION = 1;

const MEASURE_NAMES = {
  stripe: "kpi's Stripe-definition MRR over every recurring product",
  handbook: "kpi's handbook MRR over the configured tiers",
} as const;

/** `kpi reconcile` as JSON: integer minor units, differences as kpi minus the list. */
export function renderReconciliationJson(report: ReconciliationReport): string {
  const document = {
    schema_version: RECONCILIATION_JSON_SCHEMA_VERSION,
    kind: 'reconciliation',
    generated_at: report.generatedAt.toISOString(),
    as_of: report.asOf.toISOString(),
    source: report.source,
    counted_statuses: report.countedStatuses,
    measure: report.measure,
    stripe_settings: stripeSettingsJson(report.stripeSettings),
    against: { file: report.against, month: report.list.month, months: report.list.months, columns: report.list.columns, rows: report.list.rowsRead },
    tolerance: jsonInteger(report.tolerance),
    totals: report.totals.map((total) => ({
      currency: total.currency,
      kpi_mrr: jsonInteger(total.kpi),
      list_mrr: jsonInteger(total.list),
      difference: jsonInteger(total.difference),
      matched: { customers: total.matched, difference: jsonInteger(total.matchedDifference) },
      differing: total.differing,
      kpi_only: total.kpiOnly,
      list_only: total.listOnly,
    })),
    customers: report.lines.map((line) => ({
      customer: line.customerId,
      currency: line.currency,
      status: line.status,
      kpi_mrr: jsonIntegerOrNull(line.kpi),
      list_mrr: jsonIntegerOrNull(line.list),
      difference: jsonInteger(line.difference),
      causes: line.causes.map((cause) => ({ cause: cause.kind, subscription: cause.subscription, detail: cause.detail, setting: cause.setting })),
      subscriptions: line.subscriptions.map((subscription) => ({
        id: subscription.id,
        status: subscription.status,
        counted: subscription.counted,
        set_to_end: subscription.setToEnd && {
          at: subscription.setToEnd.at === null ? null : new Date(subscription.setToEnd.at * 1000).toISOString(),
          at_period_end: subscription.setToEnd.atPeriodEnd,
        },
        currency: subscription.currency,
        intervals: subscription.intervals,
        mrr: jsonInteger(subscription.mrr.roundHalfUp()),
        coupons: subscription.coupons.map((coupon) => ({
          id: coupon.id,
          duration: coupon.duration,
          duration_in_months: coupon.durationInMonths,
          percent_off: coupon.percentOff,
          ends_at: coupon.end === null ? null : new Date(coupon.end * 1000).toISOString(),
          subtracted: coupon.subtracted,
          setting: coupon.setting,
        })),
        metered_products: subscription.meteredProducts,
        outside_tiers: subscription.outsideTiers,
      })),
      explanation: explainLine(line),
    })),
    notes: report.notes,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The most customers the table lists; the rest are summed in one line. A list from the wrong
 * account differs on every customer, and tens of thousands of rows neither help a reader nor
 * fit cli-table3 (its layout overflows the stack).
 */
export const MAX_TABLE_CUSTOMERS = 500;

const numeric = (head: string): FitColumn => ({ head, role: 'numeric' });
/** The counts give way before the amounts: "kpi only" and "List only" first (each such customer is listed below). */
const TOTALS_COLUMNS: FitColumn[] = [
  { head: 'Currency', role: 'keep' },
  numeric('kpi'),
  numeric('List'),
  numeric('Difference'),
  { head: 'Matched', role: 'numeric', drop: 4 },
  { head: 'Differ', role: 'numeric', drop: 3 },
  { head: 'kpi only', role: 'numeric', drop: 2 },
  { head: 'List only', role: 'numeric', drop: 1 },
];
const DIFFERENCE_COLUMNS: FitColumn[] = [{ head: 'Customer', role: 'keep' }, numeric('kpi'), numeric('List'), numeric('Difference'), { head: "Why (from kpi's evaluation)", role: 'wrap', min: 20 }];

export function renderReconciliationTable(rawReport: ReconciliationReport, palette: Palette, screen: Screen = UNFITTED): string {
  const report = terminalSafeCopy(rawReport);
  const money = (amount: bigint | null, currency: string) => (amount === null ? palette.dim('—') : formatMoneyForHumans(amount, currency));
  const month = report.list.month ? `, month ${report.list.month}` : '';
  const lines = [
    palette.heading('Reconciliation') + palette.dim(` · ${MEASURE_NAMES[report.measure]} as of ${report.asOf.toISOString().slice(0, 10)} against ${report.against}${month}`),
    ...(report.measure === 'stripe' ? [palette.dim(`Stripe's settings (stripe_settings in kpi.config): ${describeStripeSettings(report.stripeSettings)}`)] : []),
    '',
  ];
  const totals = report.totals.map((total) => [
    total.currency.toUpperCase(),
    money(total.kpi, total.currency),
    money(total.list, total.currency),
    formatChangeForHumans(total.difference, total.currency),
    total.matched,
    total.differing,
    total.kpiOnly,
    total.listOnly,
  ]);
  lines.push(...fittedTableLines(TOTALS_COLUMNS, totals, palette, screen), '');
  if (report.lines.length === 0) {
    lines.push(palette.success(`Every customer matches within ${formatMajorUnits(report.tolerance, report.totals[0]?.currency ?? 'usd')} (tolerance).`));
  } else {
    const differences = report.lines
      .slice(0, MAX_TABLE_CUSTOMERS)
      .map((line) => [line.customerId, money(line.kpi, line.currency), money(line.list, line.currency), formatChangeForHumans(line.difference, line.currency), wrap(explainLine(line), 70)]);
    lines.push(...fittedTableLines(DIFFERENCE_COLUMNS, differences, palette, screen));
    const rest = report.lines.slice(MAX_TABLE_CUSTOMERS);
    if (rest.length > 0) lines.push(`…and ${rest.length} more customers differ, ${sumsByCurrency(rest)} together (--format csv or json lists every one)`);
    lines.push('');
  }
  lines.push(palette.dim(differenceFootnote(report)));
  for (const note of report.notes) lines.push(palette.warning(`Note: ${note}`));
  return `${fitLines(lines.join('\n'), screen)}\n`;
}

/** "-12.34 USD, +5.00 EUR": per currency, never added across currencies. */
function sumsByCurrency(lines: readonly ReconciliationLine[]): string {
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.difference);
  return [...sums]
    .sort(([a], [b]) => compareText(a, b))
    .map(([currency, sum]) => formatChangeForHumans(sum, currency))
    .join(', ');
}

function differenceFootnote(report: ReconciliationReport): string {
  const tolerance = report.totals.map((total) => `${formatMajorUnits(total.matchedDifference, total.currency)} ${total.currency.toUpperCase()}`).join(', ');
  return (
    'Difference = kpi - list. Each customer is rounded once to the minor unit and totals are sums of those, so the customers above ' +
    `plus the matched ones' differences within the tolerance (${tolerance || 'none'}) add up to the total difference.`
  );
}

/** Every customer on either side, matched ones too: a spreadsheet can sort and filter them. */
export function renderReconciliationDelimited(report: ReconciliationReport, format: Delimited): string {
  const number = (amount: bigint | null, line: ReconciliationLine): Cell => (amount === null ? '' : moneyCell(amount, line.currency));
  const rows: Cell[][] = report.allLines.map((line) => [
    line.customerId,
    line.currency,
    line.status,
    number(line.kpi, line),
    number(line.list, line),
    number(line.difference, line),
    line.causes.map((cause) => cause.kind).join(' '),
    line.status === 'matched' ? '' : explainLine(line),
  ]);
  return renderDelimited(format, ['customer', 'currency', 'status', 'kpi_mrr', 'list_mrr', 'difference', 'causes', 'explanation'], rows);
}

/** Long explanations break at spaces so the table stays readable in a terminal. */
function wrap(text: string, width: number): string {
  return wrapLine(text, width, '…').join('\n');
}
