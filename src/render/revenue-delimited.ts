import { formatMajorUnits } from '../money/currency.js';
import type { RevenueReport } from '../revenue/revenue-report.js';
import { renderAtRiskDelimited } from './at-risk.js';
import { renderDelimited, type Cell, type Delimited } from './delimited.js';

/**
 * One row per product and currency it is billed in: tier, product, rule, subscriptions,
 * quantity, MRR (or ARR) in major units ("1234.50"), currency, Stripe's figure and the difference.
 * With conversion rates configured, each row also carries the reporting currency, the
 * rate, and where the rates came from (`ecb` or `config`) with their date (empty for fixed rates). With `--explain`, one row per subscription and product instead, ending with the
 * difference and its causes as `kind[:coupon]=amount` pairs joined by ";" (the amounts add
 * up to the difference). With `--at-risk`, the at-risk rows instead (see `renderAtRiskDelimited`).
 */
export function renderRevenueDelimited(report: RevenueReport, format: Delimited): string {
  if (report.atRisk) return renderAtRiskDelimited(report.atRisk, format);
  if (report.explain) return renderExplain(report, format);
  const rates = report.conversionRates;
  const rows: Cell[][] = [];
  // Appended after the older columns, so a spreadsheet reading them by position still works.
  const ratesOrigin: Cell[] = [report.exchangeRates?.source ?? '', report.exchangeRates?.date ?? ''];
  for (const tier of report.tiers) {
    for (const product of tier.products) {
      const billedIn = [...new Set([...Object.keys(product.holdersByCurrency), ...Object.keys(product.amount.byCurrency)])].sort();
      const currencies = billedIn.length > 0 ? billedIn : [report.reportingCurrency ?? ''];
      for (const currency of currencies) {
        const amount = product.amount.byCurrency[currency] ?? 0n;
        const stripeAmount = product.stripeAmount.byCurrency[currency] ?? 0n;
        const holders = product.holdersByCurrency[currency] ?? { subscriptions: 0, quantity: 0 };
        const row: Cell[] = [
          tier.name,
          product.name,
          tier.rule,
          holders.subscriptions,
          holders.quantity,
          money(amount, currency),
          currency,
          money(stripeAmount, currency),
          money(amount - stripeAmount, currency),
        ];
        if (rates) row.push(report.reportingCurrency ?? '', { number: currency === report.reportingCurrency ? '1' : (rates[currency] ?? '') }, ...ratesOrigin);
        rows.push(row);
      }
    }
  }
  const measure = report.measure;
  const header = ['tier', 'product', 'rule', 'subscriptions', 'quantity', measure, 'currency', `stripe_${measure}`, 'difference'];
  if (rates) header.push('reporting_currency', 'rate', 'rates_source', 'rates_date');
  return renderDelimited(format, header, rows);
}

function renderExplain(report: RevenueReport, format: Delimited): string {
  const rows: Cell[][] = (report.explain ?? []).map((line) => [
    line.subscriptionId,
    line.customerId,
    line.status,
    line.tier,
    line.product,
    line.quantity,
    money(line.amount, line.currency),
    line.currency,
    money(line.stripeAmount, line.currency),
    money(line.amount - line.stripeAmount, line.currency),
    line.causes.map((cause) => `${cause.kind}${cause.couponId ? `:${cause.couponId}` : ''}=${formatMajorUnits(cause.amount, line.currency)}`).join(';'),
  ]);
  return renderDelimited(
    format,
    ['subscription', 'customer', 'status', 'tier', 'product', 'quantity', report.measure, 'currency', `stripe_${report.measure}`, 'difference', 'causes'],
    rows,
  );
}

function money(amount: bigint, currency: string): Cell {
  return { number: currency ? formatMajorUnits(amount, currency) : amount.toString() };
}
