import type { MrrReport, ReportedAmount } from '../reports/mrr-report.js';
import { jsonInteger, jsonIntegerOrNull, jsonMoneyMap } from './json-values.js';

export const MRR_JSON_SCHEMA_VERSION = 1;

/**
 * The versioned JSON envelope for `kpi mrr`. Amounts are integers in minor units.
 * `mrr` and `currency` are set when the figures are in one currency (a single-currency
 * account, or conversion rates in the config); `mrr_by_currency` is always there.
 */
export function renderMrrJson(report: MrrReport): string {
  const amount = (prefix: string, value: ReportedAmount) => ({
    [prefix]: jsonIntegerOrNull(value.total),
    [`${prefix}_by_currency`]: jsonMoneyMap(value.byCurrency),
  });
  const document = {
    schema_version: MRR_JSON_SCHEMA_VERSION,
    kind: 'mrr',
    generated_at: report.generatedAt.toISOString(),
    as_of: report.asOf.toISOString(),
    source: report.source,
    counted_statuses: report.countedStatuses,
    currency: report.reportingCurrency,
    ...amount('mrr', report.mrr),
    subscriptions: report.subscriptions,
    currencies: report.currencies,
    conversion: report.conversionRates ? { currency: report.reportingCurrency, rates: report.conversionRates } : null,
    tiers: report.tiers.map((tier) => ({
      name: tier.name,
      rule: tier.rule,
      ...amount('mrr', tier.mrr),
      subscriptions: tier.subscriptions,
      products: tier.products.map((product) => ({
        name: product.name,
        product_ids: product.productIds,
        ...amount('mrr', product.mrr),
        subscriptions: product.subscriptions,
        quantity: product.quantity,
      })),
    })),
    reconciliation: {
      definition: 'stripe-billing-analytics',
      description: "Stripe's MRR definition (rule billed for every tier), as in Stripe's Billing Overview",
      ...amount('stripe_mrr', report.stripeMrr),
      ...amount('difference', report.difference),
      tiers: report.tiers.map((tier) => ({
        name: tier.name,
        ...amount('handbook_mrr', tier.mrr),
        ...amount('stripe_mrr', tier.stripeMrr),
        ...amount('difference', tier.difference),
      })),
    },
    excluded: { metered_items: report.excluded.meteredItems },
    warnings: report.warnings,
    ...(report.explain
      ? {
          explain: report.explain.map((line) => ({
            subscription: line.subscriptionId,
            customer: line.customerId,
            status: line.status,
            tier: line.tier,
            product: line.product,
            currency: line.currency,
            quantity: line.quantity,
            mrr: jsonInteger(line.mrr),
            stripe_mrr: jsonInteger(line.stripeMrr),
          })),
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
