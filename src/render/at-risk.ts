/**
 * `kpi mrr --at-risk`: the JSON fragment (`at_risk`), the table section and the CSV/TSV
 * rows. Amounts are integers in minor units; shares are fractions written as decimal
 * strings with 4 places ("0.1250" is 12.5 %).
 */
import { formatMoneyForHumans } from '../money/currency.js';
import { decimalString, type Rational } from '../money/rational.js';
import type { AtRiskLine, AtRiskReport, AtRiskSection } from '../revenue/at-risk-report.js';
import type { ReportedAmount } from '../revenue/revenue-report.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonIntegerOrNull, jsonMoneyMap } from './json-values.js';
import { fittedTableLines, UNFITTED, type FitColumn } from './table-fit.js';

/** The JSON names of the sections, in the order every format shows them. */
const SECTIONS = [
  ['past_due', 'pastDue', 'Past due', 'counted subscriptions whose payment failed'],
  ['scheduled_to_end', 'scheduledToEnd', 'Scheduled to end', 'set to end within the horizon'],
  ['discounts_ending', 'discountsEnding', 'Discounts ending', 'MRR change when discounts end within the horizon (rule billed)'],
  ['trials_ending', 'trialsEnding', 'Trials ending', 'upside if trials ending within the horizon convert; not in MRR'],
] as const;

export function atRiskJson(report: AtRiskReport): Record<string, unknown> {
  const amount = (value: ReportedAmount) => ({ mrr: jsonIntegerOrNull(value.total), mrr_by_currency: jsonMoneyMap(value.byCurrency) });
  const share = (value: Rational | null) => (value === null ? null : decimalString(value, 4));
  const section = (value: AtRiskSection) => ({
    ...amount(value.amount),
    subscriptions: value.subscriptions,
    tiers: value.tiers.map((tier) => ({ name: tier.name, ...amount(tier.amount), subscriptions: tier.subscriptions })),
    ...(value.lines
      ? {
          explain: value.lines.map((line) => ({
            subscription: line.subscriptionId,
            customer: line.customerId,
            tier: line.tier,
            currency: line.currency,
            mrr: Number(line.amount),
            date: line.date?.toISOString() ?? null,
            ...(line.couponId !== null ? { coupon: line.couponId } : {}),
          })),
        }
      : {}),
  });
  return {
    horizon_days: report.horizonDays,
    horizon_end: report.horizonEnd.toISOString(),
    past_due: {
      ...section(report.pastDue),
      share_of_mrr: share(report.pastDue.shareOfMrr.total),
      share_of_mrr_by_currency: Object.fromEntries(Object.entries(report.pastDue.shareOfMrr.byCurrency).map(([code, value]) => [code, share(value)])),
    },
    scheduled_to_end: section(report.scheduledToEnd),
    discounts_ending: {
      ...section(report.discountsEnding),
      coupons: report.discountsEnding.coupons.map((coupon) => ({
        coupon: coupon.couponId,
        description: coupon.name,
        ...amount(coupon.amount),
        subscriptions: coupon.subscriptions,
      })),
    },
    trials_ending: section(report.trialsEnding),
  };
}

/** Narrow terminals lose the customer, then the coupon (named in the coupon lines above); ids are shortened. */
const AT_RISK_EXPLAIN_COLUMNS: FitColumn[] = [
  { head: 'Category', role: 'keep' },
  { head: 'Subscription', role: 'text', min: 14 },
  { head: 'Customer', role: 'keep', drop: 1 },
  { head: 'Tier', role: 'text', min: 8 },
  { head: 'Coupon', role: 'keep', drop: 2 },
  { head: 'Date', role: 'keep' },
  { head: 'MRR', role: 'numeric' },
];

/** The table section under the MRR tables (the report is already terminal-safe). */
export function atRiskTableLines(report: AtRiskReport, formatAmount: (amount: ReportedAmount) => string, palette: Palette, screen: Screen = UNFITTED): string[] {
  const lines = [palette.heading(`MRR at risk within ${report.horizonDays} days (to ${report.horizonEnd.toISOString().slice(0, 10)})`)];
  const rows: Array<Array<string | number>> = [];
  for (const [, key, title] of SECTIONS) {
    const section = report[key];
    rows.push([
      palette.emphasis(title),
      '',
      palette.emphasis(String(section.subscriptions)),
      palette.emphasis(formatAmount(section.amount)),
      key === 'pastDue' ? shareText(report.pastDue) : '',
    ]);
    for (const tier of section.tiers) rows.push(['', tier.name, tier.subscriptions, formatAmount(tier.amount), '']);
    for (const coupon of section.coupons) rows.push(['', coupon.name, coupon.subscriptions, formatAmount(coupon.amount), '']);
  }
  const columns: FitColumn[] = [{ head: 'Category', role: 'keep' }, { head: 'Tier', role: 'text', min: 12 }, { head: 'Subs', role: 'numeric' }, { head: 'MRR', role: 'numeric' }, { head: 'Share', role: 'numeric' }];
  lines.push(...fittedTableLines(columns, rows, palette, screen));
  lines.push(...SECTIONS.map(([, , title, meaning]) => palette.dim(`${title}: ${meaning}.`)));

  const listed = SECTIONS.flatMap(([, key, title]) => (report[key].lines ?? []).map((line) => ({ title, line })));
  if (report.pastDue.lines) {
    lines.push('', palette.heading('Subscriptions at risk'));
    const explain = listed.map(({ title, line }) => [title, line.subscriptionId, line.customerId, line.tier, line.couponId ?? '', dateText(line), formatMoneyForHumans(line.amount, line.currency)]);
    lines.push(...fittedTableLines(AT_RISK_EXPLAIN_COLUMNS, explain, palette, screen));
  }
  return lines;
}

/**
 * One row per category, tier and currency (`category, tier, subscriptions, mrr, currency`;
 * subscriptions count the tier's in every currency);
 * with `--explain`, one row per subscription line instead, with its coupon and date.
 */
export function renderAtRiskDelimited(report: AtRiskReport, format: Delimited): string {
  if (report.pastDue.lines) {
    const rows: Cell[][] = SECTIONS.flatMap(([name, key]) =>
      (report[key].lines ?? []).map((line) => [name, line.subscriptionId, line.customerId, line.tier, line.couponId ?? '', line.date?.toISOString() ?? '', moneyCell(line.amount, line.currency), line.currency]),
    );
    return renderDelimited(format, ['category', 'subscription', 'customer', 'tier', 'coupon', 'date', 'mrr', 'currency'], rows);
  }
  const rows: Cell[][] = SECTIONS.flatMap(([name, key]) =>
    report[key].tiers.flatMap((tier) =>
      Object.entries(tier.amount.byCurrency).map(([currency, amount]): Cell[] => [name, tier.name, tier.subscriptions, moneyCell(amount, currency), currency]),
    ),
  );
  return renderDelimited(format, ['category', 'tier', 'subscriptions', 'mrr', 'currency'], rows);
}

/** One share, or one per currency line of the amount beside it when currencies are apart. */
function shareText(pastDue: AtRiskReport['pastDue']): string {
  const percent = (share: Rational | null | undefined) => (share ? `${decimalString(share.times(100), 1)} %` : '');
  const share = pastDue.shareOfMrr;
  if (share.total !== null) return percent(share.total);
  return Object.keys(pastDue.amount.byCurrency)
    .map((code) => percent(share.byCurrency[code]))
    .join('\n');
}

function dateText(line: AtRiskLine): string {
  return line.date ? line.date.toISOString().slice(0, 10) : '';
}
