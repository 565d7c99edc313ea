import { decimalString, Rational } from '../money/rational.js';
import type { CustomerMrr, MovementKind } from './movements.js';

/**
 * SaaS metrics over a period, from the MRR of two snapshots and the movements between them.
 * Ratios are exact fractions of the reported figures (MRR rounded to minor units, counts),
 * so a reader of the JSON recomputes each one from its numerator and denominator; only the
 * displayed value is rounded. The definitions are the README's "SaaS metrics" section.
 */

/** A scope's reported MRR at both ends and its movements (signed: churn and contraction negative). */
export interface ScopeMovements {
  start: bigint;
  end: bigint;
  parts: Record<MovementKind, bigint>;
}

/** Per customer of a scope (a tier and currency, or a currency's total): exact MRR at both ends. */
export interface ScopeHoldings {
  customers: ReadonlyMap<string, { start: Rational; end: Rational }>;
  subscriptions: { start: number; end: number };
}

/** numerator / denominator; no value (n/a) when the denominator is 0. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

export interface CompoundWeeklyGrowth {
  start: bigint;
  end: bigint;
  /** The period in weeks, exact (seconds between the snapshots / 604,800). */
  weeks: Rational;
  /** (end / start)^(1 / weeks) - 1 with 4 decimals; null under two weeks or from no MRR. */
  value: string | null;
}

export interface SaasMetrics {
  customers: { start: number; end: number; new: number; churned: number };
  subscriptions: { start: number; end: number };
  /** MRR / paying customers, in minor units. */
  arpa: { start: Ratio; end: Ratio };
  logoChurn: Ratio;
  grossRevenueChurn: Ratio;
  netRevenueChurn: Ratio;
  grossRevenueRetention: Ratio;
  netRevenueRetention: Ratio;
  quickRatio: Ratio;
  growth: Ratio;
  weeklyGrowth: CompoundWeeklyGrowth;
}

const SECONDS_PER_WEEK = 7 * 24 * 3600;
/** Below two weeks a weekly average is the period's own rate, said twice. */
const MIN_WEEKS_FOR_WEEKLY = Rational.of(2);

/** The group number `asOneGroup` gives the rows it merges. */
export const MERGED_GROUP = -1;

/**
 * The rows with the chosen groups (the self-service tiers) made one, for a total: there a
 * subscription moving between tiers is one subscription changing price (expansion or
 * contraction by the difference), not a contraction in one tier and an expansion in another.
 */
export function asOneGroup(rows: readonly CustomerMrr[], merged: (group: number) => boolean): CustomerMrr[] {
  return rows.map((row) => (merged(row.group) ? { ...row, group: MERGED_GROUP } : row));
}

/**
 * Sums the per-subscription rows of one scope by customer; a subscription counts at an end
 * when it holds positive MRR there (the same rule as for customers).
 */
export function scopeHoldings(start: readonly CustomerMrr[], end: readonly CustomerMrr[], inScope: (row: CustomerMrr) => boolean): ScopeHoldings {
  const customers = new Map<string, { start: Rational; end: Rational }>();
  const subscriptions = { start: new Map<string, Rational>(), end: new Map<string, Rational>() };
  const add = (rows: readonly CustomerMrr[], side: 'start' | 'end') => {
    for (const row of rows) {
      if (!inScope(row)) continue;
      const customer = customers.get(row.customerId) ?? { start: Rational.ZERO, end: Rational.ZERO };
      customer[side] = customer[side].plus(row.amount);
      customers.set(row.customerId, customer);
      subscriptions[side].set(row.subscriptionId, (subscriptions[side].get(row.subscriptionId) ?? Rational.ZERO).plus(row.amount));
    }
  };
  add(start, 'start');
  add(end, 'end');
  const positive = (amounts: Map<string, Rational>) => [...amounts.values()].filter((amount) => amount.isPositive()).length;
  return { customers, subscriptions: { start: positive(subscriptions.start), end: positive(subscriptions.end) } };
}

export function saasMetrics(movements: ScopeMovements, holdings: ScopeHoldings, periodSeconds: number): SaasMetrics {
  const customers = [...holdings.customers.values()];
  const payingAtStart = customers.filter((customer) => customer.start.isPositive());
  const payingAtEnd = customers.filter((customer) => customer.end.isPositive());
  const churned = payingAtStart.filter((customer) => !customer.end.isPositive()).length;
  const added = payingAtEnd.filter((customer) => !customer.start.isPositive()).length;
  const { parts } = movements;
  const losses = -(parts.churn + parts.contraction);
  const gains = parts.new + parts.expansion + parts.reactivation;
  // The cohort is the customers paying at the start; what they pay at the end, in this scope.
  const retained = payingAtStart.reduce((sum, customer) => sum.plus(customer.end.min(customer.start)), Rational.ZERO).roundHalfUp();
  const kept = payingAtStart.reduce((sum, customer) => sum.plus(customer.end), Rational.ZERO).roundHalfUp();
  const startCustomers = BigInt(payingAtStart.length);
  return {
    customers: { start: payingAtStart.length, end: payingAtEnd.length, new: added, churned },
    subscriptions: { ...holdings.subscriptions },
    arpa: {
      start: { numerator: movements.start, denominator: startCustomers },
      end: { numerator: movements.end, denominator: BigInt(payingAtEnd.length) },
    },
    logoChurn: { numerator: BigInt(churned), denominator: startCustomers },
    grossRevenueChurn: { numerator: losses, denominator: movements.start },
    netRevenueChurn: { numerator: losses - parts.expansion - parts.reactivation, denominator: movements.start },
    grossRevenueRetention: { numerator: retained, denominator: movements.start },
    netRevenueRetention: { numerator: kept, denominator: movements.start },
    quickRatio: { numerator: gains, denominator: losses },
    growth: { numerator: movements.end - movements.start, denominator: movements.start },
    weeklyGrowth: compoundWeeklyGrowth(movements.start, movements.end, Rational.of(periodSeconds, SECONDS_PER_WEEK)),
  };
}

/** The exact value of a ratio, or null (n/a) when its denominator is 0. */
export function ratioValue(ratio: Ratio): Rational | null {
  return ratio.denominator === 0n ? null : Rational.of(ratio.numerator, ratio.denominator);
}

/** A ratio's value as a decimal string rounded half-up to `places` (4 in JSON), or null. */
export function ratioDecimal(ratio: Ratio, places = 4): string | null {
  const value = ratioValue(ratio);
  return value === null ? null : decimalString(value, places);
}

/**
 * The steady weekly rate that compounds from start to end over the period. It is a root,
 * not a fraction, so it alone is computed in floating point, from its exact inputs.
 */
export function compoundWeeklyGrowth(start: bigint, end: bigint, weeks: Rational): CompoundWeeklyGrowth {
  if (start <= 0n || end < 0n || weeks.compare(MIN_WEEKS_FOR_WEEKLY) < 0) return { start, end, weeks, value: null };
  const weeksNumber = Number(weeks.numerator) / Number(weeks.denominator);
  const rate = Math.pow(Number(end) / Number(start), 1 / weeksNumber) - 1;
  return { start, end, weeks, value: decimalString(Rational.fromNumber(rate), 4) };
}
