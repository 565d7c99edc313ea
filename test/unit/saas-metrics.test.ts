import { describe, expect, it } from 'vitest';
import { computeMovements, MOVEMENT_KINDS, type CustomerMrr, type GroupMovements } from '../../src/history/movements.js';
import {
  asOneGroup,
  compoundWeeklyGrowth,
  MERGED_GROUP,
  ratioDecimal,
  saasMetrics,
  scopeHoldings,
  type SaasMetrics,
  type ScopeMovements,
} from '../../src/history/saas-metrics.js';
import { decimalString, percentText, Rational } from '../../src/money/rational.js';
import { formatRatio } from '../../src/render/saas-metrics.js';

const DAY = 24 * 3600;
const FOUR_WEEKS = 28 * DAY;

const row = (customerId: string, amount: number, group = 0, currency = 'usd', subscriptionId = `sub_${customerId}`): CustomerMrr => ({
  customerId,
  subscriptionId,
  group,
  currency,
  amount: Rational.of(amount),
});

/** Whole minor units in these tests, so the movements need no rounding. */
function asScope(group: GroupMovements): ScopeMovements {
  return {
    start: group.start.roundHalfUp(),
    end: group.end.roundHalfUp(),
    parts: Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, group.parts[kind].amount.roundHalfUp()])) as ScopeMovements['parts'],
  };
}

/** Metrics of one group and currency, the way `kpi metrics` makes them: movements and holdings from the same rows. */
function metricsOf(start: CustomerMrr[], end: CustomerMrr[], options: { group?: number; currency?: string; paidBefore?: string[]; seconds?: number } = {}): SaasMetrics {
  const { group = 0, currency = 'usd', paidBefore = [], seconds = FOUR_WEEKS } = options;
  const movements = computeMovements(start, end, (customer) => paidBefore.includes(customer)).find((entry) => entry.group === group && entry.currency === currency);
  if (!movements) throw new Error(`no group ${group} ${currency}`);
  const holdings = scopeHoldings(start, end, (entry) => entry.group === group && entry.currency === currency);
  return saasMetrics(asScope(movements), holdings, seconds);
}

const values = (metrics: SaasMetrics) => ({
  logoChurn: ratioDecimal(metrics.logoChurn),
  grossRevenueChurn: ratioDecimal(metrics.grossRevenueChurn),
  netRevenueChurn: ratioDecimal(metrics.netRevenueChurn),
  grr: ratioDecimal(metrics.grossRevenueRetention),
  nrr: ratioDecimal(metrics.netRevenueRetention),
  quickRatio: ratioDecimal(metrics.quickRatio),
  growth: ratioDecimal(metrics.growth),
  weekly: metrics.weeklyGrowth.value,
});

