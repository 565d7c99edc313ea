/**
 * MRR at risk: what of today's MRR is about to move, from the state of the subscriptions
 * alone (live or a snapshot). Pure: the billing model in, exact monthly amounts out.
 *
 * - past due: counted subscriptions in `past_due` (their MRR counts, their payment failed);
 * - scheduled to end: counted subscriptions set to end within the horizon;
 * - discounts ending: for tiers under rule `billed`, how MRR changes when discounts with an
 *   `end` inside the horizon expire (MRR rises: the discount stops taking; what is at risk
 *   is the promise that it will be paid at full price);
 * - trials ending: MRR that trialing subscriptions (not counted) would add if they convert.
 *
 * The categories are independent views: a past-due subscription set to end shows in both.
 */
import { Rational } from '../money/rational.js';
import type { Coupon, Discount, Subscription, SubscriptionStatus } from '../billing/model.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import { allDiscounts } from './difference-causes.js';
import { discountCounts, type DiscountPolicy } from './discounts.js';
import { amountByRule, evaluateSubscription, type SubscriptionMrr } from './subscription-mrr.js';
import { compareText } from '../text-order.js';

/** How far ahead "ending" looks unless told (`--horizon`). */
export const DEFAULT_AT_RISK_HORIZON_DAYS = 30;

export const AT_RISK_CATEGORIES = ['pastDue', 'scheduledToEnd', 'discountsEnding', 'trialsEnding'] as const;
export type AtRiskCategory = (typeof AT_RISK_CATEGORIES)[number];

/** One subscription's share of a category in one tier (and, for discounts ending, one coupon). */
export interface AtRiskEntry {
  subscriptionId: string;
  customerId: string;
  currency: string;
  tierIndex: number;
  /** Monthly, exact: MRR at risk, or (discounts ending) the change in MRR, or (trials) the MRR a conversion adds. */
  amount: Rational;
  /** Unix seconds the subscription ends, the discount ends or the trial ends; null when the source does not say. */
  date: number | null;
  coupon: Coupon | null;
}

export interface AtRiskOptions {
  layout: TierLayout;
  /** The handbook's discount policy (what rule `billed` subtracts), as of the figures. */
  policy: DiscountPolicy;
  countedStatuses: readonly SubscriptionStatus[];
  /** Unix seconds: the end of the horizon (inclusive). Dates after it are not at risk yet. */
  horizonEnd: number;
}

export type AtRiskEntries = Record<AtRiskCategory, AtRiskEntry[]>;

/** The statuses to read for the at-risk figures: the counted ones plus `trialing`. */
export function atRiskStatuses(countedStatuses: readonly SubscriptionStatus[]): SubscriptionStatus[] {
  return [...new Set<SubscriptionStatus>([...countedStatuses, 'trialing'])];
}

/** Every at-risk entry one subscription contributes. */
export function atRiskEntries(subscription: Subscription, options: AtRiskOptions): AtRiskEntries {
  const entries: AtRiskEntries = { pastDue: [], scheduledToEnd: [], discountsEnding: [], trialsEnding: [] };
  const counted = options.countedStatuses.includes(subscription.status);
  const isTrial = subscription.status === 'trialing';
  if (!counted && !isTrial) return entries;

  const asOf = options.policy.asOf;
  const within = (date: number | null | undefined) => typeof date === 'number' && date > asOf && date <= options.horizonEnd;
  const evaluation = evaluateSubscription(subscription, options.policy);
  const handbook = handbookByTier(evaluation, options.layout);
  const entry = (tierIndex: number, amount: Rational, date: number | null, coupon: Coupon | null = null): AtRiskEntry => ({
    subscriptionId: subscription.id,
    customerId: subscription.customerId,
    currency: subscription.currency,
    tierIndex,
    amount,
    date,
    coupon,
  });

  if (!counted) {
    // A trial that does not convert by the horizon is not upside within it.
    if (within(subscription.trialEnd)) {
      for (const [tierIndex, amount] of handbook) entries.trialsEnding.push(entry(tierIndex, amount, subscription.trialEnd ?? null));
    }
    return entries;
  }
  if (subscription.status === 'past_due') {
    for (const [tierIndex, amount] of handbook) entries.pastDue.push(entry(tierIndex, amount, null));
  }
  const end = scheduledEnd(subscription);
  if (end !== undefined && (end === null || within(end))) {
    for (const [tierIndex, amount] of handbook) entries.scheduledToEnd.push(entry(tierIndex, amount, end));
  }
  entries.discountsEnding.push(...discountsEnding(evaluation, options, within).map((step) => entry(step.tierIndex, step.amount, step.date, step.coupon)));
  return entries;
}

