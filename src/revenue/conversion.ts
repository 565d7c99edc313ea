/**
 * How a figure in the reporting currency came about, in words: the source of its rates,
 * their date and each rate used, so anyone can check the conversion.
 */
import type { ExchangeRates } from '../money/exchange-rates.js';

/** "USD at ECB rates of 2026-11-13", "USD at configured rates": what a converted KPI says it is in. */
export function ratesInBrief(rates: ExchangeRates): string {
  const currency = rates.currency.toUpperCase();
  return rates.source === 'ecb' ? `${currency} at ECB rates of ${rates.date}` : `${currency} at configured rates`;
}

/**
 * "Converted to USD at the ECB reference rates of 2026-11-13: 1 EUR = 1.0823 USD (1 GBP =
 * 1.242309 USD through the euro)." `shown` holds the per-unit rates as displayed; ECB
 * rates between two currencies other than the euro are cross rates, and say so. Null
 * when nothing needed converting.
 */
export function conversionFootnote(rates: ExchangeRates, shown: Record<string, string>): string | null {
  const codes = Object.keys(shown).sort();
  if (codes.length === 0) return null;
  const target = rates.currency.toUpperCase();
  const rate = (code: string) => `1 ${code.toUpperCase()} = ${shown[code]} ${target}`;
  if (rates.source === 'config') return `Converted to ${target} at the configured rates: ${codes.map(rate).join(', ')}.`;
  const throughEuro = (code: string) => code !== 'eur' && rates.currency !== 'eur';
  const direct = codes.filter((code) => !throughEuro(code)).map(rate);
  const cross = codes.filter(throughEuro).map(rate);
  const crossText = cross.length === 0 ? '' : `${cross.join(', ')} through the euro`;
  const listed = direct.length === 0 ? crossText : cross.length === 0 ? direct.join(', ') : `${direct.join(', ')} (${crossText})`;
  return `Converted to ${target} at the ECB reference rates of ${rates.date}: ${listed}.`;
}
