import { Rational } from '../money/rational.js';
import type { Discount, Subscription, SubscriptionItem } from '../billing/model.js';
import type { MrrRule } from '../config/schema.js';
import { amountPerPeriod, effectiveQuantity } from './item-amount.js';
import { monthlyFactor } from './monthly.js';
import { afterPercentOff, couponAppliesTo, discountCounts, samePolicy, spreadAmountOff, type DiscountPolicy } from './discounts.js';

/** One recurring, licensed item of a subscription, valued every way the report needs. */
export interface ItemMrr {
  item: SubscriptionItem;
  productId: string;
  quantity: number;
  /** Monthly amount at the item's own list price, every discount ignored (rule `list-price`). */
  listPrice: Rational;
  /** Monthly amount after the discounts the handbook's `discounts:` policy subtracts (rule `billed`). */
  billed: Rational;
  /** Monthly amount after the discounts Stripe's Billing Overview settings subtract. */
  stripeBilled: Rational;
}

/** An item's monthly amount under its tier's rule: list price, or billed after the handbook's discounts. */
export function amountByRule(item: ItemMrr, rule: MrrRule | null | undefined): Rational {
  return rule === 'list-price' ? item.listPrice : item.billed;
}

export type DiscountWarning =
  | { kind: 'amount-off-currency'; couponId: string; subscriptionId: string; currency: string }
  | { kind: 'restriction-unknown'; couponId: string; subscriptionId: string };

/** Which of a subscription's discounts (item-level or subscription-level) come off. */
export type DiscountSelection = (discount: Discount) => boolean;

export interface SubscriptionMrr {
  subscription: Subscription;
  items: ItemMrr[];
  /** Usage-based items: Stripe leaves them out of MRR, and so do we. */
  meteredItems: SubscriptionItem[];
  warnings: DiscountWarning[];
  /** Each item's monthly amount (in `items` order) with exactly the selected discounts: the steps between two policies. */
  valueWith(selection: DiscountSelection): Rational[];
}

/**
 * Values every item of one subscription at list price, by the handbook's discount policy
 * and by Stripe's (the same policy unless `stripePolicy` is given).
 *
 * Discounts work on each item's amount per billing period: item-level discounts first,
 * then subscription-level ones, each in the order Stripe lists them. `percent_off`
 * scales an amount; `amount_off` (in the subscription's currency) comes off once per
 * billing period, split across the items it applies to in proportion to what is left of
 * them. Only then is each item normalised to a month, so an amount-off coupon on a yearly
 * subscription is spread over twelve months like the price itself.
 */
export function evaluateSubscription(subscription: Subscription, policy: DiscountPolicy, stripePolicy: DiscountPolicy = policy): SubscriptionMrr {
  const warnings: DiscountWarning[] = [];
  const meteredItems: SubscriptionItem[] = [];
  const recurring: RecurringItem[] = [];

  for (const item of subscription.items) {
    const recurrence = item.price.recurrence;
    if (!recurrence) continue;
    if (recurrence.usageType === 'metered') {
      meteredItems.push(item);
      continue;
    }
    recurring.push({ item, gross: amountPerPeriod(item.price, item.quantity), factor: monthlyFactor(recurrence) });
  }

  const context = { subscription, warnings };
  const valueWith = (selection: DiscountSelection) => monthlyAfter(recurring, selection, context);
  const billed = valueWith((discount) => discountCounts(discount, policy));
  const stripeBilled = samePolicy(stripePolicy, policy) ? billed : valueWith((discount) => discountCounts(discount, stripePolicy));

  return {
    subscription,
    meteredItems,
    warnings,
    valueWith,
    items: recurring.map(({ item, gross, factor }, index) => ({
      item,
      productId: item.price.productId,
      quantity: effectiveQuantity(item.quantity),
      listPrice: gross.times(factor),
      billed: billed[index] as Rational,
      stripeBilled: stripeBilled[index] as Rational,
    })),
  };
}

interface RecurringItem {
  item: SubscriptionItem;
  gross: Rational;
  factor: Rational;
}

function monthlyAfter(recurring: readonly RecurringItem[], selection: DiscountSelection, context: EvaluationContext): Rational[] {
  const remaining = recurring.map((entry) => entry.gross);
  recurring.forEach((entry, index) => {
    for (const discount of entry.item.discounts.filter(selection)) {
      if (!appliesTo(discount, entry.item, context)) continue;
      remaining[index] = applyDiscount(discount, [remaining[index] as Rational], context)[0] ?? (remaining[index] as Rational);
    }
  });

  for (const discount of context.subscription.discounts.filter(selection)) {
    const eligible = recurring.flatMap((entry, index) =>
      (remaining[index] as Rational).isPositive() && appliesTo(discount, entry.item, context) ? [index] : [],
    );
    const after = applyDiscount(discount, eligible.map((index) => remaining[index] as Rational), context);
    eligible.forEach((index, position) => (remaining[index] = after[position] ?? (remaining[index] as Rational)));
  }
  return remaining.map((amount, index) => amount.times((recurring[index] as RecurringItem).factor));
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
