import { formatMajorUnits } from '../money/currency.js';
import type { MrrReport } from '../reports/mrr-report.js';
import { renderDelimited, type Cell, type Delimited } from './delimited.js';

/**
 * One row per product and currency: tier, product, rule, subscriptions, quantity, MRR in
 * major units ("1234.50"), currency, and Stripe's figure beside it. With `--explain`, one
 * row per subscription and product instead.
 */
export function renderMrrDelimited(report: MrrReport, format: Delimited): string {
  if (report.explain) return renderExplain(report, format);
  const currencies = report.currencies.length > 0 ? report.currencies : [report.reportingCurrency ?? ''];
  const rows: Cell[][] = [];
  for (const tier of report.tiers) {
    for (const product of tier.products) {
      for (const currency of currencies) {
        rows.push([
          tier.name,
          product.name,
          tier.rule,
          product.subscriptions,
          product.quantity,
          money(product.mrr.byCurrency[currency] ?? 0n, currency),
          currency,
          money(product.stripeMrr.byCurrency[currency] ?? 0n, currency),
        ]);
      }
    }
  }
  return renderDelimited(format, ['tier', 'product', 'rule', 'subscriptions', 'quantity', 'mrr', 'currency', 'stripe_mrr'], rows);
}

function renderExplain(report: MrrReport, format: Delimited): string {
  const rows: Cell[][] = (report.explain ?? []).map((line) => [
    line.subscriptionId,
    line.customerId,
    line.status,
    line.tier,
    line.product,
    line.quantity,
    money(line.mrr, line.currency),
    line.currency,
    money(line.stripeMrr, line.currency),
  ]);
  return renderDelimited(
    format,
    ['subscription', 'customer', 'status', 'tier', 'product', 'quantity', 'mrr', 'currency', 'stripe_mrr'],
    rows,
  );
}

function money(amount: bigint, currency: string): Cell {
  return { number: currency ? formatMajorUnits(amount, currency) : amount.toString() };
}
