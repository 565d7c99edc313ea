import type { ChurnTiming } from '../config/schema.js';
import { isoDate } from '../history/weeks.js';
import type { Rational } from '../money/rational.js';
import type { KpiCustomer, ReconcileMeasure, SubscriptionFact } from './customer-figures.js';
import { splitCustomerKey } from './external-list.js';
import { compareText } from '../text-order.js';

export type LineStatus = 'matched' | 'differs' | 'kpi_only' | 'list_only';

/** What kpi's own evaluation says could make one customer's figures differ. */
export const RECONCILE_CAUSE_KINDS = [
  'not_on_list',
  'not_in_account',
  'status_not_counted',
  'other_currency',
  'scheduled_to_end',
  'coupon_not_subtracted',
  'coupon_subtracted',
  'list_price_rule',
  'outside_tiers',
  'metered_items',
] as const;
export type CauseKind = (typeof RECONCILE_CAUSE_KINDS)[number];

export interface Cause {
  kind: CauseKind;
  subscription: string | null;
  /** The coupon, status, currency, product names or end date the cause is about. */
  detail: string;
  /** The kpi.config setting behind it and its value ("stripe_settings.churn: at_cancellation"); null when no setting decides it. */
  setting: string | null;
}

export interface ReconciliationLine {
  customerId: string;
  currency: string;
  /** kpi's figure rounded once to minor units; null when kpi does not count the customer. */
  kpi: bigint | null;
  /** The list's figure rounded once to minor units; null when the list has no row for it. */
  list: bigint | null;
  /** kpi minus list, absent sides as zero. */
  difference: bigint;
  status: LineStatus;
  subscriptions: SubscriptionFact[];
  causes: Cause[];
}

export interface CurrencyTotals {
  currency: string;
  /** Sums of the rounded customer figures, so the differences add up to the unit. */
  kpi: bigint;
  list: bigint;
  difference: bigint;
  matched: number;
  /** The part of `difference` inside the tolerance, on matched customers. */
  matchedDifference: bigint;
  differing: number;
  kpiOnly: number;
  listOnly: number;
}

export interface Reconciliation {
  totals: CurrencyTotals[];
  /** Customers that differ beyond the tolerance or are on one side only, largest difference first. */
  lines: ReconciliationLine[];
  /** Every customer on either side, the matched ones included (for CSV). */
  allLines: ReconciliationLine[];
}

/**
 * Compares kpi's customers with the list's. Each side's customer figure is rounded once
 * (half up) to minor units; totals are sums of those rounded figures, so the listed
 * differences plus the matched customers' small ones equal the total difference exactly.
 */
export function reconcile(
  kpiCustomers: ReadonlyMap<string, KpiCustomer>,
  list: ReadonlyMap<string, Rational>,
  options: { tolerance: bigint; measure: ReconcileMeasure; churn: ChurnTiming },
): Reconciliation {
  const byCustomer = new Map<string, SubscriptionFact[]>();
  for (const customer of kpiCustomers.values()) byCustomer.set(customer.customerId, [...(byCustomer.get(customer.customerId) ?? []), ...customer.subscriptions]);

  const keys = new Set([...kpiCustomers.keys(), ...list.keys()]);
  const allLines: ReconciliationLine[] = [];
  for (const key of keys) {
    const { customerId, currency } = splitCustomerKey(key);
    const customer = kpiCustomers.get(key);
    const counted = customer?.subscriptions.some((subscription) => subscription.counted) ?? false;
    const kpi = counted && customer ? customer.mrr.roundHalfUp() : null;
    const listed = list.get(key);
    const listAmount = listed === undefined ? null : listed.roundHalfUp();
    // A customer kpi counts at zero (a free plan) and the list leaves out agrees with it.
    if ((kpi === null || kpi === 0n) && listAmount === null) continue;
    const difference = (kpi ?? 0n) - (listAmount ?? 0n);
    const status: LineStatus = abs(difference) <= options.tolerance ? 'matched' : listAmount === null ? 'kpi_only' : kpi === null ? 'list_only' : 'differs';
    const subscriptions = byCustomer.get(customerId) ?? [];
    allLines.push({ customerId, currency, kpi, list: listAmount, difference, status, subscriptions, causes: causesOf(status, currency, subscriptions, options) });
  }
  allLines.sort((a, b) => compareBigint(abs(b.difference), abs(a.difference)) || compareText(a.currency, b.currency) || compareText(a.customerId, b.customerId));
  return { totals: totalsOf(allLines), lines: allLines.filter((line) => line.status !== 'matched'), allLines };
}

