import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { missingRates, type ExchangeRates } from '../money/exchange-rates.js';
import type { PinnedRates, SnapshotFile } from '../snapshots/snapshot-format.js';

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
  /** The source could not say (feed unreachable, offline) and older cached rates stood in: good for a figure now, not to pin. */
  fallback?: true;
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

/**
 * What a snapshot taken at `moment` pins: with `rates: ecb`, the whole ECB publication in
 * force then (not only the currencies billed today, so later prices in other currencies
 * still convert); nothing for fixed rates or without `reporting`. Rates that only stood in
 * (`fallback`) are not pinned, or they would stay wrong forever: the snapshot then takes the
 * ECB rates of its date when a history reads it (`ratesForSnapshot`), and `notify` says so.
 */
export async function pinnedRates(config: KpiConfig, ecb: () => EcbQuoteSource, moment: Date, notify: (note: string) => void): Promise<PinnedRates | undefined> {
  if (config.reporting?.rates !== 'ecb') return undefined;
  // The date a figure at the same moment is converted at (`ratesAtFor`).
  const date = ecbDateAt(moment);
  const day = await ecb().dayFor(date);
  if (day.fallback) {
    notify(`the snapshot pins no exchange rates: the ECB rates of ${date} could not be read (those of ${day.date} stood in), so a history converts it at the ECB rates of ${date} once they can be read`);
    return undefined;
  }
  return { source: 'ecb', date: day.date, per_eur: { ...day.perEur } };
}

/**
 * The rates a snapshot's figures are converted with: with `rates: ecb`, those it pinned,
 * else the ECB's of the day it was taken (a past day's published rates never change, so
 * either way its figure stays the same when viewed later); fixed rates as configured.
 */
export function ratesForSnapshot(file: SnapshotFile, config: KpiConfig, ratesAt: RatesAt): Promise<ExchangeRates | null> {
  return pinnedOrAt(config, ratesAt, file.taken_at, file.exchange_rates);
}

/** The rates of figures as of `asOf` (unix seconds): those pinned with the data (with `rates: ecb`), else those in force then. */
export function pinnedOrAt(config: KpiConfig, ratesAt: RatesAt, asOf: number, pinned: PinnedRates | undefined): Promise<ExchangeRates | null> {
  const reporting = config.reporting;
  if (!reporting) return Promise.resolve(null);
  if (reporting.rates !== 'ecb') return Promise.resolve(configuredRates(config));
  if (pinned) return Promise.resolve(ecbRates(reporting.currency, { date: pinned.date, perEur: pinned.per_eur }));
  return ratesAt(new Date(asOf * 1000));
}

/** For callers that only ever meet fixed rates: an ECB lookup is a wiring mistake, not a user's. */
export const NO_ECB_SOURCE = (): EcbQuoteSource => {
  throw new Error('ECB rates were needed but no quote source was given');
};

/** A usage error unless the config converts to one reporting currency: `flag` compares figures in it. */
export function requireReportingRates(config: KpiConfig, flag: string): void {
  if (config.reporting) return;
  throw new UsageError(
    `${flag} needs reporting rates: config ${config.origin} has no "reporting" section, so each currency is shown apart and there is nothing to hold constant`,
    'Add e.g. `reporting: { currency: usd, rates: ecb }` to the config, or fixed rates such as `rates: { eur: "1.08" }`.',
  );
}
