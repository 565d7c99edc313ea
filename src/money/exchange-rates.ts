/**
 * Exchange rates as plain data: what a report converts with, what a snapshot pins and what
 * the output names. Rates stay decimal text as their source quoted them; every conversion
 * is exact (rationals) and rounded only when a figure is reported.
 */
import { minorUnitExponent } from './currency.js';
import { decimalString, Rational } from './rational.js';

export type RatesSource = 'config' | 'ecb';

export interface ExchangeRates {
  /** The reporting currency (lower-case ISO code): every total is given in it. */
  currency: string;
  source: RatesSource;
  /** ECB: the business day the rates were published for (YYYY-MM-DD). Null for the config's fixed rates. */
  date: string | null;
  /**
   * The rates as the source quotes them, decimal text:
   * - `config`: units of the reporting currency one unit of the key buys (`eur: "1.08"`: 1 EUR = 1.08 USD);
   * - `ecb`: units of the key one euro buys (`usd: "1.0823"`: 1 EUR = 1.0823 USD), no `eur` key.
   */
  quoted: Record<string, string>;
}

/** Units of the reporting currency one (major) unit of `code` is worth, exactly; null when the rates do not know `code`. */
export function rateOf(rates: ExchangeRates, code: string): Rational | null {
  if (code === rates.currency) return Rational.ONE;
  if (rates.source === 'config') {
    const quoted = rates.quoted[code];
    return quoted === undefined ? null : Rational.parseDecimal(quoted);
  }
  // ECB quotes everything against the euro: a cross rate is the ratio of two quotes.
  const perEur = (currency: string) => (currency === 'eur' ? Rational.ONE : rates.quoted[currency] === undefined ? null : Rational.parseDecimal(rates.quoted[currency]));
  const target = perEur(rates.currency);
  const source = perEur(code);
  return target === null || source === null ? null : target.dividedBy(source);
}

/** Multiplies minor units of `code` into minor units of the reporting currency. */
export function conversionFactor(code: string, rates: ExchangeRates): Rational {
  const rate = rateOf(rates, code);
  if (rate === null) throw new RangeError(`no conversion rate for ${code}`);
  // Minor units of `code` -> major units -> the reporting currency's minor units.
  const shift = minorUnitExponent(rates.currency) - minorUnitExponent(code);
  const scale = shift >= 0 ? Rational.of(10n ** BigInt(shift)) : Rational.of(1n, 10n ** BigInt(-shift));
  return rate.times(scale);
}

/** The currencies among `currencies` that `rates` cannot convert: none without rates. */
export function missingRates(currencies: readonly string[], rates: ExchangeRates | null): string[] {
  if (!rates) return [];
  return currencies.filter((code) => rateOf(rates, code) === null);
}

/**
 * The quotes a conversion of `currencies` relied on, as the source gave them: for fixed
 * rates each converted currency's; for ECB's, each currency's quote against the euro,
 * the reporting currency's included (a cross rate needs both).
 */
export function quotesUsed(rates: ExchangeRates, currencies: readonly string[]): Record<string, string> {
  const needed = rates.source === 'ecb' ? [...currencies, rates.currency] : currencies.filter((code) => code !== rates.currency);
  const used = [...new Set(needed)].filter((code) => rates.quoted[code] !== undefined).sort();
  return Object.fromEntries(used.map((code) => [code, rates.quoted[code] as string]));
}

/** Decimal places a cross rate (ECB's, through the euro) is shown with; the conversion itself is exact. */
const SHOWN_RATE_DECIMALS = 6;

/**
 * Units of the reporting currency one unit of each other currency in `currencies` buys, as
 * the output shows them: fixed rates as configured, the ECB's euro rate as published, other
 * ECB rates (cross or inverse) rounded for display.
 */
export function ratesPerUnit(rates: ExchangeRates, currencies: readonly string[]): Record<string, string> {
  const shown = (code: string) =>
    rates.source === 'config' ? (rates.quoted[code] as string) : code === 'eur' ? (rates.quoted[rates.currency] as string) : decimalString(rateOf(rates, code)!, SHOWN_RATE_DECIMALS);
  return Object.fromEntries(currencies.filter((code) => code !== rates.currency).map((code) => [code, shown(code)]));
}

/** Whether two sets of rates convert alike (same source, date and quotes): a period between them has no currency effect. */
export function sameRates(a: ExchangeRates, b: ExchangeRates): boolean {
  if (a.currency !== b.currency || a.source !== b.source || a.date !== b.date) return false;
  const keys = Object.keys(a.quoted);
  return keys.length === Object.keys(b.quoted).length && keys.every((key) => b.quoted[key] === a.quoted[key]);
}