function totalsOf(lines: readonly ReconciliationLine[]): CurrencyTotals[] {
  const totals = new Map<string, CurrencyTotals>();
  for (const line of lines) {
    const total = totals.get(line.currency) ?? { currency: line.currency, kpi: 0n, list: 0n, difference: 0n, matched: 0, matchedDifference: 0n, differing: 0, kpiOnly: 0, listOnly: 0 };
    total.kpi += line.kpi ?? 0n;
    total.list += line.list ?? 0n;
    total.difference += line.difference;
    if (line.status === 'matched') {
      total.matched += 1;
      total.matchedDifference += line.difference;
    } else if (line.status === 'differs') total.differing += 1;
    else if (line.status === 'kpi_only') total.kpiOnly += 1;
    else total.listOnly += 1;
    totals.set(line.currency, total);
  }
  return [...totals.values()].sort((a, b) => compareText(a.currency, b.currency));
}

/**
 * The causes kpi can name from its own evaluation, each with the kpi.config setting behind
 * it, so the reader knows which setting to change when the list's account is set otherwise.
 */
export function causesOf(
  status: LineStatus,
  currency: string,
  subscriptions: readonly SubscriptionFact[],
  options: { measure: ReconcileMeasure; churn: ChurnTiming },
): Cause[] {
  if (status === 'matched') return [];
  const { measure } = options;
  const causes: Cause[] = [];
  const cause = (kind: CauseKind, subscription: string | null, detail: string, setting: string | null = null) => causes.push({ kind, subscription, detail, setting });
  const inCurrency = subscriptions.filter((subscription) => subscription.currency === currency);
  if (status === 'kpi_only') cause('not_on_list', null, 'no row for this customer and currency');
  if (status === 'list_only') {
    if (subscriptions.length === 0) cause('not_in_account', null, 'kpi read no subscription of this customer');
    for (const subscription of inCurrency.filter((candidate) => !candidate.counted && !candidate.droppedAsSetToEnd)) cause('status_not_counted', subscription.id, subscription.status);
    const elsewhere = [...new Set(subscriptions.filter((subscription) => subscription.currency !== currency && subscription.counted).map((subscription) => subscription.currency))];
    if (elsewhere.length > 0) cause('other_currency', null, elsewhere.join(', '));
  }
  for (const subscription of inCurrency.filter((candidate) => candidate.setToEnd && (candidate.counted || candidate.droppedAsSetToEnd))) {
    cause('scheduled_to_end', subscription.id, endDate(subscription), measure === 'stripe' ? `stripe_settings.churn: ${options.churn}` : null);
  }
  for (const subscription of inCurrency.filter((candidate) => candidate.counted)) {
    for (const coupon of subscription.coupons) {
      // Forever coupons: Stripe always subtracts them, and so does kpi's Stripe figure; the
      // handbook's list-price rule ignoring them is its own cause below.
      if (coupon.setting === null) continue;
      cause(coupon.subtracted ? 'coupon_subtracted' : 'coupon_not_subtracted', subscription.id, coupon.id, `${coupon.setting}: ${coupon.subtracted}`);
    }
    if (measure === 'handbook' && subscription.listPriceRule) cause('list_price_rule', subscription.id, subscription.coupons.map((coupon) => coupon.id).join(', '));
    if (measure === 'handbook' && subscription.outsideTiers.length > 0) cause('outside_tiers', subscription.id, subscription.outsideTiers.join(', '));
    if (subscription.meteredProducts.length > 0) cause('metered_items', subscription.id, subscription.meteredProducts.join(', '));
  }
  return causes;
}

/** "2026-11-22", or "period end" when Stripe gave no `cancel_at`. */
function endDate(subscription: SubscriptionFact): string {
  const at = subscription.setToEnd?.at ?? null;
  return at === null ? 'period end' : isoDate(at);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function compareBigint(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
