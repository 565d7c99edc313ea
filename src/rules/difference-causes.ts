import { Rational } from '../money/rational.js';
import type { Coupon, Discount, Subscription } from '../billing/model.js';
import type { ChurnTiming, MrrRule } from '../config/schema.js';
import { discountCounts, type DiscountPolicy } from './discounts.js';
import { amountByRule, type DiscountSelection, type SubscriptionMrr } from './subscription-mrr.js';

/** Why the handbook figure and the Stripe-definition figure differ. */
export const CAUSE_KINDS = [
  'coupon-ignored-by-list-price',
  'coupon-subtracted-by-config-only',
  'coupon-subtracted-by-stripe-only',
  'scheduled-to-end',
] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** One step from an item's Stripe amount towards its handbook amount (monthly, exact, handbook minus Stripe). */
export interface CauseStep {
  kind: CauseKind;
  /** The coupon the step toggles; null for a step that is not about a coupon. */
  coupon: Coupon | null;
  amount: Rational;
}

export interface StripeSettingsPolicy {
  discounts: DiscountPolicy;
  churn: ChurnTiming;
}

/**
 * With churn counted at cancellation, Stripe drops a subscription from MRR as soon as it is
 * set to end: `cancel_at_period_end` is true, or a `cancel_at` is scheduled (Stripe fills
 * `cancel_at` with the period end when `cancel_at_period_end` is set, so either field tells).
 */
export function stripeCountsSubscription(subscription: Subscription, churn: ChurnTiming): boolean {
  if (churn === 'at_period_end') return true;
  return !subscription.cancelAtPeriodEnd && subscription.cancelAt === null;
}

/**
 * Splits each item's (handbook - Stripe) amount into steps that add up to it exactly. The
 * walk starts at Stripe's amount: a subscription Stripe no longer counts first comes back
 * at its Stripe-discounted amount; then the discounts move from Stripe's set to the item's
 * rule's set one coupon at a time, in the order the subscription lists them, and each step's
 * change is charged to that coupon. The steps telescope, so their sum is exact.
 *
 * @param rules each item's tier rule (same order as `evaluation.items`), null for items
 *   outside the configured tiers, which get no steps.
 * @param handbook the policy `evaluation` was made with: its `billed` amounts end each walk.
 */
export function differenceSteps(
  evaluation: SubscriptionMrr,
  rules: ReadonlyArray<MrrRule | null>,
  handbook: DiscountPolicy,
  stripe: StripeSettingsPolicy,
): CauseStep[][] {
  const steps: CauseStep[][] = evaluation.items.map(() => []);
  const stripeSelection: DiscountSelection = (discount) => discountCounts(discount, stripe.discounts);
  const startValues = evaluation.items.map((item) => item.stripeBilled);
  if (!stripeCountsSubscription(evaluation.subscription, stripe.churn)) {
    evaluation.items.forEach((item, index) => {
      if (rules[index]) pushStep(steps[index] as CauseStep[], { kind: 'scheduled-to-end', coupon: null, amount: item.stripeBilled });
    });
  }

  const coupons = couponsInOrder(evaluation.subscription);
  for (const rule of new Set(rules)) {
    if (!rule) continue;
    const target: DiscountSelection = rule === 'list-price' ? () => false : (discount) => discountCounts(discount, handbook);
    // With every coupon on the path toggled the selection is the rule's own, whose amounts the evaluation already holds.
    const targetValues = evaluation.items.map((item) => amountByRule(item, rule));
    const path = coupons.filter(({ discounts }) => discounts.some((discount) => target(discount) !== stripeSelection(discount)));
    let before = startValues;
    path.forEach(({ coupon, discounts }, position) => {
      const toggled = new Set(path.slice(0, position + 1).map((entry) => entry.coupon.id));
      const after =
        position === path.length - 1
          ? targetValues
          : evaluation.valueWith((discount) => (toggled.has(discount.coupon.id) ? target(discount) : stripeSelection(discount)));
      const kind = stepKind(rule, discounts.some(target));
      rules.forEach((itemRule, index) => {
        if (itemRule === rule) pushStep(steps[index] as CauseStep[], { kind, coupon, amount: (after[index] as Rational).minus(before[index] as Rational) });
      });
      before = after;
    });
  }
  return steps;
}

function stepKind(rule: MrrRule, handbookSubtracts: boolean): CauseKind {
  if (rule === 'list-price') return 'coupon-ignored-by-list-price';
  return handbookSubtracts ? 'coupon-subtracted-by-config-only' : 'coupon-subtracted-by-stripe-only';
}

function pushStep(steps: CauseStep[], step: CauseStep): void {
  if (!step.amount.isZero()) steps.push(step);
}

export function allDiscounts(subscription: Subscription): Discount[] {
  return [...subscription.items.flatMap((item) => item.discounts), ...subscription.discounts];
}

/** Each coupon once, in the order the subscription first lists it, with every discount that carries it. */
function couponsInOrder(subscription: Subscription): Array<{ coupon: Coupon; discounts: Discount[] }> {
  const byCoupon = new Map<string, { coupon: Coupon; discounts: Discount[] }>();
  for (const discount of allDiscounts(subscription)) {
    const entry = byCoupon.get(discount.coupon.id) ?? { coupon: discount.coupon, discounts: [] };
    entry.discounts.push(discount);
    byCoupon.set(discount.coupon.id, entry);
  }
  return [...byCoupon.values()];
}
