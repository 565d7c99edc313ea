import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/money/rational.js';
import { formatMajorUnits, formatMoneyForHumans, minorUnitExponent } from '../../src/money/currency.js';

describe('Rational', () => {
  it('parses decimals exactly, without binary floating point', () => {
    expect(Rational.parseDecimal('12.5').toString()).toBe('25/2');
    expect(Rational.parseDecimal('0.1').plus(Rational.parseDecimal('0.2')).equals(Rational.parseDecimal('0.3'))).toBe(true);
    expect(Rational.parseDecimal('-0.0125').toString()).toBe('-1/80');
    expect(Rational.parseDecimal('1.5e2').toString()).toBe('150');
    expect(Rational.fromNumber(33.3).toString()).toBe('333/10');
    expect(() => Rational.parseDecimal('12,5')).toThrow(SyntaxError);
  });

  it('rounds half away from zero', () => {
    expect(Rational.of(5, 2).roundHalfUp()).toBe(3n); // 2.5 -> 3
    expect(Rational.of(-5, 2).roundHalfUp()).toBe(-3n); // -2.5 -> -3
    expect(Rational.of(22000, 12).roundHalfUp()).toBe(1833n); // 1833.33 -> 1833
    expect(Rational.of(1, 3).times(2).roundHalfUp()).toBe(1n); // 0.67 -> 1
    expect(Rational.of(7, 2).floor()).toBe(3n);
    expect(Rational.of(-7, 2).floor()).toBe(-4n);
    expect(Rational.of(7, 2).ceil()).toBe(4n);
  });

  it('adds thirds back to a whole without drift', () => {
    const third = Rational.of(100, 3);
    expect(third.plus(third).plus(third).toString()).toBe('100');
  });
});

describe('currency exponents (Stripe table, not Intl)', () => {
  it.each([
    ['usd', 2], ['eur', 2], ['jpy', 0], ['krw', 0], ['xof', 0], ['kwd', 3], ['bhd', 3], ['isk', 2], ['huf', 2], ['JPY', 0],
  ])('%s has %i decimals', (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });

  it('formats minor units as plain major units', () => {
    expect(formatMajorUnits(123450n, 'usd')).toBe('1234.50');
    expect(formatMajorUnits(5n, 'usd')).toBe('0.05');
    expect(formatMajorUnits(-5n, 'eur')).toBe('-0.05');
    expect(formatMajorUnits(500n, 'jpy')).toBe('500');
    expect(formatMajorUnits(5124n, 'kwd')).toBe('5.124');
    expect(formatMoneyForHumans(123456789n, 'usd')).toBe('1,234,567.89 USD');
    expect(formatMoneyForHumans(-100000n, 'jpy')).toBe('-100,000 JPY');
  });
});
