import type { RatesUsed } from '../app/mrr-movements.js';

/** Names rates for people: "the ECB reference rates of 2026-01-02 (1 EUR = 1.08 USD)", or the configured ones. */
export function ratesPhrase(rates: RatesUsed, currency: string): string {
  const target = currency.toUpperCase();
  if (rates.source === 'ecb') {
    const quotes = Object.entries(rates.quotes).map(([code, rate]) => `1 EUR = ${rate} ${code.toUpperCase()}`);
    return `the ECB reference rates of ${rates.date}${quotes.length > 0 ? ` (${quotes.join(', ')})` : ''}`;
  }
  const quotes = Object.entries(rates.quotes).map(([code, rate]) => `1 ${code.toUpperCase()} = ${rate} ${target}`);
  return `the configured rates (${quotes.join(', ') || 'none needed'})`;
}

/** "at constant currency (rates of 2026-01-02)": what a figure held at one end's rates says of itself. */
export function constantCurrencyPhrase(rates: Pick<RatesUsed, 'source' | 'date'>): string {
  return `at constant currency (${rates.date === null ? 'the configured rates' : `rates of ${rates.date}`})`;
}

/** The JSON form of rates: where from, of which day, the quotes relied on. */
export function ratesJson(rates: RatesUsed) {
  return { source: rates.source, date: rates.date, quotes: rates.quotes };
}
