import { Rational } from '../money/rational.js';
import type { Coupon, Discount } from '../billing/model.js';

/**
 * Which discounts reduce MRR. Stripe always subtracts `forever` coupons; whether `once` and
 * `repeating` ones count is a Billing analytics setting, off unless the config turns it on.
 */
export interface DiscountPolicy {
  countRepeating: boolean;
  countOnce: boolean;
  /** Unix seconds: discounts that ended by then no longer count. */
  asOf: number;
}

/** Two policies that count the same discounts: one valuation serves both. */
export function samePolicy(a: DiscountPolicy, b: DiscountPolicy): boolean {
  return a.countRepeating === b.countRepeating && a.countOnce === b.countOnce && a.asOf === b.asOf;
}

export function discountCounts(discount: Discount, policy: DiscountPolicy): boolean {
  if (discount.end !== null && discount.end <= policy.asOf) return false;
  switch (discount.coupon.duration) {
    case 'forever':
      return true;
    case 'repeating':
      return policy.countRepeating;
    case 'once':
      return policy.countOnce;
  }
}

export function couponAppliesTo(coupon: Coupon, productId: string): boolean {
  return coupon.appliesToProducts === null || coupon.appliesToProducts.includes(productId);
}

/** What remains of an amount after a percentage off: 12.5 % off 200 leaves 175. */
export function afterPercentOff(amount: Rational, percentOff: Rational): Rational {
  return amount.times(Rational.ONE.minus(percentOff.dividedBy(100))).max(Rational.ZERO);
}

/**
 * Takes a fixed amount off a group of amounts, split in proportion to their size, never
 * taking more than the group holds (nothing goes below zero).
 */
export function spreadAmountOff(amounts: readonly Rational[], amountOff: Rational): Rational[] {
  let total = Rational.ZERO;
  for (const amount of amounts) total = total.plus(amount);
  if (!total.isPositive()) return [...amounts];
  const taken = amountOff.min(total);
  return amounts.map((amount) => amount.minus(taken.times(amount).dividedBy(total)));
}
