import { UsageError } from '../errors.js';
import { readBodyWithin, readFileWithin, causeOf } from '../scoreboard/sources/bounded-read.js';
import { MAX_BODY_BYTES, SourceError } from '../scoreboard/sources/source-types.js';
import { isLoopback, shownLocation } from '../secrets/redact.js';
import { answerFromCache, ecbCachePath, EMPTY_CACHE, isoDay, lastReadAgo, loadCache, mergeFeed, readWithinADay, saveCache, type EcbFeed, type LoadedCache, type RatesCache } from './ecb-cache.js';
import { dayOnOrBefore, daysBetween, EcbRatesError, isIsoDate, type EcbDay } from './ecb-day.js';
import { parseEcbXml } from './ecb-xml.js';

export const DEFAULT_ECB_URL = 'https://www.ecb.europa.eu/stats/eurofxref/';
export const ECB_FEED_FILES: Record<EcbFeed, string> = {
  daily: 'eurofxref-daily.xml',
  '90d': 'eurofxref-hist-90d.xml',
  hist: 'eurofxref-hist.xml',
};
const DEFAULT_TIMEOUT_MS = 20_000;
/** Rates this much older than the date asked for are used, and said to be old. */
const OLD_RATES_DAYS = 5;

export interface EcbRatesOptions {
  /** Folder of the data directory (the same one snapshots use); the cache lives in `<dataDir>/rates/`. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** Only the cache: no network. */
  offline: boolean;
  /** Notes for stderr (the caller routes them through terminal/messages), e.g. the cache's age. */
  notify(note: string): void;
  /** How long one feed may take to answer in full; 20 s unless a test shortens it. */
  timeoutMs?: number;
  /** A feed larger than this is refused while it arrives; 50 MB unless a test lowers it. */
  maxBodyBytes?: number;
}

/**
 * `fallback`: the feed could not say (unreachable, or `--offline`) and the cache's latest
 * day on or before the date stood in, which may not be the rates in force then.
 */
export type EcbAnswer = EcbDay & { fallback?: true };

export interface EcbRates {
  /** The ECB rates in force on `date` (YYYY-MM-DD): the latest published on or before it. */
  dayFor(date: string): Promise<EcbAnswer>;
}

/**
 * `KPI_ECB_URL`, the folder holding ECB's three feeds (a mirror, a test server), else ECB's
 * own. Plain http only to this machine: rates decide reported money.
 */
export function ecbBaseUrl(env: NodeJS.ProcessEnv): URL {
  const configured = env.KPI_ECB_URL?.trim();
  if (!configured) return new URL(DEFAULT_ECB_URL);
  const hint = `Set it to an https URL of the folder holding the ECB feeds (plain http only to this machine), e.g. ${DEFAULT_ECB_URL}`;
  // Only an http(s) URL is shown, and only as `shownLocation` redacts it: any other text may be
  // a mistyped mirror address with its password or token ("user:pass@host" reads as scheme "user:").
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new UsageError('KPI_ECB_URL is not a URL', hint);
  }
  if (url.protocol === 'http:' && !isLoopback(url)) {
    throw new UsageError(`KPI_ECB_URL must be an https URL (plain http only to this machine): got ${shownLocation(url.href)}`, hint);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('KPI_ECB_URL must be an https URL (plain http only to this machine)', hint);
  // The feeds are files in that folder: "…/eurofxref" means "…/eurofxref/".
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** One feed's file in the folder; a query on the folder (a mirror's token) goes with it, as a relative URL would drop it. */
function feedUrl(base: URL, feed: EcbFeed): URL {
  const url = new URL(ECB_FEED_FILES[feed], base);
  url.search = base.search;
  return url;
}

/** Feeds to try for `date`, smallest first: each larger one also holds what the smaller lacked. */
function feedsFor(date: string, today: string): EcbFeed[] {
  const age = daysBetween(date, today);
  if (age <= 4) return ['daily', '90d', 'hist'];
  // The 90-day feed spans about 64 business days; well inside that, it suffices.
  if (age <= 80) return ['90d', 'hist'];
  return ['hist'];
}

