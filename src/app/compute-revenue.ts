import type { KpiConfig } from '../config/schema.js';
import { resolveTierLayout } from '../catalog/tier-layout.js';
import { MrrAccumulator, type MrrTotals } from '../rules/mrr-totals.js';
import { buildRevenueReport, currenciesOf, missingRates, type Measure, type RevenueReport } from '../revenue/revenue-report.js';
import type { PricingCatalog } from '../billing/model.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import { DataSourceError, UsageError } from '../errors.js';
import type { BillingSource } from '../sources/billing-source.js';

export interface ComputeRevenueOptions {
  /** MRR counts the self-service tiers; ARR (12 x MRR) adds the other recurring groups. */
  measure: Measure;
  explain: boolean;
  now: Date;
  /** Called as subscriptions arrive, for progress display. */
  onProgress?: (subscriptionsRead: number) => void;
}

/** Reads one billing source and values it by the configuration's rules. */
export async function computeRevenue(source: BillingSource, config: KpiConfig, options: ComputeRevenueOptions): Promise<RevenueReport> {
  const reports = await computeRevenueReports(source, config, [options.measure], options);
  return reports[options.measure] as RevenueReport;
}

/** Several measures from one pass over the subscriptions (the report needs MRR and ARR). */
export async function computeRevenueReports(
  source: BillingSource,
  config: KpiConfig,
  measures: readonly Measure[],
  options: Omit<ComputeRevenueOptions, 'measure'>,
): Promise<Partial<Record<Measure, RevenueReport>>> {
  const accumulated = await accumulateRevenue(source, config, measures, options);
  return Object.fromEntries(
    accumulated.map(({ measure, totals, layout, pricing }) => [
      measure,
      buildRevenueReport(totals, {
        measure,
        layout,
        source: source.description,
        asOf: source.asOf,
        generatedAt: options.now,
        countedStatuses: config.countedStatuses,
        stripeSettings: config.stripeSettings,
        reporting: config.reporting,
        catalogCurrencies: configuredCurrencies(layout, pricing),
      }),
    ]),
  );
}

export interface AccumulatedRevenue {
  measure: Measure;
  totals: MrrTotals;
  layout: TierLayout;
  pricing: PricingCatalog;
}

/**
 * The exact monthly totals (and, with `explain`, each subscription's contribution) before
 * any rounding, one per measure, from a single pass over the subscriptions.
 */
export async function accumulateRevenue(
  source: BillingSource,
  config: KpiConfig,
  measures: readonly Measure[],
  options: Pick<ComputeRevenueOptions, 'explain' | 'onProgress'>,
): Promise<AccumulatedRevenue[]> {
  const [products, pricing] = await Promise.all([source.listProducts(), source.loadPricing()]);
  const perMeasure = measures.map((measure) => {
    const layout = resolveTierLayout(config, products, { otherRecurring: measure === 'arr' });
    const { churn, ...stripeDiscounts } = config.stripeSettings;
    const accumulator = new MrrAccumulator(layout, { ...config.discounts, asOf: source.asOf }, {
      explain: options.explain,
      stripe: { discounts: { ...stripeDiscounts, asOf: source.asOf }, churn },
    });
    return { measure, layout, accumulator };
  });
  let read = 0;
  for await (const subscription of source.subscriptions(config.countedStatuses, pricing)) {
    try {
      for (const { accumulator } of perMeasure) accumulator.add(subscription);
    } catch (error) {
      // The rules refuse data they cannot value (a quantity beyond the last tier, an
      // interval_count of 0): that is the data's fault, and no figure is better than a wrong one.
      if (error instanceof RangeError) throw new DataSourceError(`subscription ${subscription.id} cannot be valued: ${error.message}`);
      throw error;
    }
    options.onProgress?.(++read);
  }
  return perMeasure.map(({ measure, layout, accumulator }) => {
    const totals = accumulator.result();
    checkRates(totals, config);
    return { measure, totals, layout, pricing };
  });
}

function checkRates(totals: MrrTotals, config: KpiConfig): void {
  const missing = missingRates(currenciesOf(totals), config.reporting);
  if (missing.length > 0 && config.reporting) {
    const target = config.reporting.currency.toUpperCase();
    throw new UsageError(
      `config ${config.origin}: reporting.rates has no rate for ${missing.map((code) => code.toUpperCase()).join(', ')}, which the account bills in`,
      `Add e.g. "reporting: { rates: { ${missing[0]}: <${target} per ${missing[0]?.toUpperCase()}> } }", or remove "reporting" to see each currency apart.`,
    );
  }
}

function configuredCurrencies(layout: TierLayout, pricing: PricingCatalog): string[] {
  const currencies = new Set<string>();
  for (const price of pricing.priceListings) {
    if (price.recurring && layout.locate(price.productId)) currencies.add(price.currency);
  }
  return [...currencies].sort();
}
