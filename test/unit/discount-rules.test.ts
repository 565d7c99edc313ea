import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/money/rational.js';
import type { Coupon, Discount, Price, Subscription, SubscriptionItem } from '../../src/billing/model.js';
import { evaluateSubscription } from '../../src/rules/subscription-mrr.js';
import type { DiscountPolicy } from '../../src/rules/discounts.js';

const NOW = 1_800_000_000;
const DEFAULT_POLICY: DiscountPolicy = { countRepeating: false, countOnce: false, asOf: NOW };

function monthly(productId: string, unitAmount: number, interval: 'month' | 'year' = 'month', currency = 'usd'): Price {
  return {
    id: `price_${productId}_${unitAmount}_${interval}`,
    productId,
    currency,
    active: true,
    recurrence: { interval, intervalCount: 1, usageType: 'licensed' },
    scheme: { kind: 'per_unit', unitAmount: Rational.of(unitAmount), transformQuantity: null },
    currencyOptions: new Map(),
  };
}

let counter = 0;
function couponOf(spec: Partial<Omit<Coupon, 'percentOff' | 'amountOff'>> & { percentOff?: string; amountOff?: Record<string, number> }): Coupon {
  return {
    id: spec.id ?? `co_${++counter}`,
    name: null,
    percentOff: spec.percentOff ? Rational.parseDecimal(spec.percentOff) : null,
    amountOff: new Map(Object.entries(spec.amountOff ?? {}).map(([code, amount]) => [code, BigInt(amount)])),
    duration: spec.duration ?? 'forever',
    durationInMonths: null,
    appliesToProducts: spec.appliesToProducts ?? null,
    restrictionKnown: spec.restrictionKnown ?? true,
  };
}
const discountOf = (coupon: Coupon, end: number | null = null): Discount => ({ id: `di_${++counter}`, coupon, end });
const item = (price: Price, quantity: number | null = 1, discounts: Discount[] = []): SubscriptionItem => ({
  id: `si_${++counter}`,
  price,
  quantity,
  discounts,
});
function sub(items: SubscriptionItem[], discounts: Discount[] = [], currency = 'usd'): Subscription {
  return { id: `sub_${++counter}`, customerId: 'cus_1', status: 'active', currency, created: NOW - 1000, cancelAtPeriodEnd: false, cancelAt: null, items, discounts };
}
const billed = (subscription: Subscription, policy = DEFAULT_POLICY) =>
  evaluateSubscription(subscription, policy).items.map((entry) => entry.billed.toString());