export function openEcbRates(options: EcbRatesOptions): EcbRates {
  const base = ecbBaseUrl(options.env);
  const cachePath = ecbCachePath(options.dataDir);
  const today = isoDay(options.now);
  const told = new Set<string>();
  const notify = (note: string) => {
    // A history asks for many dates: each note once per run.
    if (told.has(note)) return;
    told.add(note);
    options.notify(note);
  };
  /** A feed that failed in this run is not asked again for the next date. */
  const failures = new Map<EcbFeed, string>();
  let loaded: { cache: RatesCache; state: LoadedCache['state'] } | undefined;
  const cacheNow = () => {
    if (loaded) return loaded;
    const result = loadCache(cachePath);
    if (result.state === 'unusable') notify(`the ECB rates cache ${cachePath} is unusable (${result.reason}) and is ignored`);
    loaded = { cache: result.state === 'read' ? result.cache : EMPTY_CACHE, state: result.state };
    return loaded;
  };
  const withAgeNote = (day: EcbDay, date: string): EcbDay => {
    const age = daysBetween(day.date, date);
    if (age > OLD_RATES_DAYS) notify(`the ECB rates used for ${date} are those of ${day.date}, ${age} days older`);
    return day;
  };

  const resolveDay = async (date: string): Promise<EcbAnswer> => {
    if (!isIsoDate(date)) throw new UsageError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
    const { state } = cacheNow();
    let cache = cacheNow().cache;
    const answered = answerFromCache(cache, date, options.now);
    if (answered) return withAgeNote(answered, date);
    if (options.offline) {
      const day = dayOnOrBefore(cache.days, date);
      if (!day) throw offlineError(date, cachePath, state, cache);
      notify(`offline: the ECB rates cache was last updated ${lastReadAgo(cache, options.now)}`);
      return { ...withAgeNote(day, date), fallback: true };
    }
    let failure: string | undefined;
    for (const feed of feedsFor(date, today)) {
      if (readWithinADay(cache, feed, options.now)) continue;
      failure = failures.get(feed);
      if (failure) break;
      let days: EcbDay[];
      try {
        days = await fetchFeed(feedUrl(base, feed), options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.maxBodyBytes ?? MAX_BODY_BYTES);
      } catch (error) {
        if (!(error instanceof EcbRatesError)) throw error;
        failure = error.message;
        failures.set(feed, failure);
        break;
      }
      cache = mergeFeed(cache, feed, days, options.now);
      loaded = { cache, state };
      try {
        saveCache(cachePath, cache);
      } catch (error) {
        notify(`could not save the ECB rates cache: ${(error as Error).message}`);
      }
      const day = answerFromCache(cache, date, options.now);
      if (day) return withAgeNote(day, date);
    }
    const fallback = dayOnOrBefore(cache.days, date);
    if (failure) {
      if (!fallback) throw unreachableError(date, failure, cachePath);
      notify(`${failure}: using the cached ECB rates of ${fallback.date} for ${date} (the cache was last updated ${lastReadAgo(cache, options.now)})`);
      return { ...withAgeNote(fallback, date), fallback: true };
    }
    if (fallback) return withAgeNote(fallback, date);
    throw new EcbRatesError(`ECB published no reference rates on or before ${date}${cache.days[0] ? ` (its series starts on ${cache.days[0].date})` : ''}`);
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    dayFor(date) {
      // One at a time: concurrent dates share one read of each feed and one cache write.
      const next = queue.then(() => resolveDay(date));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function unreachableError(date: string, reason: string, cachePath: string): EcbRatesError {
  return new EcbRatesError(
    `no ECB rates for ${date}: ${reason}, and the rates cache ${cachePath} has none on or before ${date}`,
    '--offline would not help (it reads only that cache): check the network or KPI_ECB_URL and run again.',
  );
}

function offlineError(date: string, cachePath: string, state: LoadedCache['state'], cache: RatesCache): EcbRatesError {
  const first = cache.days[0]?.date;
  const problem = {
    read: `the rates cache ${cachePath} has none on or before it${first ? ` (it starts on ${first})` : ''}`,
    unusable: `the rates cache ${cachePath} is unusable`,
    missing: `there is no rates cache yet (${cachePath})`,
  }[state];
  return new EcbRatesError(
    `no ECB rates for ${date} offline: ${problem}`,
    'Run once without --offline to fetch the ECB rates.',
  );
}

/** Reads and parses one feed; every way it can fail is an EcbRatesError whose message names the (redacted) URL. */
async function fetchFeed(url: URL, timeoutMs: number, maxBodyBytes: number): Promise<EcbDay[]> {
  const shown = shownLocation(url.href);
  const headers: Record<string, string> = {};
  // fetch refuses URLs with credentials: a mirror's user and password travel as Basic auth instead.
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url = new URL(url.href);
    url.username = '';
    url.password = '';
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => new EcbRatesError(`${shown} did not answer within ${timeoutMs / 1000} s`);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: headers.authorization ? 'manual' : 'follow' });
  } catch (error) {
    if (signal.aborted) throw timedOut();
    throw new EcbRatesError(`${shown} could not be reached (${causeOf(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new EcbRatesError(`${shown} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  let text: string;
  try {
    ({ text } = await readBodyWithin(response, shown, maxBodyBytes));
  } catch (error) {
    if (signal.aborted) throw timedOut();
    if (error instanceof SourceError) throw new EcbRatesError(error.message);
    throw error;
  }
  return parseEcbXml(text, shown);
}

/** A fixed file in ECB XML format (the demo ships one): never touches network or cache. */
export function ecbRatesFromFile(path: string, maxBodyBytes = MAX_BODY_BYTES): EcbRates {
  let days: EcbDay[] | undefined;
  const read = (): EcbDay[] => {
    if (days) return days;
    let text: string;
    try {
      ({ text } = readFileWithin(path, path, maxBodyBytes));
    } catch (error) {
      if (error instanceof SourceError) throw new EcbRatesError(error.message);
      throw error;
    }
    days = parseEcbXml(text, path);
    return days;
  };
  return {
    async dayFor(date) {
      if (!isIsoDate(date)) throw new UsageError(`not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
      const all = read();
      const day = dayOnOrBefore(all, date);
      if (!day) throw new EcbRatesError(`the rates file ${path} has no rates on or before ${date} (it starts on ${all[0]?.date})`);
      return day;
    },
  };
}
