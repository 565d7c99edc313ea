import type { SubscriptionStatus } from '../billing/model.js';
import { resolveTierLayout } from '../catalog/tier-layout.js';
import type { KpiConfig, StripeSettings } from '../config/schema.js';
import { DataSourceError, UsageError } from '../errors.js';
import { readFileWithin } from '../scoreboard/sources/bounded-read.js';
import { MAX_BODY_BYTES } from '../scoreboard/sources/source-types.js';
import { reconcile, type Reconciliation } from '../reconcile/compare.js';
import { CustomerFigures, measureSettings, type ReconcileMeasure } from '../reconcile/customer-figures.js';
import { parseExternalList, type ExternalList, type ExternalListOptions } from '../reconcile/external-list.js';
import type { BillingSource } from '../sources/billing-source.js';

export interface ReconciliationReport extends Reconciliation {
  measure: ReconcileMeasure;
  /** The list as the output names it. */
  against: string;
  subscriptionsRead: number;
  list: Omit<ExternalList, 'amounts'>;
  tolerance: bigint;
  source: string;
  asOf: Date;
  generatedAt: Date;
  countedStatuses: readonly SubscriptionStatus[];
  /** The Stripe settings kpi.config mirrors (what the Stripe measure follows). */
  stripeSettings: StripeSettings;
  /** Things the reader should know before trusting the comparison (a month that is not kpi's). */
  notes: string[];
}

export interface ReconcileOptions extends ExternalListOptions {
  against: string;
  /** How the output and messages name the list (the demo's, not its install path). */
  againstName: string;
  measure: ReconcileMeasure;
  /** In minor units. */
  tolerance: bigint;
  now: Date;
  onProgress?: (subscriptionsRead: number) => void;
}

/**
 * Statuses read beyond the counted ones, only to explain a customer the list has and kpi
 * does not count. Canceled and expired subscriptions are left unread: on a live account
 * they are most of the history, and a churned customer needs no explaining.
 */
const EXPLAINING_STATUSES: readonly SubscriptionStatus[] = ['active', 'past_due', 'trialing', 'unpaid', 'paused', 'incomplete'];

/** Reads the list, values the account per customer, and compares the two. */
export async function reconcileWithList(source: BillingSource, config: KpiConfig, options: ReconcileOptions): Promise<ReconciliationReport> {
  const list = readList(options);
  const [products, pricing] = await Promise.all([source.listProducts(), source.loadPricing()]);
  const names = new Map(products.map((product) => [product.id, product.name]));
  const figures = new CustomerFigures({
    measure: options.measure,
    layout: resolveTierLayout(config, products),
    ...measureSettings(config, options.measure, source.asOf),
    countedStatuses: config.countedStatuses,
    productName: (id) => names.get(id) ?? id,
  });
  const statuses = [...new Set([...config.countedStatuses, ...EXPLAINING_STATUSES])];
  let read = 0;
  for await (const subscription of source.subscriptions(statuses, pricing)) {
    try {
      figures.add(subscription);
    } catch (error) {
      if (error instanceof RangeError) throw new DataSourceError(`subscription ${subscription.id} cannot be valued: ${error.message}`);
      throw error;
    }
    options.onProgress?.(++read);
  }
  const { amounts, ...listFacts } = list;
  const asOf = new Date(source.asOf * 1000);
  const result = reconcile(figures.customers, amounts, { tolerance: options.tolerance, measure: options.measure, churn: config.stripeSettings.churn });
  return {
    ...result,
    measure: options.measure,
    against: options.againstName,
    subscriptionsRead: read,
    list: listFacts,
    tolerance: options.tolerance,
    source: source.description,
    asOf,
    generatedAt: options.now,
    countedStatuses: config.countedStatuses,
    stripeSettings: config.stripeSettings,
    notes: [...monthNotes(list.month, asOf), ...overlapNotes(result)],
  };
}

/** Two sides with no customer in common are most likely two accounts (or test and live mode), not a long list of differences. */
function overlapNotes(result: Reconciliation): string[] {
  const sides = new Set(result.allLines.map((line) => line.status));
  const shared = sides.has('matched') || sides.has('differs');
  return !shared && sides.has('kpi_only') && sides.has('list_only')
    ? ["no customer is on both sides: is the list from this Stripe account, and from the same mode (live or test)?"]
    : [];
}

function readList(options: ReconcileOptions): ExternalList {
  let text: string;
  try {
    text = readFileWithin(options.against, options.againstName, MAX_BODY_BYTES).text;
  } catch (error) {
    throw new UsageError(`--against: ${(error as Error).message}`);
  }
  return parseExternalList(text, options.againstName, options);
}

/** Stripe's rows are each month's end; kpi's figure is one moment. Saying so beats a silent mismatch. */
function monthNotes(month: string | null, asOf: Date): string[] {
  const kpiMonth = asOf.toISOString().slice(0, 7);
  if (month === null || month === kpiMonth) return [];
  return [`the list's month is ${month}, kpi's figures are as of ${asOf.toISOString().slice(0, 10)}: customers that changed in between differ`];
}
