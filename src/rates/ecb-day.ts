import { DataSourceError } from '../errors.js';

/** One ECB publication: how many units of each currency one euro buys, as ECB printed them. */
export interface EcbDay {
  /** The business day the rates are for, YYYY-MM-DD. */
  date: string;
  /** Lower-case ISO code -> ECB's decimal text ("1.0823"), exactly as published. No "eur" key. */
  perEur: Record<string, string>;
}

/** ECB rates could not be had (feed, cache or rates file): exit 1, like any other data source. */
export class EcbRatesError extends DataSourceError {}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ECB prints rates as plain decimals ("1.0823", "162.35"); zero or a sign is not a rate. */
export function isPositiveDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text) && /[1-9]/.test(text);
}

/** Whole calendar days from `earlier` to `later` (both YYYY-MM-DD); negative when `later` is before. */
export function daysBetween(earlier: string, later: string): number {
  return Math.round((Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000);
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The latest day on or before `date` (YYYY-MM-DD): weekends and TARGET holidays have no rates. Null when none. */
export function dayOnOrBefore(days: readonly EcbDay[], date: string): EcbDay | null {
  let best: EcbDay | null = null;
  for (const day of days) {
    if (day.date <= date && (!best || day.date > best.date)) best = day;
  }
  return best;
}
