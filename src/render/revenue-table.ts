import { formatChangeForHumans, formatMoneyForHumans } from '../money/currency.js';
import { conversionFootnote } from '../revenue/conversion.js';
import { describeStripeSettings, type DifferenceCause, type RevenueReport, type ReportedAmount } from '../revenue/revenue-report.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { atRiskTableLines } from './at-risk.js';
import { fitLines, fittedTableLines, UNFITTED, type FitColumn } from './table-fit.js';

const numeric = (head: string): FitColumn => ({ head, role: 'numeric' });

/**
 * `--explain` at a narrow terminal: causes go first (the "Difference by cause" lines above
 * sum them), then customer and status; ids and product names are shortened (--wide, CSV and
 * JSON keep them whole).
 */
const explainColumns = (label: string): FitColumn[] => [
  { head: 'Subscription', role: 'text', min: 14 },
  { head: 'Customer', role: 'keep', drop: 2 },
  { head: 'Status', role: 'keep', drop: 3 },
  { head: 'Tier', role: 'text', min: 8 },
  { head: 'Product', role: 'text', min: 12 },
  numeric('Qty'),
  numeric(label),
  numeric('Stripe'),
  { head: 'Causes', role: 'text', min: 16, drop: 1 },
];

/** The human view of `kpi mrr` and `kpi arr`: products under their tiers, totals, then the comparison with Stripe. */
export function renderRevenueTable(rawReport: RevenueReport, palette: Palette, screen: Screen = UNFITTED): string {
  const report = terminalSafeCopy(rawReport);
  const money = (amount: ReportedAmount) => formatAmount(amount, report.reportingCurrency);
  const lines: string[] = [];
  lines.push(
    palette.heading(report.measure === 'mrr' ? 'Self-service MRR' : 'ARR (12 x recurring MRR)') +
      palette.dim(` · ${report.source} · as of ${report.asOf.toISOString().slice(0, 10)} · counting ${report.countedStatuses.join(', ')}`),
    '',
  );

  const label = report.measure.toUpperCase();
  const rows: Array<Array<string | number>> = [];
  for (const tier of report.tiers) {
    tier.products.forEach((product, index) => {
      rows.push([index === 0 ? tier.name : '', product.name, index === 0 ? tier.rule : '', product.subscriptions, product.quantity, money(product.amount)]);
    });
    rows.push(['', palette.emphasis(`${tier.name} total`), '', palette.emphasis(String(tier.subscriptions)), '', palette.emphasis(money(tier.amount))]);
  }
  rows.push([palette.emphasis('Total'), '', '', palette.emphasis(String(report.subscriptions)), '', palette.emphasis(money(report.amount))]);
  const columns: FitColumn[] = [{ head: 'Tier', role: 'text', min: 8 }, { head: 'Product', role: 'text', min: 16 }, { head: 'Rule', role: 'keep', drop: 1 }, numeric('Subs'), numeric('Qty'), numeric(label)];
  lines.push(...fittedTableLines(columns, rows, palette, screen), '');

  lines.push(
    palette.heading(`Compared with Stripe's MRR definition${report.measure === 'arr' ? ' x 12' : ''} (Billing Overview settings: ${describeStripeSettings(report.stripeSettings)})`),
  );
  const comparison = report.tiers.map((tier) => [tier.name, money(tier.amount), money(tier.stripeAmount), money(tier.difference)]);
  comparison.push([palette.emphasis('Total'), money(report.amount), money(report.stripeAmount), money(report.difference)]);
  const comparisonColumns: FitColumn[] = [{ head: 'Tier', role: 'text', min: 8 }, numeric('Handbook'), numeric('Stripe'), numeric('Difference')];
  lines.push(...fittedTableLines(comparisonColumns, comparison, palette, screen), '');
  const causeLines = report.tiers.flatMap((tier) => describeCauses(tier.name, tier.causes));
  if (causeLines.length > 0) lines.push(palette.heading('The difference by cause (handbook - Stripe)'), ...causeLines, '');

  const footnote = report.exchangeRates && report.conversionRates ? conversionFootnote(report.exchangeRates, report.conversionRates) : null;
  if (footnote) {
    lines.push(palette.dim(footnote));
  } else if (!report.conversionRates && report.currencies.length > 1) {
    lines.push(palette.dim('Several currencies: each is totalled apart (configure reporting rates to convert them).'));
  }
  if (report.excluded.meteredItems > 0) {
    lines.push(palette.dim(`Left out: ${report.excluded.meteredItems} metered (usage-based) item${report.excluded.meteredItems === 1 ? '' : 's'}, as Stripe leaves them out of MRR.`));
  }
  for (const warning of report.warnings) lines.push(palette.warning(`Warning: ${warning}`));
  if (report.atRisk) lines.push('', ...atRiskTableLines(report.atRisk, money, palette, screen));

  if (report.explain) {
    lines.push('', palette.heading('Contribution of each counted subscription'));
    const explain = report.explain.map((line) => [
        line.subscriptionId,
        line.customerId,
        line.status,
        line.tier,
        line.product,
        line.quantity,
        formatMoneyForHumans(line.amount, line.currency),
        formatMoneyForHumans(line.stripeAmount, line.currency),
        line.causes.map((cause) => `${cause.kind}${cause.couponId ? ` ${cause.couponId}` : ''} ${formatChangeForHumans(cause.amount, line.currency)}`).join('\n'),
      ]);
    lines.push(...fittedTableLines(explainColumns(label), explain, palette, screen));
  }
  return `${fitLines(lines.join('\n').trimEnd(), screen)}\n`;
}

/** Shown per tier and currency before the rest are summed in one line. */
const CAUSES_SHOWN = 5;

/** Largest causes first (the report keeps them sorted), the rest summed in one line. */
function describeCauses(tierName: string, causes: readonly DifferenceCause[]): string[] {
  const lines: string[] = [];
  for (const currency of [...new Set(causes.map((cause) => cause.currency))]) {
    const inCurrency = causes.filter((cause) => cause.currency === currency);
    for (const cause of inCurrency.slice(0, CAUSES_SHOWN)) {
      lines.push(`  ${tierName}: ${cause.description}: ${formatChangeForHumans(cause.amount, currency)} on ${subscriptionsText(cause.subscriptions)}`);
    }
    const rest = inCurrency.slice(CAUSES_SHOWN);
    if (rest.length > 0) {
      const sum = rest.reduce((total, cause) => total + cause.amount, 0n);
      lines.push(`  ${tierName}: ${rest.length} other causes: ${formatChangeForHumans(sum, currency)}`);
    }
  }
  return lines;
}

function subscriptionsText(count: number): string {
  return `${count} subscription${count === 1 ? '' : 's'}`;
}

/** One line per currency; with conversion rates, the converted sum after them. */
function formatAmount(amount: ReportedAmount, reportingCurrency: string | null): string {
  const entries = Object.entries(amount.byCurrency);
  if (entries.length === 0) return reportingCurrency ? formatMoneyForHumans(0n, reportingCurrency) : '0';
  const perCurrency = entries.map(([code, value]) => formatMoneyForHumans(value, code));
  const onlyCurrency = entries.length === 1 && entries[0]?.[0] === reportingCurrency;
  if (amount.total === null || reportingCurrency === null || onlyCurrency) return perCurrency.join('\n');
  return [...perCurrency, `= ${formatMoneyForHumans(amount.total, reportingCurrency)}`].join('\n');
}