describe('SaaS metrics', () => {
  it('works out every metric of a small book by hand', () => {
    // Start: a 100.00, b 50.00, c 50.00 -> 3 customers, 200.00.
    const start = [row('a', 10000), row('b', 5000), row('c', 5000)];
    // End: a +20.00 (expansion), b -10.00 (contraction), c gone (churn -50.00),
    // d 30.00 (new), e 10.00 (paid before: reactivation) -> 4 customers, 200.00.
    const end = [row('a', 12000), row('b', 4000), row('d', 3000), row('e', 1000)];
    const metrics = metricsOf(start, end, { paidBefore: ['e'] });
    expect(metrics.customers).toEqual({ start: 3, end: 4, new: 2, churned: 1 });
    expect(metrics.subscriptions).toEqual({ start: 3, end: 4 });
    // ARPA: 20000 / 3 = 6666.67 -> 6667 when shown; 20000 / 4 = 5000.
    expect(metrics.arpa.start).toEqual({ numerator: 20000n, denominator: 3n });
    expect(metrics.arpa.end).toEqual({ numerator: 20000n, denominator: 4n });
    expect(values(metrics)).toEqual({
      logoChurn: '0.3333', // 1 / 3
      grossRevenueChurn: '0.3000', // (5000 + 1000) / 20000
      netRevenueChurn: '0.1500', // (6000 - 2000 expansion - 1000 reactivation) / 20000
      grr: '0.7000', // (min(12000, 10000) + min(4000, 5000) + 0) / 20000 = 14000 / 20000
      nrr: '0.8000', // (12000 + 4000 + 0) / 20000; d and e were not paying at the start
      quickRatio: '1.0000', // (3000 new + 2000 expansion + 1000 reactivation) / 6000 lost
      growth: '0.0000', // (20000 - 20000) / 20000
      weekly: '0.0000', // 1^(1/4) - 1
    });
    expect(metrics.grossRevenueRetention).toEqual({ numerator: 14000n, denominator: 20000n });
    expect(metrics.netRevenueChurn).toEqual({ numerator: 3000n, denominator: 20000n });
  });

  it('has no ratios over an empty start: no customers at the start', () => {
    const metrics = metricsOf([], [row('d', 3000)]);
    expect(metrics.customers).toEqual({ start: 0, end: 1, new: 1, churned: 0 });
    expect(metrics.arpa.start).toEqual({ numerator: 0n, denominator: 0n });
    expect(values(metrics)).toEqual({
      logoChurn: null,
      grossRevenueChurn: null,
      netRevenueChurn: null,
      grr: null,
      nrr: null,
      quickRatio: null, // nothing lost
      growth: null,
      weekly: null,
    });
    expect(formatRatio(metrics.quickRatio, 'times')).toBe('n/a');
  });

  it('shows the quick ratio as n/a when nothing was lost, and the other ratios still', () => {
    // a 100.00 -> 150.00 (expansion +50.00); b new 50.00.
    const metrics = metricsOf([row('a', 10000)], [row('a', 15000), row('b', 5000)]);
    expect(metrics.quickRatio).toEqual({ numerator: 10000n, denominator: 0n });
    expect(ratioDecimal(metrics.quickRatio)).toBeNull();
    expect(formatRatio(metrics.quickRatio, 'times')).toBe('n/a');
    // NRR 15000 / 10000 = 150 %; GRR capped at the start: 10000 / 10000; growth 10000 / 10000.
    expect(formatRatio(metrics.netRevenueRetention, 'percent')).toBe('150.00 %');
    expect(formatRatio(metrics.grossRevenueRetention, 'percent')).toBe('100.00 %');
    expect(formatRatio(metrics.growth, 'percent')).toBe('100.00 %');
  });

  it('counts a customer moving between tiers as churned from one and new in the other, and netted in the total', () => {
    // x pays 50.00 in tier 0 at the start and 80.00 in tier 1 at the end, same subscription.
    const start = [row('x', 5000, 0), row('y', 5000, 0)];
    const end = [row('x', 8000, 1), row('y', 5000, 0)];
    const tier0 = metricsOf(start, end, { group: 0 });
    expect(tier0.customers).toEqual({ start: 2, end: 1, new: 0, churned: 1 });
    // Still counted at the end, so a contraction of tier 0 (-5000), not churn: 5000 / 10000.
    expect(values(tier0)).toMatchObject({ logoChurn: '0.5000', grossRevenueChurn: '0.5000', nrr: '0.5000', quickRatio: '0.0000' });
    const tier1 = metricsOf(start, end, { group: 1 });
    expect(tier1.customers).toEqual({ start: 0, end: 1, new: 1, churned: 0 });

    // The total values both tiers as one: x's subscription went from 5000 to 8000 (expansion +3000).
    const merged = (rows: CustomerMrr[]) => asOneGroup(rows, (group) => group === 0 || group === 1);
    const total = metricsOf(merged(start), merged(end), { group: MERGED_GROUP });
    expect(total.customers).toEqual({ start: 2, end: 2, new: 0, churned: 0 });
    expect(values(total)).toMatchObject({
      logoChurn: '0.0000',
      grossRevenueChurn: '0.0000',
      grr: '1.0000', // min(8000, 5000) + 5000 = 10000 / 10000
      nrr: '1.3000', // (8000 + 5000) / 10000
      quickRatio: null,
      growth: '0.3000', // 3000 / 10000
    });
  });

  it('counts a win-back as a new customer of the period but keeps it out of the cohort', () => {
    // w paid before the start, not at it; pays 40.00 at the end. v stays at 60.00.
    const metrics = metricsOf([row('v', 6000)], [row('v', 6000), row('w', 4000)], { paidBefore: ['w'] });
    expect(metrics.customers).toEqual({ start: 1, end: 2, new: 1, churned: 0 });
    // Net revenue churn (0 - 0 - 4000 reactivation) / 6000 = -0.6667: negative churn.
    expect(values(metrics)).toMatchObject({ netRevenueChurn: '-0.6667', nrr: '1.0000', grr: '1.0000', growth: '0.6667' });
  });

  it('gives a currency with no activity its steady figures', () => {
    const start = [row('u', 10000), row('e', 1900, 0, 'eur')];
    const end = [row('u', 12000), row('e', 1900, 0, 'eur')];
    const euro = metricsOf(start, end, { currency: 'eur' });
    expect(euro.customers).toEqual({ start: 1, end: 1, new: 0, churned: 0 });
    expect(values(euro)).toEqual({
      logoChurn: '0.0000',
      grossRevenueChurn: '0.0000',
      netRevenueChurn: '0.0000',
      grr: '1.0000',
      nrr: '1.0000',
      quickRatio: null,
      growth: '0.0000',
      weekly: '0.0000',
    });
  });

  it('counts a customer once however many subscriptions it holds, and a subscription only while it pays', () => {
    const start = [row('m', 1000, 0, 'usd', 'sub_1'), row('m', 2000, 0, 'usd', 'sub_2'), row('z', 0)];
    const end = [row('m', 3000, 0, 'usd', 'sub_1')];
    const metrics = metricsOf(start, end);
    expect(metrics.customers).toEqual({ start: 1, end: 1, new: 0, churned: 0 });
    expect(metrics.subscriptions).toEqual({ start: 2, end: 1 });
  });
});

