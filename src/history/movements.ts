import { Rational } from '../money/rational.js';

/**
 * MRR movements between two moments, by Stripe's definitions, per customer:
 * - new: no MRR at the start, some at the end, never paid before;
 * - reactivation: no MRR at the start, some at the end, and a subscription of theirs had
 *   ended before the start (a win-back);
 * - expansion / contraction: MRR at both ends, more / less at the end;
 * - churn: MRR at the start, none at the end.
 * Customers are compared within one tier and one currency, so the parts of each add up to
 * its change exactly; a customer moving from Starter to Pro is churn in one tier and new
 * (or reactivation) in the other.
 */
export const MOVEMENT_KINDS = ['new', 'reactivation', 'expansion', 'contraction', 'churn'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface CustomerMrr {
  customerId: string;
  subscriptionId: string;
  /** Which group (tier) the amount counts in. */
  group: number;
  currency: string;
  amount: Rational;
}

export interface MovementPart {
  /** Signed: positive for new, reactivation, expansion; negative for contraction, churn. */
  amount: Rational;
  customers: number;
  subscriptions: number;
}

export interface GroupMovements {
  group: number;
  currency: string;
  start: Rational;
  end: Rational;
  parts: Record<MovementKind, MovementPart>;
}

export function computeMovements(
  start: readonly CustomerMrr[],
  end: readonly CustomerMrr[],
  hadEndedBeforeStart: (customerId: string) => boolean,
): GroupMovements[] {
  interface Side {
    amount: Rational;
    subscriptions: Set<string>;
  }
  const key = (row: CustomerMrr) => `${row.group}\u0000${row.currency}`;
  const groups = new Map<string, { group: number; currency: string; customers: Map<string, { start?: Side; end?: Side }> }>();
  const add = (row: CustomerMrr, side: 'start' | 'end') => {
    let entry = groups.get(key(row));
    if (!entry) groups.set(key(row), (entry = { group: row.group, currency: row.currency, customers: new Map() }));
    const customer = entry.customers.get(row.customerId) ?? {};
    entry.customers.set(row.customerId, customer);
    const sideValue = (customer[side] ??= { amount: Rational.ZERO, subscriptions: new Set() });
    sideValue.amount = sideValue.amount.plus(row.amount);
    sideValue.subscriptions.add(row.subscriptionId);
  };
  start.forEach((row) => add(row, 'start'));
  end.forEach((row) => add(row, 'end'));

  return [...groups.values()]
    .sort((a, b) => a.group - b.group || a.currency.localeCompare(b.currency))
    .map(({ group, currency, customers }) => {
      const parts = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, { amount: Rational.ZERO, customers: 0, subscriptions: 0 }])) as Record<MovementKind, MovementPart>;
      let startTotal = Rational.ZERO;
      let endTotal = Rational.ZERO;
      for (const [customerId, sides] of customers) {
        const before = sides.start?.amount ?? Rational.ZERO;
        const after = sides.end?.amount ?? Rational.ZERO;
        startTotal = startTotal.plus(before);
        endTotal = endTotal.plus(after);
        const kind = classify(before, after, () => hadEndedBeforeStart(customerId));
        if (!kind) continue;
        const part = parts[kind];
        part.amount = part.amount.plus(after.minus(before));
        part.customers += 1;
        part.subscriptions += new Set([...(sides.start?.subscriptions ?? []), ...(sides.end?.subscriptions ?? [])]).size;
      }
      return { group, currency, start: startTotal, end: endTotal, parts };
    });
}

function classify(before: Rational, after: Rational, hadEnded: () => boolean): MovementKind | null {
  if (!before.isPositive()) return after.isPositive() ? (hadEnded() ? 'reactivation' : 'new') : null;
  if (!after.isPositive()) return 'churn';
  const change = after.compare(before);
  return change > 0 ? 'expansion' : change < 0 ? 'contraction' : null;
}

/**
 * Rounds parts to integers that add up to `target` exactly (largest remainder): reported
 * movements then add up to the reported change, to the cent.
 */
export function apportion(parts: readonly Rational[], target: bigint): bigint[] {
  const floors = parts.map((part) => part.floor());
  let shortfall = target - floors.reduce((sum, value) => sum + value, 0n);
  const order = parts
    .map((part, index) => ({ index, remainder: part.minus(Rational.of(floors[index] as bigint)) }))
    .sort((a, b) => b.remainder.compare(a.remainder) || a.index - b.index);
  const result = [...floors];
  for (let i = 0; shortfall !== 0n && order.length > 0; i = (i + 1) % order.length) {
    const step = shortfall > 0n ? 1n : -1n;
    const index = (shortfall > 0n ? order[i] : order[order.length - 1 - i])!.index;
    result[index] = (result[index] as bigint) + step;
    shortfall -= step;
  }
  return result;
}
