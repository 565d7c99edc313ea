import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { missingRates, type ExchangeRates } from '../money/exchange-rates.js';

/**
 * The rates in force at a moment: the config's fixed rates whatever the moment, or the
 * ECB's published on or before its date. Null: no `reporting`, each currency apart.
 */
export type RatesAt = (moment: Date) => Promise<ExchangeRates | null>;

/** One ECB publication: units of each currency one euro buys, as printed (lower-case codes, no `eur`). */
export interface EcbQuotes {
  /** The business day the rates are for, YYYY-MM-DD. */
  date: string;
  perEur: Record<string, string>;
}

/** Where ECB rates come from (the feed with its cache, or a fixed file such as the demo's). */
export interface EcbQuoteSource {
  /** The rates in force on `date` (YYYY-MM-DD): the latest published on or before it. */
  dayFor(date: string): Promise<EcbQuotes>;
}

/**
 * ECB publishes a day's reference rates around 16:00 CET (15:00 UTC, 14:00 UTC in summer):
 * until 16:00 UTC a moment counts as the day before, so a figure never uses rates that
 * were not yet published when it was taken (a Monday 00:00 snapshot gets Friday's).
 */
const ECB_PUBLISHED_BY_UTC_HOUR = 16;

/** The date whose ECB rates (on or before it) were in force at `moment`. */
export function ecbDateAt(moment: Date): string {
  return new Date(moment.getTime() - ECB_PUBLISHED_BY_UTC_HOUR * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The rates a figure at `moment` is converted with: fixed rates as configured, or the ECB's
 * in force at that moment (`ecbDateAt`) from `ecb`. Each date is looked up once per run.
 */
export function ratesAtFor(config: KpiConfig, ecb: () => EcbQuoteSource): RatesAt {
  const reporting = config.reporting;
  if (!reporting) return async () => null;
  if (reporting.rates !== 'ecb') {
    const fixed = configuredRates(config);
    return async () => fixed;
  }
  const byDate = new Map<string, Promise<ExchangeRates>>();
  let source: EcbQuoteSource | null = null;
  return (moment) => {
    const date = ecbDateAt(moment);
    let rates = byDate.get(date);
    if (!rates) {
      source ??= ecb();
      rates = source.dayFor(date).then((day) => ecbRates(reporting.currency, day));
      byDate.set(date, rates);
    }
    return rates;
  };
}

/** ECB quotes as the rates for one reporting currency. */
export function ecbRates(currency: string, day: EcbQuotes): ExchangeRates {
  return { currency, source: 'ecb', date: day.date, quoted: { ...day.perEur } };
}

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