describe('compound weekly growth', () => {
  it('is the steady weekly rate that compounds to the period', () => {
    // 100.00 -> 121.00 over two weeks: 1.21^(1/2) - 1 = 0.1.
    expect(compoundWeeklyGrowth(10000n, 12100n, Rational.of(2)).value).toBe('0.1000');
    // 100.00 -> 81.00 over two weeks: 0.81^(1/2) - 1 = -0.1.
    expect(compoundWeeklyGrowth(10000n, 8100n, Rational.of(2)).value).toBe('-0.1000');
  });

  it('is n/a under two weeks and from no MRR', () => {
    expect(compoundWeeklyGrowth(10000n, 12100n, Rational.of(13, 7)).value).toBeNull();
    expect(compoundWeeklyGrowth(0n, 12100n, Rational.of(4)).value).toBeNull();
  });
});

describe('decimal strings', () => {
  it('rounds half away from zero, with the sign kept', () => {
    expect(decimalString(Rational.of(1, 3), 4)).toBe('0.3333');
    expect(decimalString(Rational.of(2, 3), 4)).toBe('0.6667');
    expect(decimalString(Rational.of(-1, 20000), 4)).toBe('-0.0001'); // -0.00005 -> -0.0001
    expect(decimalString(Rational.of(-1, 30000), 4)).toBe('0.0000');
    expect(decimalString(Rational.of(3), 2)).toBe('3.00');
    expect(decimalString(Rational.of(7, 2), 0)).toBe('4'); // 3.5 -> 4
  });

  it("writes a coupon's percent off to the hundredth without trailing zeros", () => {
    expect(['12.5', '10', '100', '0.5', '33.33', '12.05'].map((text) => percentText(Rational.parseDecimal(text)))).toEqual(['12.5', '10', '100', '0.5', '33.33', '12.05']);
  });
});
