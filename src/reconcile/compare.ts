import type { Rational } from '../money/rational.js';
import type { KpiCustomer, ReconcileMeasure, SubscriptionFact } from './customer-figures.js';
import { splitCustomerKey } from './external-list.js';

export type LineStatus = 'matched' | 'differs' | 'kpi_only' | 'list_only';

/** What kpi's own evaluation says could make one customer's figures differ. */
export type CauseKind =
  | 'not_on_list'
  | 'not_in_account'
  | 'status_not_counted'
  | 'other_currency'
  | 'coupon_not_subtracted'
  | 'coupon_subtracted'
  | 'list_price_rule'
  | 'outside_tiers'
  | 'metered_items';

export interface Cause {
  kind: CauseKind;
  subscription: string | null;
  /** The coupon, status, currency or product names the cause is about. */
  detail: string;
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
  options: { tolerance: bigint; measure: ReconcileMeasure },
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
    allLines.push({ customerId, currency, kpi, list: listAmount, difference, status, subscriptions, causes: causesOf(status, currency, subscriptions, options.measure) });
  }
  allLines.sort((a, b) => compareBigint(abs(b.difference), abs(a.difference)) || a.currency.localeCompare(b.currency) || a.customerId.localeCompare(b.customerId));
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
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/**
 * The causes kpi can name from its own evaluation. It cannot see Stripe's settings, so a
 * coupon kpi did not subtract is named whether or not Stripe subtracted it: a reader
 * compares the amount with the coupon's terms.
 */
export function causesOf(status: LineStatus, currency: string, subscriptions: readonly SubscriptionFact[], measure: ReconcileMeasure): Cause[] {
  if (status === 'matched') return [];
  const causes: Cause[] = [];
  const inCurrency = subscriptions.filter((subscription) => subscription.currency === currency);
  if (status === 'kpi_only') causes.push({ kind: 'not_on_list', subscription: null, detail: 'no row for this customer and currency' });
  if (status === 'list_only') {
    if (subscriptions.length === 0) causes.push({ kind: 'not_in_account', subscription: null, detail: 'kpi read no subscription of this customer' });
    for (const subscription of inCurrency.filter((candidate) => !candidate.counted)) {
      causes.push({ kind: 'status_not_counted', subscription: subscription.id, detail: subscription.status });
    }
    const elsewhere = [...new Set(subscriptions.filter((subscription) => subscription.currency !== currency && subscription.counted).map((subscription) => subscription.currency))];
    if (elsewhere.length > 0) causes.push({ kind: 'other_currency', subscription: null, detail: elsewhere.join(', ') });
  }
  for (const subscription of inCurrency.filter((candidate) => candidate.counted)) {
    for (const coupon of subscription.coupons) {
      // Forever coupons: Stripe always subtracts them, and so does kpi's Stripe figure; the
      // handbook's list-price rule ignoring them is its own cause below.
      if (coupon.duration === 'forever') continue;
      causes.push({ kind: coupon.subtracted ? 'coupon_subtracted' : 'coupon_not_subtracted', subscription: subscription.id, detail: coupon.id });
    }
    if (measure === 'handbook' && subscription.listPriceRule) causes.push({ kind: 'list_price_rule', subscription: subscription.id, detail: subscription.coupons.map((coupon) => coupon.id).join(', ') });
    if (measure === 'handbook' && subscription.outsideTiers.length > 0) causes.push({ kind: 'outside_tiers', subscription: subscription.id, detail: subscription.outsideTiers.join(', ') });
    if (subscription.meteredProducts.length > 0) causes.push({ kind: 'metered_items', subscription: subscription.id, detail: subscription.meteredProducts.join(', ') });
  }
  return causes;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function compareBigint(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
