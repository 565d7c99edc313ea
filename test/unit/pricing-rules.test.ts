import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/money/rational.js';
import type { Price, PriceScheme, Recurrence } from '../../src/billing/model.js';
import { amountPerPeriod } from '../../src/rules/item-amount.js';
import { monthlyFactor } from '../../src/rules/monthly.js';

function priceWith(scheme: PriceScheme, recurrence: Recurrence | null = { interval: 'month', intervalCount: 1, usageType: 'licensed' }): Price {
  return { id: 'price_test', productId: 'prod_test', currency: 'usd', active: true, recurrence, scheme, currencyOptions: new Map() };
}
const perUnit = (unitAmount: string, transformQuantity: { divideBy: number; round: 'up' | 'down' } | null = null) =>
  priceWith({ kind: 'per_unit', unitAmount: Rational.parseDecimal(unitAmount), transformQuantity });
const tiers = (mode: 'graduated' | 'volume') =>
  priceWith({
    kind: 'tiered',
    mode,
    tiers: [
      { upTo: 5, unitAmount: Rational.of(1000), flatAmount: Rational.of(200) },
      { upTo: 10, unitAmount: Rational.of(800), flatAmount: Rational.of(100) },
      { upTo: null, unitAmount: Rational.parseDecimal('500.5'), flatAmount: Rational.ZERO },
    ],
  });

describe('monthly normalisation', () => {
  it.each([
    ['month', 1, '1'],
    ['month', 3, '1/3'], // quarterly: a third each month
    ['year', 1, '1/12'],
    ['year', 2, '1/24'],
    ['week', 1, '13/3'], // 52 / 12
    ['week', 2, '13/6'], // 52 / 24
    ['day', 1, '365/12'],
    ['day', 5, '73/12'], // 365 / 60
  ] as const)('%s x %i -> %s', (interval, intervalCount, factor) => {
    expect(monthlyFactor({ interval, intervalCount }).toString()).toBe(factor);
  });

  it('turns a yearly 467500 into 38958.33 a month', () => {
    expect(Rational.of(467500).times(monthlyFactor({ interval: 'year', intervalCount: 1 })).roundHalfUp()).toBe(38958n);
  });
});

describe('amount per billing period', () => {
  it('multiplies per-unit prices by quantity; no quantity means one', () => {
    expect(amountPerPeriod(perUnit('3500'), 3).toString()).toBe('10500');
    expect(amountPerPeriod(perUnit('3500'), null).toString()).toBe('3500');
    expect(amountPerPeriod(perUnit('3500'), 0).toString()).toBe('0');
  });

  it('keeps sub-cent unit amounts exact', () => {
    // 12.5 cents x 3 = 37.5 cents, not rounded until reported
    expect(amountPerPeriod(perUnit('12.5'), 3).toString()).toBe('75/2');
  });

  it('applies transform_quantity with its rounding', () => {
    // 25 devices in packs of 10: up -> 3 packs x 2500 = 7500, down -> 2 packs = 5000
    expect(amountPerPeriod(perUnit('2500', { divideBy: 10, round: 'up' }), 25).toString()).toBe('7500');
    expect(amountPerPeriod(perUnit('2500', { divideBy: 10, round: 'down' }), 25).toString()).toBe('5000');
    expect(amountPerPeriod(perUnit('2500', { divideBy: 10, round: 'up' }), 30).toString()).toBe('7500');
  });

  it('prices graduated tiers unit by unit with each reached tier\'s flat amount', () => {
    // 3 units: 3 x 1000 + 200 = 3200
    expect(amountPerPeriod(tiers('graduated'), 3).toString()).toBe('3200');
    // 7 units: (5 x 1000 + 200) + (2 x 800 + 100) = 6900
    expect(amountPerPeriod(tiers('graduated'), 7).toString()).toBe('6900');
    // 12 units: 5200 + (5 x 800 + 100) + 2 x 500.5 = 5200 + 4100 + 1001 = 10301
    expect(amountPerPeriod(tiers('graduated'), 12).toString()).toBe('10301');
  });

  it('prices every unit at the volume tier the quantity falls into', () => {
    // 5 units: 5 x 1000 + 200 = 5200 (the bound is inclusive)
    expect(amountPerPeriod(tiers('volume'), 5).toString()).toBe('5200');
    // 7 units: 7 x 800 + 100 = 5700
    expect(amountPerPeriod(tiers('volume'), 7).toString()).toBe('5700');
    // 11 units: 11 x 500.5 = 5505.5
    expect(amountPerPeriod(tiers('volume'), 11).toString()).toBe('11011/2');
  });
});
