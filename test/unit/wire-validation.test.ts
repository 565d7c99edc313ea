import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { DataSourceError } from '../../src/errors.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { mapCoupon, mapPrice, mapSubscription } from '../../src/sources/stripe/map.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import type { StripeAccountFile, WirePrice } from '../../src/sources/stripe/wire.js';
import { account, coupon, discount, price, product, subscription } from '../support/account-builder.js';

const platform = product('FlowFuse Pro Platform - Cloud');
const tiers = [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }];

function withPrice(changes: Record<string, unknown>): WirePrice {
  return { ...price(platform, { unitAmount: 42500 }), ...changes } as WirePrice;
}

/** The data error a mapping raises, as the user reads it. */
function failure(map: () => unknown): string {
  try {
    map();
  } catch (error) {
    expect(error).toBeInstanceOf(DataSourceError);
    return (error as Error).message;
  }
  throw new Error('expected a data error');
}

async function mrrOf(data: StripeAccountFile) {
  const source = new WireBillingSource(new AccountFileReader(data), 'test account', data.as_of);
  return JSON.parse(renderRevenueJson(await computeRevenue(source, parseConfig({ tiers }, 'test'), { measure: 'mrr', explain: false, now: new Date(0) })));
}

describe('impossible price values are data errors naming the price and field', () => {
  it.each([
    [{ unit_amount: -2000, unit_amount_decimal: null }, 'unit_amount: must not be negative'],
    [{ unit_amount_decimal: '-2000' }, 'unit_amount_decimal: must be a non-negative decimal string with at most 12 decimal places, got "-2000"'],
    [{ unit_amount_decimal: '12.3.4' }, 'unit_amount_decimal: must be a non-negative decimal string with at most 12 decimal places, got "12.3.4"'],
    [{ unit_amount_decimal: '0.0000000000001' }, 'unit_amount_decimal: must be a non-negative decimal string with at most 12 decimal places, got "0.0000000000001"'],
    [{ unit_amount: 12.5, unit_amount_decimal: null }, 'unit_amount: must be a whole number of minor units'],
    [{ currency: 'euro' }, 'currency: must be a three-letter currency code'],
    [{ recurring: { interval: 'month', interval_count: 0, usage_type: 'licensed' } }, 'recurring.interval_count: must be positive'],
    [{ recurring: { interval: 'month', interval_count: 37, usage_type: 'licensed' } }, 'recurring.interval_count: must not make a billing period longer than three years'],
    [{ transform_quantity: { divide_by: 0, round: 'up' } }, 'transform_quantity.divide_by: must be positive'],
  ])('%j', (changes, problem) => {
    const wire = withPrice(changes);
    expect(failure(() => mapPrice(wire))).toBe(`price ${wire.id} has an impossible value: ${problem}`);
  });

  it('checks tiers: positive, ascending, only the last open-ended, amounts in range', () => {
    const tiered = (list: unknown[]) => withPrice({ billing_scheme: 'tiered', tiers_mode: 'graduated', unit_amount: null, unit_amount_decimal: null, tiers: list });
    const tier = (up_to: number | null, unit_amount = 100) => ({ up_to, unit_amount, unit_amount_decimal: null, flat_amount: null, flat_amount_decimal: null });
    expect(failure(() => mapPrice(tiered([tier(5), tier(5), tier(null)])))).toMatch(/tiers\[1\]\.up_to: must be greater than the tier before \(5\)$/);
    expect(failure(() => mapPrice(tiered([tier(5), tier(10)])))).toMatch(/tiers\[1\]\.up_to: the last tier must be open-ended \(null\)$/);
    expect(failure(() => mapPrice(tiered([tier(null), tier(null)])))).toMatch(/tiers\[0\]\.up_to: only the last tier may be open-ended \(null\)$/);
    expect(failure(() => mapPrice(tiered([tier(0), tier(null)])))).toMatch(/tiers\[0\]\.up_to: must be positive$/);
    expect(failure(() => mapPrice(tiered([tier(5, -1), tier(null)])))).toMatch(/tiers\[0\]\.unit_amount: must not be negative$/);
    expect(() => mapPrice(tiered([tier(5), tier(null)]))).not.toThrow();
  });

  it('checks the amounts of each currency option', () => {
    const wire = withPrice({ currency_options: { usd: { unit_amount: 42500, unit_amount_decimal: '42500' }, eur: { unit_amount: -1, unit_amount_decimal: null } } });
    expect(failure(() => mapPrice(wire))).toBe(`price ${wire.id} has an impossible value: currency_options.eur.unit_amount: must not be negative`);
  });

  it('accepts what Stripe sends: 12 decimal places, Stripe.Decimal objects, three years of months', () => {
    // 0.000000000001 cents: the smallest step Stripe allows (12 decimal places).
    expect(mapPrice(withPrice({ unit_amount_decimal: '0.000000000001' })).scheme).toMatchObject({ kind: 'per_unit' });
    // Through the SDK a decimal is an object whose text is the decimal.
    const decimal = { toString: () => '12.5' };
    const mapped = mapPrice(withPrice({ unit_amount_decimal: decimal }));
    expect(mapped.scheme.kind === 'per_unit' && mapped.scheme.unitAmount.toString()).toBe('25/2');
    expect(() => mapPrice(withPrice({ recurring: { interval: 'month', interval_count: 36, usage_type: 'licensed' } }))).not.toThrow();
  });
});

