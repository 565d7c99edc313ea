import { describe, expect, it } from 'vitest';
import { conversionFactor, missingRates, quotesUsed, rateOf, sameRates, type ExchangeRates } from '../../src/money/exchange-rates.js';
import { makeConverter } from '../../src/revenue/revenue-report.js';
import { Rational } from '../../src/money/rational.js';
import { ecbDateAt, ratesAtFor } from '../../src/app/reporting-rates.js';
import type { KpiConfig } from '../../src/config/schema.js';

const ecb = (currency: string, quoted: Record<string, string> = { usd: '1.0823', gbp: '0.8712', jpy: '162.45' }): ExchangeRates => ({ currency, source: 'ecb', date: '2026-11-13', quoted });

describe('exchange rates', () => {
  it('derives every cross rate through the euro, exactly', () => {
    // 1 GBP = 1.0823 / 0.8712 USD = 10823 / 8712 (no rounding anywhere).
    expect(rateOf(ecb('usd'), 'gbp')).toEqual(Rational.of(10823, 8712));
    // 1 EUR = 1.0823 USD, and 1 USD = 1 / 1.0823 EUR = 10000 / 10823.
    expect(rateOf(ecb('usd'), 'eur')).toEqual(Rational.parseDecimal('1.0823'));
    expect(rateOf(ecb('eur'), 'usd')).toEqual(Rational.of(10000, 10823));
    expect(rateOf(ecb('usd'), 'usd')).toEqual(Rational.ONE);
    expect(rateOf(ecb('usd'), 'chf')).toBeNull();
    expect(missingRates(['eur', 'chf', 'usd', 'sek'], ecb('usd'))).toEqual(['chf', 'sek']);
    expect(missingRates(['chf'], null)).toEqual([]);
  });

  it("scales minor units between currencies with different exponents", () => {
    // JPY has no minor unit, USD two: 1 JPY = 1.0823 / 162.45 USD = 108.23 / 162.45 cents = 10823 / 16245 cents.
    expect(conversionFactor('jpy', ecb('usd'))).toEqual(Rational.of(10823, 16245));
    // 1,000 JPY = 10,823,000 / 16,245 cents = 666.24 cents, i.e. 6.66 USD (1000 / 162.45 EUR x 1.0823).
    const converter = makeConverter(['jpy', 'usd'], ecb('usd'), null);
    expect(converter.report(new Map([['jpy', Rational.of(1000)], ['usd', Rational.of(50)]])).total).toBe(666n + 50n);
    // Shown cross rates are rounded to 6 places (the conversion is not): 10823/8712 = 1.242309...
    expect(makeConverter(['gbp', 'usd'], ecb('usd'), null).rates).toEqual({ gbp: '1.242309' });
  });

  it('keeps fixed rates as configured', () => {
    const fixed: ExchangeRates = { currency: 'usd', source: 'config', date: null, quoted: { eur: '1.08' } };
    expect(rateOf(fixed, 'eur')).toEqual(Rational.of(27, 25));
    expect(rateOf(fixed, 'gbp')).toBeNull();
    // 1,672.00 EUR = 167,200 cents x 1.08 = 180,576 cents.
    expect(makeConverter(['eur'], fixed, null).report(new Map([['eur', Rational.of(167_200)]])).total).toBe(180_576n);
    expect(quotesUsed(fixed, ['eur', 'usd'])).toEqual({ eur: '1.08' });
  });

  it('names the ECB quotes a conversion relied on, the reporting currency included', () => {
    expect(quotesUsed(ecb('usd'), ['eur', 'usd'])).toEqual({ usd: '1.0823' });
    expect(quotesUsed(ecb('gbp'), ['jpy', 'usd'])).toEqual({ gbp: '0.8712', jpy: '162.45', usd: '1.0823' });
    expect(sameRates(ecb('usd'), ecb('usd'))).toBe(true);
    expect(sameRates(ecb('usd'), { ...ecb('usd'), date: '2026-11-16' })).toBe(false);
    expect(sameRates(ecb('usd'), ecb('usd', { usd: '1.0824', gbp: '0.8712', jpy: '162.45' }))).toBe(false);
  });
});

describe('rates at a moment', () => {
  const config = (rates: Record<string, string> | 'ecb' | null) =>
    ({ origin: 'kpi.config.yaml', reporting: rates === null ? null : { currency: 'usd', rates } }) as unknown as KpiConfig;

  it("looks the ECB's rates up by the date in force at the moment, once per date, and opens the source only when needed", async () => {
    const asked: string[] = [];
    let opened = 0;
    const ratesAt = ratesAtFor(config('ecb'), () => {
      opened += 1;
      return { dayFor: async (date) => (asked.push(date), { date: '2026-11-13', perEur: { usd: '1.0823' } }) };
    });
    expect(opened).toBe(0);
    // A day's rates count from 16:00 UTC: Monday 2026-11-16 00:00 UTC asks for Sunday's date
    // (the source answers with Friday's), Monday 15:59 still too, Monday 16:00 for Monday's.
    expect(await ratesAt(new Date('2026-11-16T00:00:00Z'))).toEqual({ currency: 'usd', source: 'ecb', date: '2026-11-13', quoted: { usd: '1.0823' } });
    await ratesAt(new Date('2026-11-16T15:59:59Z'));
    await ratesAt(new Date('2026-11-16T16:00:00Z'));
    expect(asked).toEqual(['2026-11-15', '2026-11-16']);
    expect(opened).toBe(1);
    expect(ecbDateAt(new Date('2026-01-01T10:00:00Z'))).toBe('2025-12-31');
  });

  it('gives fixed rates whatever the moment, and null without reporting', async () => {
    const never = () => {
      throw new Error('no ECB source for fixed rates');
    };
    expect(await ratesAtFor(config({ eur: '1.08' }), never)(new Date(0))).toEqual({ currency: 'usd', source: 'config', date: null, quoted: { eur: '1.08' } });
    expect(await ratesAtFor(config(null), never)(new Date(0))).toBeNull();
  });
});
