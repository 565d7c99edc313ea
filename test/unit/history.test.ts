import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/money/rational.js';
import { apportion, computeMovements, type CustomerMrr } from '../../src/history/movements.js';
import { growthPercent, metTarget } from '../../src/history/growth.js';
import { lastWeeks, weekContaining, isoDate } from '../../src/history/weeks.js';

const row = (customerId: string, amount: number | string, group = 0, currency = 'usd', subscriptionId = `sub_${customerId}`): CustomerMrr => ({
  customerId,
  subscriptionId,
  group,
  currency,
  amount: typeof amount === 'string' ? Rational.parseDecimal(amount) : Rational.of(amount),
});

describe('MRR movements', () => {
  it('classifies each customer and the parts add up to the change', () => {
    const start = [row('steady', 2000), row('grows', 2000), row('shrinks', 42500), row('leaves', 1500), row('two-subs', 1000, 0, 'usd', 'sub_a')];
    const end = [
      row('steady', 2000),
      row('grows', 5000), // +3000 expansion
      row('shrinks', 40000), // -2500 contraction
      row('fresh', 2000), // +2000 new
      row('back', 2000), // +2000 reactivation (had ended before)
      row('two-subs', 1000, 0, 'usd', 'sub_a'),
      row('two-subs', 500, 0, 'usd', 'sub_b'), // +500 expansion: a second subscription of a paying customer
    ];
    const [group] = computeMovements(start, end, (customer) => customer === 'back');
    // start 2000 + 2000 + 42500 + 1500 + 1000 = 49000; end 2000 + 5000 + 40000 + 2000 + 2000 + 1500 = 52500
    expect(group!.start.toString()).toBe('49000');
    expect(group!.end.toString()).toBe('52500');
    const amounts = Object.fromEntries(Object.entries(group!.parts).map(([kind, part]) => [kind, part.amount.toString()]));
    expect(amounts).toEqual({ new: '2000', reactivation: '2000', expansion: '3500', contraction: '-2500', churn: '-1500' });
    // 2000 + 2000 + 3500 - 2500 - 1500 = 3500 = 52500 - 49000
    // Expansion: "grows" (+3000) and the second subscription of "two-subs" (+500).
    expect(group!.parts.expansion).toMatchObject({ customers: 2, subscriptions: 2 });
    expect(group!.parts.churn).toMatchObject({ customers: 1, subscriptions: 1 });
  });

  it('does not let a growing subscription hide a churned one of the same customer', () => {
    const start = [row('c', 50, 0, 'usd', 'sub_1'), row('c', 50, 0, 'usd', 'sub_2')];
    const end = [row('c', 120, 0, 'usd', 'sub_2')];
    const [group] = computeMovements(start, end, () => false);
    // sub_1 left the counted set: churn -50; sub_2 grew: expansion +70; 120 - 100 = +20
    expect(group!.parts.churn.amount.toString()).toBe('-50');
    expect(group!.parts.expansion.amount.toString()).toBe('70');
  });

  it('keeps tiers and currencies apart: a move between tiers is contraction in one, expansion in the other', () => {
    // The same subscription moves from Starter (group 0) to Pro (group 1); the customer had churned once before.
    const groups = computeMovements([row('upgrader', 2000, 0), row('euro', 1900, 1, 'eur')], [row('upgrader', 42500, 1), row('euro', 1900, 1, 'eur')], () => true);
    expect(groups.map((group) => [group.group, group.currency])).toEqual([
      [0, 'usd'],
      [1, 'eur'],
      [1, 'usd'],
    ]);
    expect(groups[0]!.parts.contraction.amount.toString()).toBe('-2000');
    expect(groups[0]!.parts.churn.amount.toString()).toBe('0');
    // A paying customer, so neither new nor reactivation.
    expect(groups[2]!.parts.expansion.amount.toString()).toBe('42500');
    expect(groups[2]!.parts.reactivation.amount.toString()).toBe('0');
    expect(groups[1]!.parts.expansion.customers).toBe(0);
  });

  it('apportions rounded parts so they add up to the rounded change', () => {
    // Exact parts 1/3 + 1/3 + 1/3 = 1; target 1: floors 0, 0, 0, then +1 to the first largest remainder.
    expect(apportion([Rational.of(1, 3), Rational.of(1, 3), Rational.of(1, 3)], 1n)).toEqual([1n, 0n, 0n]);
    // 2.6 - 1.2 = 1.4, but the ends rounded give 3 - 1 = 2: floors 2 and -2, shortfall 2 goes to the larger remainders.
    expect(apportion([Rational.parseDecimal('2.6'), Rational.parseDecimal('-1.2')], 2n)).toEqual([3n, -1n]);
    // Negative shortfall: parts 0.4 and 0.4 (exact 0.8), target 0 -> floors 0, 0 already.
    expect(apportion([Rational.parseDecimal('0.4'), Rational.parseDecimal('0.4')], 0n)).toEqual([0n, 0n]);
    expect(apportion([Rational.parseDecimal('-0.5'), Rational.parseDecimal('0.2')], -1n)).toEqual([-1n, 0n]);
  });
});

describe('weeks and growth', () => {
  it('uses ISO weeks, Monday to Sunday, in UTC', () => {
    // 2026-11-22 is a Sunday: its week started Monday 2026-11-16.
    const sunday = Date.UTC(2026, 10, 22, 23, 59) / 1000;
    expect(isoDate(weekContaining(sunday).start)).toBe('2026-11-16');
    expect(isoDate(weekContaining(Date.UTC(2026, 10, 16) / 1000).start)).toBe('2026-11-16');
    expect(isoDate(weekContaining(Date.UTC(2026, 10, 15, 23, 59, 59) / 1000).start)).toBe('2026-11-09');
    // Across a year end: 2027-01-01 is a Friday of the week starting 2026-12-28.
    expect(isoDate(weekContaining(Date.UTC(2027, 0, 1) / 1000).start)).toBe('2026-12-28');
    expect(lastWeeks(sunday, 3).map((week) => isoDate(week.start))).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
  });

  it('computes growth exactly and rounds to two decimals', () => {
    expect(growthPercent(100000n, 110000n)).toBe(10); // exactly 10 %
    expect(growthPercent(300000n, 310000n)).toBe(3.33); // 3.333... %
    expect(growthPercent(300000n, 290000n)).toBe(-3.33);
    expect(growthPercent(0n, 100n)).toBeNull();
    expect(growthPercent(null, 100n)).toBeNull();
    expect(metTarget(10, 10)).toBe(true);
    expect(metTarget(9.99, 10)).toBe(false);
    expect(metTarget(null, 10)).toBeNull();
  });
});
