import { quotesUsed } from '../money/exchange-rates.js';
import type { ChurnTiming, StripeSettings } from '../config/schema.js';
import type { RevenueReport, ReportedAmount } from '../revenue/revenue-report.js';
import { atRiskJson } from './at-risk.js';
import { jsonInteger, jsonIntegerOrNull, jsonMoneyMap } from './json-values.js';

export const REVENUE_JSON_SCHEMA_VERSION = 1;

/**
 * The versioned JSON envelope for `kpi mrr` (kind "mrr") and `kpi arr` (kind "arr", the
 * same shape with "arr" in the field names). Amounts are integers in minor units. `mrr`
 * and `currency` are set when the figures are in one currency (a single-currency account,
 * or conversion rates in the config); `mrr_by_currency` is always there.
 */
export function renderRevenueJson(report: RevenueReport): string {
  const measure = report.measure;
  const amount = (prefix: string, value: ReportedAmount) => ({
    [prefix]: jsonIntegerOrNull(value.total),
    [`${prefix}_by_currency`]: jsonMoneyMap(value.byCurrency),
  });
  const document = {
    schema_version: REVENUE_JSON_SCHEMA_VERSION,
    kind: measure,
    generated_at: report.generatedAt.toISOString(),
    as_of: report.asOf.toISOString(),
    source: report.source,
    counted_statuses: report.countedStatuses,
    currency: report.reportingCurrency,
    ...amount(measure, report.amount),
    subscriptions: report.subscriptions,
    currencies: report.currencies,
    conversion: conversionJson(report),
    tiers: report.tiers.map((tier) => ({
      name: tier.name,
      group: tier.group,
      rule: tier.rule,
      ...amount(measure, tier.amount),
      subscriptions: tier.subscriptions,
      products: tier.products.map((product) => ({
        name: product.name,
        product_ids: product.productIds,
        ...amount(measure, product.amount),
        subscriptions: product.subscriptions,
        quantity: product.quantity,
      })),
    })),
    reconciliation: {
      definition: 'stripe-billing-analytics',
      description: "Stripe's MRR definition (rule billed for every tier), as in Stripe's Billing Overview with the settings below",
      stripe_settings: stripeSettingsJson(report.stripeSettings),
      ...amount(`stripe_${measure}`, report.stripeAmount),
      ...amount('difference', report.difference),
      tiers: report.tiers.map((tier) => ({
        name: tier.name,
        ...amount(`handbook_${measure}`, tier.amount),
        ...amount(`stripe_${measure}`, tier.stripeAmount),
        ...amount('difference', tier.difference),
        causes: tier.causes.map((cause) => ({
          cause: cause.kind,
          coupon: cause.couponId,
          description: cause.description,
          currency: cause.currency,
          [measure]: jsonInteger(cause.amount),
          subscriptions: cause.subscriptions,
        })),
      })),
    },
    excluded: { metered_items: report.excluded.meteredItems },
    warnings: report.warnings,
    ...(report.atRisk ? { at_risk: atRiskJson(report.atRisk) } : {}),
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
            [measure]: jsonInteger(line.amount),
            [`stripe_${measure}`]: jsonInteger(line.stripeAmount),
            causes: line.causes.map((cause) => ({ cause: cause.kind, coupon: cause.couponId, [measure]: jsonInteger(cause.amount) })),
          })),
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * How the totals were converted: the reporting currency, the source and date of the rates,
 * the quotes as the source gave them, and the per-unit rate of each converted currency.
 */
function conversionJson(report: RevenueReport) {
  const rates = report.exchangeRates;
  if (!report.conversionRates || !rates) return null;
  return {
    currency: report.reportingCurrency,
    source: rates.source,
    date: rates.date,
    quoted: quotesUsed(rates, report.currencies),
    rates: report.conversionRates,
  };
}

/** `stripe_settings` in JSON, with the config file's names. */
export function stripeSettingsJson(settings: StripeSettings): { subtract_repeating: boolean; subtract_once: boolean; churn: ChurnTiming } {
  return { subtract_repeating: settings.countRepeating, subtract_once: settings.countOnce, churn: settings.churn };
}
