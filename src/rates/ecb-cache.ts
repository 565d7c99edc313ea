import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { createDirectory, writeFileAtomically } from '../files/atomic-file.js';
import { dayOnOrBefore, daysBetween, isIsoDate, isPositiveDecimal, type EcbDay } from './ecb-day.js';

/**
 * What kpi keeps of ECB's rates between runs (`<dataDir>/rates/ecb-rates.json`): the days
 * read so far, the stretches of dates known to be complete, and when each feed was last
 * read, which is what keeps kpi to one request per feed a day.
 */

export type EcbFeed = 'daily' | '90d' | 'hist';

/** From `from` to `to` (YYYY-MM-DD, inclusive) every day ECB published is in the cache. */
export interface DateRange {
  from: string;
  to: string;
}

export interface RatesCache {
  /** ISO timestamps of the last successful read of each feed. */
  fetchedAt: Partial<Record<EcbFeed, string>>;
  /** Sorted, not touching one another. */
  covered: DateRange[];
  /** Sorted by date. */
  days: EcbDay[];
}

export const EMPTY_CACHE: RatesCache = { fetchedAt: {}, covered: [], days: [] };

const CACHE_FORMAT = 'kpi-ecb-rates';
const CACHE_VERSION = 1;
const ONE_DAY_MS = 86_400_000;

const isoDate = z.string().refine(isIsoDate, 'not a YYYY-MM-DD date');
const cacheFileSchema = z.strictObject({
  format: z.literal(CACHE_FORMAT),
  version: z.literal(CACHE_VERSION),
  fetched_at: z.strictObject({ daily: z.iso.datetime().optional(), '90d': z.iso.datetime().optional(), hist: z.iso.datetime().optional() }),
  covered: z.array(z.strictObject({ from: isoDate, to: isoDate })),
  days: z.array(z.strictObject({ date: isoDate, per_eur: z.record(z.string().regex(/^[a-z]{3}$/).refine((code) => code !== 'eur'), z.string().refine(isPositiveDecimal, 'not a positive decimal')) })),
});

export function ecbCachePath(dataDir: string): string {
  return join(dataDir, 'rates', 'ecb-rates.json');
}

export type LoadedCache = { state: 'missing' } | { state: 'unusable'; reason: string } | { state: 'read'; cache: RatesCache };

export function loadCache(path: string): LoadedCache {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { state: 'missing' } : { state: 'unusable', reason: code === 'EACCES' ? 'permission denied' : (error as Error).message };
  }
  let parsed: z.infer<typeof cacheFileSchema>;
  try {
    parsed = cacheFileSchema.parse(JSON.parse(text));
  } catch (error) {
    return { state: 'unusable', reason: error instanceof SyntaxError ? 'not JSON' : 'not a kpi rates cache of this version' };
  }
  const days = parsed.days.map((day) => ({ date: day.date, perEur: day.per_eur })).sort((a, b) => (a.date < b.date ? -1 : 1));
  return { state: 'read', cache: { fetchedAt: parsed.fetched_at, covered: mergeRanges(withinPublished(parsed.covered, days.at(-1)?.date)), days } };
}

/**
 * Earlier versions counted a read as complete up to the day before the clock's date, so a
 * clock ahead of time claimed days ECB had not yet published: nothing after the newest
 * cached day is known complete.
 */
function withinPublished(ranges: readonly DateRange[], newest: string | undefined): DateRange[] {
  if (newest === undefined) return [];
  return ranges.filter((range) => range.from <= newest).map((range) => ({ from: range.from, to: range.to > newest ? newest : range.to }));
}

/** Complete under its final name or not there at all (a crash mid-write keeps the old cache). */
export function saveCache(path: string, cache: RatesCache): void {
  createDirectory(dirname(path));
  const file = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    fetched_at: cache.fetchedAt,
    covered: cache.covered,
    days: cache.days.map((day) => ({ date: day.date, per_eur: day.perEur })),
  };
  writeFileAtomically(path, `${JSON.stringify(file)}\n`, { overwrite: true });
}

/**
 * Adds what one feed returned. A feed lists every day it spans, from its oldest to its
 * newest, the newest ECB had published when it was read. Dates after that are left to the
 * once-a-day rule (`answerFromCache`): the clock that dated the read may be wrong, the feed's
 * own newest day is not.
 */
export function mergeFeed(cache: RatesCache, feed: EcbFeed, days: readonly EcbDay[], now: Date): RatesCache {
  const byDate = new Map(cache.days.map((day) => [day.date, day]));
  // ECB corrects a rate now and then: the newer reading wins.
  for (const day of days) byDate.set(day.date, day);
  const oldest = days[0]?.date;
  const newest = days.at(-1)?.date;
  const covered = oldest && newest ? [...cache.covered, { from: oldest, to: newest }] : cache.covered;
  return {
    fetchedAt: { ...cache.fetchedAt, [feed]: now.toISOString() },
    covered: mergeRanges(covered),
    days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}

function mergeRanges(ranges: readonly DateRange[]): DateRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : 1));
  const merged: DateRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && daysBetween(last.to, range.from) <= 1) {
      if (range.to > last.to) last.to = range.to;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/**
 * The feed was read less than a day ago: reading it again could not tell anything new. A
 * read dated after now was stamped by a clock ahead of time and tells nothing about today.
 */
export function readWithinADay(cache: RatesCache, feed: EcbFeed, now: Date): boolean {
  const fetchedAt = cache.fetchedAt[feed];
  if (fetchedAt === undefined) return false;
  const age = now.getTime() - Date.parse(fetchedAt);
  return age >= 0 && age < ONE_DAY_MS;
}

/**
 * The rates in force on `date` when the cache can say for sure: the date lies in a
 * complete stretch, or it is past everything ECB had published at a read less than a day ago.
 */
export function answerFromCache(cache: RatesCache, date: string, now: Date): EcbDay | null {
  if (cache.covered.some((range) => range.from <= date && date <= range.to)) return dayOnOrBefore(cache.days, date);
  const newest = cache.days.at(-1);
  const readRecently = (['daily', '90d', 'hist'] as const).some((feed) => readWithinADay(cache, feed, now));
  return newest && date > newest.date && readRecently ? newest : null;
}

/** When the cache last learned anything, in words: "3 days ago". */
export function lastReadAgo(cache: RatesCache, now: Date): string {
  const times = Object.values(cache.fetchedAt).map((time) => Date.parse(time));
  if (times.length === 0) return 'at an unknown time';
  const days = Math.floor((now.getTime() - Math.max(...times)) / ONE_DAY_MS);
  return days <= 0 ? 'less than a day ago' : days === 1 ? '1 day ago' : `${days} days ago`;
}

export function isoDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
