import { Rational } from '../money/rational.js';
import { compareText } from '../text-order.js';

/**
 * MRR movements between two moments, by Stripe's definitions, subscription by
 * subscription within each tier and currency:
 * - churn: a subscription leaves the counted set (canceled, unpaid, paused ...);
 * - contraction: a subscription still counted bills less in this tier (a downgrade, or a
 *   move to another tier);
 * - expansion: a subscription bills more, or a paying customer adds one (or moves into
 *   this tier from another);
 * - new: a customer with no MRR at the start pays at the end and never paid before;
 * - reactivation: the same, for a customer who had paid before and left, by whatever
 *   path (canceled, unpaid, paused ...): a win-back.
 * Every change of every subscription lands in exactly one part, so the parts of each tier
 * and currency add up to its change exactly.
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
  /** Whether a customer without MRR at the start had held counted MRR before it. */
  paidBeforeStart: (customerId: string) => boolean,
): GroupMovements[] {
  interface Holding {
    customerId: string;
    start: Rational;
    end: Rational;
  }
  const groups = new Map<string, { group: number; currency: string; subscriptions: Map<string, Holding> }>();
  const add = (row: CustomerMrr, side: 'start' | 'end') => {
    const key = `${row.group}\u0000${row.currency}`;
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { group: row.group, currency: row.currency, subscriptions: new Map() }));
    const holding = entry.subscriptions.get(row.subscriptionId) ?? { customerId: row.customerId, start: Rational.ZERO, end: Rational.ZERO };
    holding[side] = holding[side].plus(row.amount);
    entry.subscriptions.set(row.subscriptionId, holding);
  };
  start.forEach((row) => add(row, 'start'));
  end.forEach((row) => add(row, 'end'));
  const payingAtStart = new Set(start.filter((row) => row.amount.isPositive()).map((row) => row.customerId));
  const countedAtEnd = new Set(end.filter((row) => row.amount.isPositive()).map((row) => row.subscriptionId));

  return [...groups.values()]
    .sort((a, b) => a.group - b.group || compareText(a.currency, b.currency))
    .map(({ group, currency, subscriptions }) => {
      const parts = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, { amount: Rational.ZERO, customers: 0, subscriptions: 0 }])) as Record<MovementKind, MovementPart>;
      const customers = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, new Set<string>()])) as Record<MovementKind, Set<string>>;
      let startTotal = Rational.ZERO;
      let endTotal = Rational.ZERO;
      for (const [subscriptionId, holding] of subscriptions) {
        startTotal = startTotal.plus(holding.start);
        endTotal = endTotal.plus(holding.end);
        const kind = classify(holding, {
          stillCounted: countedAtEnd.has(subscriptionId),
          customerPaidAtStart: payingAtStart.has(holding.customerId),
          customerChurnedBefore: () => paidBeforeStart(holding.customerId),
        });
        if (!kind) continue;
        parts[kind].amount = parts[kind].amount.plus(holding.end.minus(holding.start));
        parts[kind].subscriptions += 1;
        customers[kind].add(holding.customerId);
      }
      for (const kind of MOVEMENT_KINDS) parts[kind].customers = customers[kind].size;
      return { group, currency, start: startTotal, end: endTotal, parts };
    });
}

function classify(
  holding: { start: Rational; end: Rational },
  facts: { stillCounted: boolean; customerPaidAtStart: boolean; customerChurnedBefore: () => boolean },
): MovementKind | null {
  const before = holding.start.isPositive();
  const after = holding.end.isPositive();
  if (before && after) {
    const change = holding.end.compare(holding.start);
    return change > 0 ? 'expansion' : change < 0 ? 'contraction' : null;
  }
  if (before) return facts.stillCounted ? 'contraction' : 'churn';
  if (!after) return null;
  if (facts.customerPaidAtStart) return 'expansion';
  return facts.customerChurnedBefore() ? 'reactivation' : 'new';
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
