import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { missingRates, type ExchangeRates } from '../money/exchange-rates.js';

/**
 * The rates in force at a moment: the config's fixed rates whatever the moment, or the
 * ECB's published on or before its date. Null: no `reporting`, each currency apart.
 */
export type RatesAt = (moment: Date) => Promise<ExchangeRates | null>;

/**
 * The config's fixed rates; null without `reporting`. ECB rates depend on the date a
 * figure is for, so a caller with `rates: ecb` must resolve them and pass them in.
 */
export function configuredRates(config: KpiConfig): ExchangeRates | null {
  if (!config.reporting) return null;
  const { currency, rates } = config.reporting;
  if (rates === 'ecb') throw new Error('ECB rates depend on a date: resolve them before valuing');
  return { currency, source: 'config', date: null, quoted: rates };
}

/** A config error naming the currencies `rates` cannot convert, and what would. */
export function checkRates(currencies: readonly string[], rates: ExchangeRates | null, config: KpiConfig): void {
  const missing = missingRates(currencies, rates);
  if (missing.length === 0 || !rates) return;
  const named = missing.map((code) => code.toUpperCase()).join(', ');
  const target = rates.currency.toUpperCase();
  if (rates.source === 'ecb') {
    throw new UsageError(
      `config ${config.origin}: the ECB reference rates of ${rates.date} have no rate for ${named}, which the account bills in`,
      `Use fixed rates instead: "reporting: { currency: ${rates.currency}, rates: { ${missing[0]}: <${target} per ${missing[0]?.toUpperCase()}> } }", or remove "reporting" to see each currency apart.`,
    );
  }
  throw new UsageError(
    `config ${config.origin}: reporting.rates has no rate for ${named}, which the account bills in`,
    `Add e.g. "reporting: { rates: { ${missing[0]}: <${target} per ${missing[0]?.toUpperCase()}> } }", or remove "reporting" to see each currency apart.`,
  );
}
