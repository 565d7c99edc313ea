import { Rational } from '../money/rational.js';
import type { Discount, Subscription, SubscriptionItem } from '../billing/model.js';
import { amountPerPeriod, effectiveQuantity } from './item-amount.js';
import { monthlyFactor } from './monthly.js';
import { afterPercentOff, couponAppliesTo, discountCounts, spreadAmountOff, type DiscountPolicy } from './discounts.js';

/** One recurring, licensed item of a subscription, valued both ways. */
export interface ItemMrr {
  item: SubscriptionItem;
  productId: string;
  quantity: number;
  /** Monthly amount at the item's own list price, every discount ignored (rule `list-price`). */
  listPrice: Rational;
  /** Monthly amount after the discounts Stripe's MRR subtracts (rule `billed`). */
  billed: Rational;
}

export type DiscountWarning =
  | { kind: 'amount-off-currency'; couponId: string; subscriptionId: string; currency: string }
  | { kind: 'restriction-unknown'; couponId: string; subscriptionId: string };

export interface SubscriptionMrr {
  subscription: Subscription;
  items: ItemMrr[];
  /** Usage-based items: Stripe leaves them out of MRR, and so do we. */
  meteredItems: SubscriptionItem[];
  warnings: DiscountWarning[];
}

/**
 * Values every item of one subscription, at list price and as Stripe's MRR would.
 *
 * Discounts work on each item's amount per billing period: item-level discounts first,
 * then subscription-level ones, each in the order Stripe lists them. `percent_off`
 * scales an amount; `amount_off` (in the subscription's currency) comes off once per
 * billing period, split across the items it applies to in proportion to what is left of
 * them. Only then is each item normalised to a month, so an amount-off coupon on a yearly
 * subscription is spread over twelve months like the price itself.
 */
export function evaluateSubscription(subscription: Subscription, policy: DiscountPolicy): SubscriptionMrr {
  const warnings: DiscountWarning[] = [];
  const meteredItems: SubscriptionItem[] = [];
  const recurring: Array<{ item: SubscriptionItem; gross: Rational; remaining: Rational; factor: Rational }> = [];

  for (const item of subscription.items) {
    const recurrence = item.price.recurrence;
    if (!recurrence) continue;
    if (recurrence.usageType === 'metered') {
      meteredItems.push(item);
      continue;
    }
    const gross = amountPerPeriod(item.price, item.quantity);
    recurring.push({ item, gross, remaining: gross, factor: monthlyFactor(recurrence) });
  }

  const counted = (discount: Discount) => discountCounts(discount, policy);
  const context = { subscription, warnings };

  for (const entry of recurring) {
    for (const discount of entry.item.discounts.filter(counted)) {
      if (!appliesTo(discount, entry.item, context)) continue;
      entry.remaining = applyDiscount(discount, [entry.remaining], context)[0] ?? entry.remaining;
    }
  }

  for (const discount of subscription.discounts.filter(counted)) {
    const eligible = recurring.filter((entry) => entry.remaining.isPositive() && appliesTo(discount, entry.item, context));
    const after = applyDiscount(discount, eligible.map((entry) => entry.remaining), context);
    eligible.forEach((entry, index) => (entry.remaining = after[index] ?? entry.remaining));
  }

  return {
    subscription,
    meteredItems,
    warnings,
    items: recurring.map(({ item, gross, remaining, factor }) => ({
      item,
      productId: item.price.productId,
      quantity: effectiveQuantity(item.quantity),
      listPrice: gross.times(factor),
      billed: remaining.times(factor),
    })),
  };
}

interface EvaluationContext {
  subscription: Subscription;
  warnings: DiscountWarning[];
}

function appliesTo(discount: Discount, item: SubscriptionItem, context: EvaluationContext): boolean {
  const coupon = discount.coupon;
  if (!coupon.restrictionKnown && coupon.appliesToProducts === null) {
    context.warnings.push({ kind: 'restriction-unknown', couponId: coupon.id, subscriptionId: context.subscription.id });
  }
  return couponAppliesTo(coupon, item.price.productId);
}

function applyDiscount(discount: Discount, amounts: Rational[], context: EvaluationContext): Rational[] {
  const coupon = discount.coupon;
  if (coupon.percentOff) {
    const percentOff = coupon.percentOff;
    return amounts.map((amount) => afterPercentOff(amount, percentOff));
  }
  const currency = context.subscription.currency;
  const amountOff = coupon.amountOff.get(currency);
  if (amountOff === undefined) {
    if (coupon.amountOff.size > 0) {
      context.warnings.push({ kind: 'amount-off-currency', couponId: coupon.id, subscriptionId: context.subscription.id, currency });
    }
    return amounts;
  }
  return spreadAmountOff(amounts, Rational.of(amountOff));
}