describe('impossible coupon values are data errors naming the coupon and field', () => {
  it.each([
    [{ percentOff: 250 }, {}, 'percent_off: must be at most 100'],
    [{ percentOff: 0 }, {}, 'percent_off: must be above 0'],
    [{ percentOff: 20 }, { percent_off: 'twenty' }, 'percent_off: must be a number'],
    [{ amountOff: 5000 }, { amount_off: -5000 }, 'amount_off: must not be negative'],
    [{ amountOff: 5000 }, { currency_options: { eur: { amount_off: -4500 } } }, 'currency_options.eur.amount_off: must not be negative'],
    [{ percentOff: 20, duration: 'repeating' as const }, { duration_in_months: null }, 'duration_in_months: a repeating coupon needs its number of months'],
    [{ percentOff: 20, duration: 'repeating' as const }, { duration_in_months: 0 }, 'duration_in_months: must be positive'],
  ])('%j %j', (spec, changes, problem) => {
    const wire = { ...coupon(spec), ...changes } as ReturnType<typeof coupon>;
    expect(failure(() => mapCoupon(wire))).toBe(`coupon ${wire.id} has an impossible value: ${problem}`);
  });
});

describe('impossible subscription values', () => {
  const monthly = price(platform, { unitAmount: 42500 });
  const catalog = { prices: new Map([[monthly.id, mapPrice(monthly)]]), priceListings: [], coupons: new Map() };

  it.each([
    [-1, 'must not be negative'],
    [2.5, 'must be a whole number'],
    [1e15, 'must be at most 1000000000000'],
  ])('quantity %d', (quantity, problem) => {
    const wire = subscription({ items: [{ price: monthly, quantity }] });
    const item = wire.items.data[0]!;
    expect(failure(() => mapSubscription(wire, wire.items.data, catalog))).toBe(`subscription ${wire.id}, item ${item.id} has an impossible value: quantity: ${problem}`);
  });

  it('accepts an item without a quantity (metered), left out or null', () => {
    const wire = subscription({ items: [{ price: monthly, quantity: null }] });
    expect(mapSubscription(wire, wire.items.data, catalog).items[0]?.quantity).toBeNull();
    const withNull = { ...wire, items: { ...wire.items, data: [{ ...wire.items.data[0]!, quantity: null as unknown as number }] } };
    expect(mapSubscription(withNull, withNull.items.data, catalog).items[0]?.quantity).toBeNull();
  });

  it('names the subscription currency', () => {
    const wire = subscription({ currency: 'us dollar', items: [{ price: monthly }] });
    expect(failure(() => mapSubscription(wire, wire.items.data, catalog))).toBe(`subscription ${wire.id} has an impossible value: currency: must be a three-letter currency code`);
  });
});

describe('prices and coupons are valued only when a counted subscription uses them', () => {
  const used = price(platform, { unitAmount: 42500 });
  const other = product('Something kpi does not count');
  const broken = { ...price(other, { unitAmount: 100 }), unit_amount_decimal: '12.3.4' } as WirePrice;
  const brokenCoupon = { ...coupon({ percentOff: 20 }), percent_off: 250 } as ReturnType<typeof coupon>;

  it('an unrelated broken price or coupon does not stop the run', async () => {
    const data = account({ products: [platform, other], prices: [used, broken], coupons: [brokenCoupon], subscriptions: [subscription({ items: [{ price: used, quantity: 2 }] })] });
    // 2 x 42500 = 85000
    expect((await mrrOf(data)).mrr).toBe(85_000);
  });

  it('a broken price a subscription uses names the subscription, item, price and field', async () => {
    const using = subscription({ items: [{ price: broken }] });
    const data = account({ products: [platform, other], prices: [used, broken], subscriptions: [using] });
    await expect(mrrOf(data)).rejects.toThrow(
      `subscription ${using.id}, item ${using.items.data[0]!.id}: price ${broken.id} has an impossible value: unit_amount_decimal: must be a non-negative decimal string with at most 12 decimal places, got "12.3.4"`,
    );
  });

  it('a broken coupon a subscription uses names the subscription and coupon', async () => {
    const using = subscription({ items: [{ price: used }], discounts: [discount(brokenCoupon)] });
    const data = account({ products: [platform], prices: [used], coupons: [brokenCoupon], subscriptions: [using] });
    await expect(mrrOf(data)).rejects.toThrow(`subscription ${using.id}: coupon ${brokenCoupon.id} has an impossible value: percent_off: must be at most 100`);
  });
});

describe('totals kpi could not report exactly', () => {
  it('a quantity that takes a total past 2^53 minor units is a data error naming the subscription, not a crash in the JSON', async () => {
    const monthly = price(platform, { unitAmount: 42500 });
    // 1e12 x 42500 = 4.25e16 minor units > 2^53 - 1 = 9007199254740991
    const huge = subscription({ items: [{ price: monthly, quantity: 1e12 }] });
    const data = account({ products: [platform], prices: [monthly], subscriptions: [huge] });
    await expect(mrrOf(data)).rejects.toThrow(DataSourceError);
    await expect(mrrOf(data)).rejects.toThrow(`subscription ${huge.id} cannot be valued: it takes the USD total past 9007199254740991 minor units`);
  });
});