/**
 * When a subscription set to end ends: `cancel_at` (Stripe fills it for
 * `cancel_at_period_end` too), else the end of the current period; null when set to end
 * at a period end the source does not carry; undefined when not set to end.
 */
function scheduledEnd(subscription: Subscription): number | null | undefined {
  if (subscription.cancelAt !== null) return subscription.cancelAt;
  if (!subscription.cancelAtPeriodEnd) return undefined;
  return subscription.currentPeriodEnd ?? null;
}

/** The handbook figure (each tier's own rule) per tier holding a configured product. */
function handbookByTier(evaluation: SubscriptionMrr, layout: TierLayout): Map<number, Rational> {
  const byTier = new Map<number, Rational>();
  for (const item of evaluation.items) {
    const position = layout.locate(item.productId);
    if (!position) continue;
    const rule = layout.tiers[position.tierIndex]?.rule;
    byTier.set(position.tierIndex, (byTier.get(position.tierIndex) ?? Rational.ZERO).plus(amountByRule(item, rule)));
  }
  return byTier;
}

interface DiscountStep {
  tierIndex: number;
  amount: Rational;
  date: number;
  coupon: Coupon;
}

/**
 * Removes the counted discounts that end inside the horizon one at a time, soonest first,
 * and books each step's change on its coupon: the steps add up exactly to the difference
 * between the subscription's value today and its value once all of them have ended (an
 * amount-off coupon's effect depends on what the others left, so the order matters, and
 * the order they expire in is the one that happens). Only tiers under rule `billed` count
 * a coupon; a forever coupon has no `end`.
 */
function discountsEnding(evaluation: SubscriptionMrr, options: AtRiskOptions, within: (date: number | null) => boolean): DiscountStep[] {
  const ending = allDiscounts(evaluation.subscription)
    .filter((discount) => discountCounts(discount, options.policy) && within(discount.end))
    .sort((a, b) => (a.end as number) - (b.end as number) || compareText(a.id, b.id));
  if (ending.length === 0) return [];

  const billedTiers = evaluation.items.map((item) => {
    const position = options.layout.locate(item.productId);
    return position && options.layout.tiers[position.tierIndex]?.rule === 'billed' ? position.tierIndex : null;
  });
  const removed = new Set<Discount>();
  let before = evaluation.items.map((item) => item.billed);
  const steps: DiscountStep[] = [];
  for (const discount of ending) {
    removed.add(discount);
    const after = evaluation.valueWith((candidate) => discountCounts(candidate, options.policy) && !removed.has(candidate));
    const perTier = new Map<number, Rational>();
    billedTiers.forEach((tierIndex, index) => {
      if (tierIndex === null) return;
      const change = (after[index] as Rational).minus(before[index] as Rational);
      perTier.set(tierIndex, (perTier.get(tierIndex) ?? Rational.ZERO).plus(change));
    });
    for (const [tierIndex, amount] of perTier) {
      if (!amount.isZero()) steps.push({ tierIndex, amount, date: discount.end as number, coupon: discount.coupon });
    }
    before = after;
  }
  return steps;
}
