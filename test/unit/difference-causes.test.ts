import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/money/rational.js';
import type { Coupon, Discount, Price, Subscription, SubscriptionItem } from '../../src/billing/model.js';
import { evaluateSubscription } from '../../src/rules/subscription-mrr.js';
import { differenceSteps, stripeCountsSubscription } from '../../src/rules/difference-causes.js';
import type { DiscountPolicy } from '../../src/rules/discounts.js';

const NOW = 1_800_000_000;
const HANDBOOK: DiscountPolicy = { countRepeating: false, countOnce: false, asOf: NOW };
const STRIPE_ALL: DiscountPolicy = { countRepeating: true, countOnce: true, asOf: NOW };

function monthly(productId: string, unitAmount: number): Price {
  return {
    id: `price_${productId}`,
    productId,
    currency: 'usd',
    active: true,
    recurrence: { interval: 'month', intervalCount: 1, usageType: 'licensed' },
    scheme: { kind: 'per_unit', unitAmount: Rational.of(unitAmount), transformQuantity: null },
    currencyOptions: new Map(),
  };
}
function couponOf(id: string, duration: Coupon['duration'], off: { percent?: string; usd?: number }): Coupon {
  return {
    id,
    name: null,
    percentOff: off.percent ? Rational.parseDecimal(off.percent) : null,
    amountOff: new Map(off.usd === undefined ? [] : [['usd', BigInt(off.usd)]]),
    duration,
    durationInMonths: duration === 'repeating' ? 3 : null,
    appliesToProducts: null,
    restrictionKnown: true,
  };
}
const discountOf = (coupon: Coupon): Discount => ({ id: `di_${coupon.id}`, coupon, end: null });
const item = (price: Price, discounts: Discount[] = []): SubscriptionItem => ({ id: `si_${price.productId}`, price, quantity: 1, discounts });
function sub(items: SubscriptionItem[], discounts: Discount[], setToEnd: Partial<Pick<Subscription, 'cancelAtPeriodEnd' | 'cancelAt'>> = {}): Subscription {
  return { id: 'sub_1', customerId: 'cus_1', status: 'active', currency: 'usd', created: NOW - 1000, cancelAtPeriodEnd: false, cancelAt: null, items, discounts, ...setToEnd };
}

const REPEATING = couponOf('R10', 'repeating', { percent: '10' });
const FOREVER = couponOf('F4000', 'forever', { usd: 4000 });
const ONCE = couponOf('O50', 'once', { percent: '50' });
/** Item A (a list-price tier) 30000; item B (a billed tier) 10000 with R10 on the item; F4000 and O50 on the subscription. */
const mixed = () => sub([item(monthly('prod_A', 30000)), item(monthly('prod_B', 10000), [discountOf(REPEATING)])], [discountOf(FOREVER), discountOf(ONCE)]);
const steps = (subscription: Subscription, churn: 'at_cancellation' | 'at_period_end' = 'at_period_end') =>
  differenceSteps(evaluateSubscription(subscription, HANDBOOK, STRIPE_ALL), ['list-price', 'billed'], HANDBOOK, { discounts: STRIPE_ALL, churn }).map((itemSteps) =>
    itemSteps.map((step) => [step.kind, step.coupon?.id ?? null, step.amount.toString()]),
  );

describe('differenceSteps: from Stripe amount to handbook amount, one coupon at a time', () => {
  it('walks each item along its own rule, charging each step to a coupon', () => {
    // Stripe (all three): B 10000 x 0.9 = 9000; F4000 over 30000 + 9000 = 39000: A 30000 - 40000/13 = 350000/13,
    // B 9000 - 12000/13 = 105000/13; O50 halves both: A 175000/13, B 52500/13.
    // A (list-price, target: no discount): R10 off -> B 10000, F4000 over 40000: A 27000, halved 13500: +13500 - 175000/13 = +500/13
    // (a coupon on B moves A through the amount-off split); F4000 off -> 15000: +1500; O50 off -> 30000: +15000.
    // B (billed, handbook: forever only): R10 off -> 4500: +4500 - 52500/13 = +6000/13; O50 off -> 9000: +4500. F4000 is on both sides.
    expect(steps(mixed())).toEqual([
      [
        ['coupon-ignored-by-list-price', 'R10', '500/13'],
        ['coupon-ignored-by-list-price', 'F4000', '1500'],
        ['coupon-ignored-by-list-price', 'O50', '15000'],
      ],
      [
        ['coupon-subtracted-by-stripe-only', 'R10', '6000/13'],
        ['coupon-subtracted-by-stripe-only', 'O50', '4500'],
      ],
    ]);
    // Telescoping: A 500/13 + 1500 + 15000 = 30000 - 175000/13; B 6000/13 + 4500 = 9000 - 52500/13.
  });

  it('a subscription set to end comes back first, at its Stripe amount, when churn is counted at cancellation', () => {
    const setToEnd = sub(mixed().items, mixed().discounts, { cancelAtPeriodEnd: true, cancelAt: NOW + 86_400 });
    const [first, second] = steps(setToEnd, 'at_cancellation');
    expect(first?.[0]).toEqual(['scheduled-to-end', null, '175000/13']);
    expect(second?.[0]).toEqual(['scheduled-to-end', null, '52500/13']);
    expect(first).toHaveLength(4);
    // At the period's end Stripe still counts it: no such step.
    expect(steps(setToEnd, 'at_period_end')[0]?.[0]?.[0]).toBe('coupon-ignored-by-list-price');
  });

  it('no steps where both sides agree', () => {
    const plain = sub([item(monthly('prod_B', 10000))], [discountOf(FOREVER)]);
    expect(differenceSteps(evaluateSubscription(plain, HANDBOOK), ['billed'], HANDBOOK, { discounts: HANDBOOK, churn: 'at_cancellation' })).toEqual([[]]);
  });
});

describe('stripeCountsSubscription', () => {
  it('at cancellation: not once cancel_at_period_end is set or a cancel_at is scheduled', () => {
    expect(stripeCountsSubscription(sub([], []), 'at_cancellation')).toBe(true);
    expect(stripeCountsSubscription(sub([], [], { cancelAtPeriodEnd: true, cancelAt: NOW + 10 }), 'at_cancellation')).toBe(false);
    expect(stripeCountsSubscription(sub([], [], { cancelAt: NOW + 10 }), 'at_cancellation')).toBe(false);
  });
  it('at the end of the billing period: until Stripe ends it', () => {
    expect(stripeCountsSubscription(sub([], [], { cancelAtPeriodEnd: true, cancelAt: NOW + 10 }), 'at_period_end')).toBe(true);
  });
});