describe("Stripe's MRR (rule billed)", () => {
  it('multiplies by percent_off and keeps the list price apart', () => {
    // 42500 x (1 - 0.125) = 37187.5
    const result = evaluateSubscription(sub([item(monthly('prod_pro', 42500))], [discountOf(couponOf({ percentOff: '12.5' }))]), DEFAULT_POLICY);
    expect(result.items[0]?.billed.toString()).toBe('74375/2');
    expect(result.items[0]?.listPrice.toString()).toBe('42500');
  });

  it('counts forever coupons only, unless the policy counts repeating and once', () => {
    const subscription = sub(
      [item(monthly('prod_pro', 10000))],
      [discountOf(couponOf({ percentOff: '50', duration: 'repeating' })), discountOf(couponOf({ percentOff: '10', duration: 'once' }))],
    );
    expect(billed(subscription)).toEqual(['10000']);
    // 10000 x 0.5 = 5000
    expect(billed(subscription, { ...DEFAULT_POLICY, countRepeating: true })).toEqual(['5000']);
    // 10000 x 0.5 x 0.9 = 4500
    expect(billed(subscription, { ...DEFAULT_POLICY, countRepeating: true, countOnce: true })).toEqual(['4500']);
  });

  it('ignores discounts that ended', () => {
    const subscription = sub([item(monthly('prod_pro', 10000))], [discountOf(couponOf({ percentOff: '50' }), NOW - 1)]);
    expect(billed(subscription)).toEqual(['10000']);
  });

  it('spreads amount_off over the items in proportion to their amounts', () => {
    // 3000 off 9000 + 3000 = 12000: 9000 - 3000 x 9000/12000 = 6750, 3000 - 750 = 2250
    const subscription = sub([item(monthly('prod_a', 9000)), item(monthly('prod_b', 1000), 3)], [discountOf(couponOf({ amountOff: { usd: 3000 } }))]);
    expect(billed(subscription)).toEqual(['6750', '2250']);
  });

  it('normalises amount_off like the price: 12000 off a yearly price is 1000 a month', () => {
    // (60000 - 12000) / 12 = 4000
    const subscription = sub([item(monthly('prod_pro', 60000, 'year'))], [discountOf(couponOf({ amountOff: { usd: 12000 } }))]);
    expect(billed(subscription)).toEqual(['4000']);
  });

  it('never goes below zero', () => {
    const subscription = sub([item(monthly('prod_a', 2000)), item(monthly('prod_b', 1000))], [discountOf(couponOf({ amountOff: { usd: 5000 } }))]);
    expect(billed(subscription)).toEqual(['0', '0']);
    const itemLevel = sub([item(monthly('prod_a', 2000), 1, [discountOf(couponOf({ amountOff: { usd: 9000 } }))])]);
    expect(billed(itemLevel)).toEqual(['0']);
  });

  it('limits a coupon to applies_to.products', () => {
    // 50 % off prod_a only: 5000 and 4000 untouched
    const subscription = sub(
      [item(monthly('prod_a', 10000)), item(monthly('prod_b', 4000))],
      [discountOf(couponOf({ percentOff: '50', appliesToProducts: ['prod_a'] }))],
    );
    expect(billed(subscription)).toEqual(['5000', '4000']);
  });

  it('applies item-level discounts before subscription-level ones', () => {
    // item: 10000 - 2000 = 8000; then 1000 off spread over 8000 and 2000: 8000 - 800 = 7200, 2000 - 200 = 1800.
    // (Subscription-level first would give 10000 - 833.33 - 2000 = 7166.67.)
    const subscription = sub(
      [item(monthly('prod_a', 10000), 1, [discountOf(couponOf({ amountOff: { usd: 2000 } }))]), item(monthly('prod_b', 2000))],
      [discountOf(couponOf({ amountOff: { usd: 1000 } }))],
    );
    expect(billed(subscription)).toEqual(['7200', '1800']);
  });

  it('takes amount_off only in the subscription currency (or a currency option)', () => {
    const usdOnly = couponOf({ id: 'USD10', amountOff: { usd: 1000 } });
    const result = evaluateSubscription(sub([item(monthly('prod_a', 9000, 'month', 'eur'))], [discountOf(usdOnly)], 'eur'), DEFAULT_POLICY);
    expect(result.items.map((entry) => entry.billed.toString())).toEqual(['9000']);
    expect(result.warnings).toEqual([{ kind: 'amount-off-currency', couponId: 'USD10', subscriptionId: expect.any(String), currency: 'eur' }]);

    const withOption = couponOf({ amountOff: { usd: 1000, eur: 900 } });
    expect(billed(sub([item(monthly('prod_a', 9000, 'month', 'eur'))], [discountOf(withOption)], 'eur'))).toEqual(['8100']);
  });

  it('leaves metered items out and counts them', () => {
    const metered: Price = { ...monthly('prod_usage', 2), id: 'price_metered', recurrence: { interval: 'month', intervalCount: 1, usageType: 'metered' } };
    const result = evaluateSubscription(sub([item(monthly('prod_a', 5000)), item(metered, null)]), DEFAULT_POLICY);
    expect(result.items).toHaveLength(1);
    expect(result.meteredItems).toHaveLength(1);
  });

  it('warns when a deleted coupon hides its product restriction', () => {
    const deleted = couponOf({ id: 'GONE10', percentOff: '10', restrictionKnown: false });
    const result = evaluateSubscription(sub([item(monthly('prod_a', 5000))], [discountOf(deleted)]), DEFAULT_POLICY);
    expect(result.items[0]?.billed.toString()).toBe('4500');
    expect(result.warnings.map((warning) => warning.kind)).toEqual(['restriction-unknown']);
  });
});
