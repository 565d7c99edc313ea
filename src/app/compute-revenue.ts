import type { KpiConfig } from '../config/schema.js';
import { resolveTierLayout } from '../catalog/tier-layout.js';
import { MrrAccumulator, type MrrTotals } from '../rules/mrr-totals.js';
import { buildRevenueReport, currenciesOf, makeConverter, type Measure, type RevenueReport } from '../revenue/revenue-report.js';
import type { ExchangeRates } from '../money/exchange-rates.js';
import { checkRates, configuredRates } from './reporting-rates.js';
import { atRiskEntries, atRiskStatuses, type AtRiskEntries, type AtRiskOptions } from '../rules/at-risk.js';
import { atRiskCurrencies, buildAtRiskReport } from '../revenue/at-risk-report.js';
import type { PricingCatalog } from '../billing/model.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import { DataSourceError } from '../errors.js';
import type { BillingSource } from '../sources/billing-source.js';

export interface ComputeRevenueOptions {
  /** MRR counts the self-service tiers; ARR (12 x MRR) adds the other recurring groups. */
  measure: Measure;
  explain: boolean;
  now: Date;
  /** Called as subscriptions arrive, for progress display. */
  onProgress?: (subscriptionsRead: number) => void;
  /** MRR at risk within this many days (`kpi mrr --at-risk`); trialing subscriptions are read too. */
  atRiskHorizonDays?: number;
  /** The rates totals are converted with; default: the config's fixed rates (ECB rates must be given). */
  rates?: ExchangeRates | null;
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
  const rates = options.rates !== undefined ? options.rates : configuredRates(config);
  const accumulated = await accumulateRevenue(source, config, measures, { ...options, rates });
  return Object.fromEntries(
    accumulated.map(({ measure, totals, layout, pricing, atRisk }) => [
      measure,
      withAtRisk(buildRevenueReport(totals, {
        measure,
        layout,
        source: source.description,
        asOf: source.asOf,
        generatedAt: options.now,
        countedStatuses: config.countedStatuses,
        stripeSettings: config.stripeSettings,
        rates,
        catalogCurrencies: configuredCurrencies(layout, pricing),
      }), atRisk, { layout, config, rates, explain: options.explain }),
    ]),
  );
}

/** The at-risk figures are MRR's: they go on the MRR report only, converted like it. */
function withAtRisk(
  report: RevenueReport,
  atRisk: AccumulatedRevenue['atRisk'],
  context: { layout: TierLayout; config: KpiConfig; rates: ExchangeRates | null; explain: boolean },
): RevenueReport {
  if (!atRisk || report.measure !== 'mrr') return report;
  checkRates(atRiskCurrencies(atRisk.entries), context.rates, context.config);
  const converterFor = (sectionCurrencies: readonly string[]) => {
    const currencies = [...new Set([...report.currencies, ...sectionCurrencies])].sort();
    return makeConverter(currencies, context.rates, currencies.length === 0 ? report.reportingCurrency : null);
  };
  return {
    ...report,
    atRisk: buildAtRiskReport(atRisk.entries, {
      layout: context.layout,
      converterFor,
      mrr: report.amount,
      horizonDays: atRisk.horizonDays,
      horizonEnd: atRisk.horizonEnd,
      explain: context.explain,
    }),
  };
}

export interface AccumulatedRevenue {
  measure: Measure;
  totals: MrrTotals;
  layout: TierLayout;
  pricing: PricingCatalog;
  /** With `atRiskHorizonDays`, on the MRR measure: every at-risk entry. */
  atRisk?: { entries: AtRiskEntries; horizonDays: number; horizonEnd: number };
}

/**
 * The exact monthly totals (and, with `explain`, each subscription's contribution) before
 * any rounding, one per measure, from a single pass over the subscriptions.
 */
export async function accumulateRevenue(
  source: BillingSource,
  config: KpiConfig,
  measures: readonly Measure[],
  options: Pick<ComputeRevenueOptions, 'explain' | 'onProgress' | 'atRiskHorizonDays' | 'rates'>,
): Promise<AccumulatedRevenue[]> {
  const catalog = Promise.all([source.listProducts(), source.loadPricing()]);
  const atRiskRead = options.atRiskHorizonDays !== undefined && measures.includes('mrr');
  const statuses = atRiskRead ? atRiskStatuses(config.countedStatuses) : config.countedStatuses;
  // The first subscription pages are read while the catalog is: nothing waits for a round trip.
  const subscriptions = source.subscriptions(statuses, catalog.then(([, pricing]) => pricing));
  const [products, pricing] = await catalog;
  const perMeasure = measures.map((measure) => {
    const layout = resolveTierLayout(config, products, { otherRecurring: measure === 'arr' });
    const { churn, ...stripeDiscounts } = config.stripeSettings;
    const accumulator = new MrrAccumulator(layout, { ...config.discounts, asOf: source.asOf }, {
      explain: options.explain,
      stripe: { discounts: { ...stripeDiscounts, asOf: source.asOf }, churn },
    });
    return { measure, layout, accumulator };
  });
  const atRisk = openAtRisk(perMeasure, config, source.asOf, options.atRiskHorizonDays);
  let read = 0;
  for await (const subscription of subscriptions) {
    try {
      if (config.countedStatuses.includes(subscription.status)) {
        for (const { accumulator } of perMeasure) accumulator.add(subscription);
      }
      if (atRisk) mergeEntries(atRisk.entries, atRiskEntries(subscription, atRisk.options));
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
    // Without rates given (movements convert later, per end), nothing is converted here.
    if (options.rates !== undefined) checkRates(currenciesOf(totals), options.rates, config);
    const horizon = atRisk && measure === 'mrr' ? { entries: atRisk.entries, horizonDays: atRisk.horizonDays, horizonEnd: atRisk.options.horizonEnd } : undefined;
    return { measure, totals, layout, pricing, ...(horizon ? { atRisk: horizon } : {}) };
  });
}

const SECONDS_PER_DAY = 86_400;

/** The at-risk figures follow the MRR measure's layout; none without the MRR measure. */
function openAtRisk(perMeasure: ReadonlyArray<{ measure: Measure; layout: TierLayout }>, config: KpiConfig, asOf: number, horizonDays: number | undefined) {
  const mrr = perMeasure.find((entry) => entry.measure === 'mrr');
  if (horizonDays === undefined || !mrr) return null;
  const options: AtRiskOptions = {
    layout: mrr.layout,
    policy: { ...config.discounts, asOf },
    countedStatuses: config.countedStatuses,
    horizonEnd: asOf + horizonDays * SECONDS_PER_DAY,
  };
  return { options, horizonDays, entries: { pastDue: [], scheduledToEnd: [], discountsEnding: [], trialsEnding: [] } as AtRiskEntries };
}

function mergeEntries(into: AtRiskEntries, from: AtRiskEntries): void {
  for (const category of Object.keys(into) as Array<keyof AtRiskEntries>) into[category].push(...from[category]);
}

function configuredCurrencies(layout: TierLayout, pricing: PricingCatalog): string[] {
  const currencies = new Set<string>();
  for (const price of pricing.priceListings) {
    if (price.recurring && layout.locate(price.productId)) currencies.add(price.currency);
  }
  return [...currencies].sort();
}
