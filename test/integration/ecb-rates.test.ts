import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, KpiError, UsageError } from '../../src/errors.js';
import { ecbCachePath } from '../../src/rates/ecb-cache.js';
import { addDays, EcbRatesError, type EcbDay } from '../../src/rates/ecb-day.js';
import { ecbBaseUrl, openEcbRates, type EcbRatesOptions } from '../../src/rates/ecb-rates.js';
import { startEcbServer, type EcbServer } from '../support/ecb-server.js';

/** Every weekday from 2026-01-02 to `last`, USD moving up 0.0001 a business day from 1.0700. */
function businessDays(last: string): EcbDay[] {
  const days: EcbDay[] = [];
  for (let date = '2026-01-02'; date <= last; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    days.push({ date, perEur: { usd: `1.${String(700 + days.length).padStart(4, '0')}`, gbp: '0.8400' } });
  }
  return days;
}

const servers: EcbServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(last = '2026-11-30'): Promise<EcbServer> {
  const started = await startEcbServer(businessDays(last));
  servers.push(started);
  return started;
}

/** Tuesday 1 December 2026, 10:00 UTC: before ECB's afternoon publication, so Monday 30 November is the newest day. */
const TUESDAY = new Date('2026-12-01T10:00:00Z');
const hoursLater = (hours: number) => new Date(TUESDAY.getTime() + hours * 3_600_000);

function rates(url: string, overrides: Partial<EcbRatesOptions> = {}) {
  const notes: string[] = [];
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'kpi-ecb-'));
  const source = openEcbRates({ dataDir, env: { KPI_ECB_URL: url }, now: TUESDAY, offline: false, notify: (note) => notes.push(note), ...overrides });
  return { source, notes, dataDir };
}

async function failureOf(promise: Promise<unknown>): Promise<KpiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KpiError);
    return error as KpiError;
  }
  throw new Error('no failure');
}

describe('ECB rates: fetching once a day', () => {
  it('a recent date reads the daily feed once; the same day again reads nothing; 25 hours later one request', async () => {
    const ecb = await server();
    const first = rates(ecb.url);
    // Weekdays before 2026-11-30: Friday 2 January, then 47 weeks of 5 (5 January to 27 November) = 236: 1.0700 + 0.0236.
    expect(await first.source.dayFor('2026-12-01')).toEqual({ date: '2026-11-30', perEur: { usd: '1.0936', gbp: '0.8400' } });
    expect([...ecb.requests]).toEqual([['/stats/eurofxref/eurofxref-daily.xml', 1]]);
    expect(existsSync(ecbCachePath(first.dataDir))).toBe(true);

    const sameDay = rates(ecb.url, { dataDir: first.dataDir, now: hoursLater(8) });
    expect((await sameDay.source.dayFor('2026-12-01')).date).toBe('2026-11-30');
    expect((await sameDay.source.dayFor('2026-11-30')).date).toBe('2026-11-30');
    expect(ecb.requestCount()).toBe(1);

    ecb.days = businessDays('2026-12-01');
    const nextDay = rates(ecb.url, { dataDir: first.dataDir, now: hoursLater(25) });
    expect(await nextDay.source.dayFor('2026-12-02')).toEqual({ date: '2026-12-01', perEur: { usd: '1.0937', gbp: '0.8400' } });
    expect(ecb.requestCount('eurofxref-daily.xml')).toBe(2);
    expect(ecb.requestCount()).toBe(2);
    // Monday's rates came from the first day's read and are still answered without a request.
    expect((await nextDay.source.dayFor('2026-11-30')).date).toBe('2026-11-30');
    expect(ecb.requestCount()).toBe(2);
    expect([...first.notes, ...sameDay.notes, ...nextDay.notes]).toEqual([]);
  });

  it('a date just before what the daily feed gave reads the 90-day feed, whose stretch then answers without requests', async () => {
    const ecb = await server();
    const { source } = rates(ecb.url);
    await source.dayFor('2026-12-01');
    // Only Monday 30 November is known complete: Friday 27 needs the 90-day feed.
    expect((await source.dayFor('2026-11-27')).date).toBe('2026-11-27');
    expect((await source.dayFor('2026-11-29')).date).toBe('2026-11-27');
    expect((await source.dayFor('2026-09-15')).date).toBe('2026-09-15');
    expect([...ecb.requests]).toEqual([
      ['/stats/eurofxref/eurofxref-daily.xml', 1],
      ['/stats/eurofxref/eurofxref-hist-90d.xml', 1],
    ]);
  });

  it('an unusable cache file is said so and replaced by the next read', async () => {
    const ecb = await server();
    const dataDir = mkdtempSync(join(tmpdir(), 'kpi-ecb-'));
    mkdirSync(join(dataDir, 'rates'));
    writeFileSync(ecbCachePath(dataDir), '{"format":"kpi-ecb-rates"');
    const { source, notes } = rates(ecb.url, { dataDir });
    expect((await source.dayFor('2026-12-01')).date).toBe('2026-11-30');
    expect(notes).toEqual([`the ECB rates cache ${ecbCachePath(dataDir)} is unusable (not JSON) and is ignored`]);
    expect(JSON.parse(readFileSync(ecbCachePath(dataDir), 'utf8')).days).toEqual([{ date: '2026-11-30', per_eur: { usd: '1.0936', gbp: '0.8400' } }]);
  });

  it('several dates asked at once share one read', async () => {
    const ecb = await server();
    const { source } = rates(ecb.url);
    const found = await Promise.all(['2026-12-01', '2026-11-30', '2026-12-02'].map((date) => source.dayFor(date)));
    expect(found.map((day) => day.date)).toEqual(['2026-11-30', '2026-11-30', '2026-11-30']);
    expect(ecb.requestCount()).toBe(1);
  });

  it('a date weeks back reads the 90-day feed; months back the full history, once a day', async () => {
    const ecb = await server();
    const { source, dataDir } = rates(ecb.url);
    // Saturday 17 October takes Friday 16 October.
    expect((await source.dayFor('2026-10-17')).date).toBe('2026-10-16');
    expect([...ecb.requests]).toEqual([['/stats/eurofxref/eurofxref-hist-90d.xml', 1]]);

    // Sunday 1 March takes Friday 27 February; weekdays before it: 2 January, then 8 weeks of 5 = 40: 1.0700 + 0.0040.
    expect(await source.dayFor('2026-03-01')).toEqual({ date: '2026-02-27', perEur: { usd: '1.0740', gbp: '0.8400' } });
    expect(ecb.requestCount('eurofxref-hist.xml')).toBe(1);
    expect((await source.dayFor('2026-02-10')).date).toBe('2026-02-10');
    expect(ecb.requestCount()).toBe(2);

    // Before the series: the history was read today, so it is not read again; there is simply no rate.
    const again = rates(ecb.url, { dataDir, now: hoursLater(3) });
    const failure = await failureOf(again.source.dayFor('2025-12-31'));
    expect(failure.exitCode).toBe(ExitCode.DataSourceFailed);
    expect(failure.message).toBe('ECB published no reference rates on or before 2025-12-31 (its series starts on 2026-01-02)');
    expect(ecb.requestCount()).toBe(2);
  });

  it('a newer date than the feed publishes notes how old the rates are', async () => {
    const ecb = await server('2026-11-20');
    const { source, notes } = rates(ecb.url);
    // Friday 20 November for Tuesday 1 December: 11 days older.
    expect((await source.dayFor('2026-12-01')).date).toBe('2026-11-20');
    expect(notes).toEqual(['the ECB rates used for 2026-12-01 are those of 2026-11-20, 11 days older']);
  });
});

describe('ECB rates: a clock that was wrong', () => {
  /** A run on 5 January 2027 (a clock ahead of time) against a feed whose newest day is Monday 30 November 2026. */
  async function cachedFromTheFuture(): Promise<{ ecb: EcbServer; dataDir: string }> {
    const ecb = await server('2026-11-30');
    const future = rates(ecb.url, { now: new Date('2027-01-05T10:00:00Z') });
    // Nothing newer than 30 November was published: 5 January 2027 takes it.
    expect((await future.source.dayFor('2027-01-05')).date).toBe('2026-11-30');
    return { ecb, dataDir: future.dataDir };
  }

  it('a read by a clock ahead of time does not make the cache answer later dates once the clock is right', async () => {
    const { ecb, dataDir } = await cachedFromTheFuture();
    // The clock is right again: Friday 11 December 2026, the feed now up to Thursday 10 December.
    ecb.days = businessDays('2026-12-10');
    const fixed = rates(ecb.url, { dataDir, now: new Date('2026-12-11T10:00:00Z') });
    // Weekdays before 10 December: 236 up to 27 November (see above), then 30 November to 9 December = 8: 1.0700 + 0.0244.
    expect(await fixed.source.dayFor('2026-12-10')).toEqual({ date: '2026-12-10', perEur: { usd: '1.0944', gbp: '0.8400' } });
    // The days between the two reads were never read: the 90-day feed fills them in.
    expect((await fixed.source.dayFor('2026-12-04')).date).toBe('2026-12-04');
    expect(fixed.notes).toEqual([]);
  });

  it('a read stamped later than now is stale: the next run reads the feed again', async () => {
    const { ecb, dataDir } = await cachedFromTheFuture();
    expect(ecb.requestCount()).toBe(1);
    ecb.days = businessDays('2026-12-10');
    const fixed = rates(ecb.url, { dataDir, now: new Date('2026-12-11T10:00:00Z') });
    // Past the newest cached day: "read less than a day ago" must not hold for a read dated 2027.
    expect((await fixed.source.dayFor('2026-12-11')).date).toBe('2026-12-10');
    expect(ecb.requestCount('eurofxref-daily.xml')).toBe(2);
    // The new read replaces the future stamp: an hour later nothing is read again.
    const hourLater = rates(ecb.url, { dataDir, now: new Date('2026-12-11T11:00:00Z') });
    expect((await hourLater.source.dayFor('2026-12-11')).date).toBe('2026-12-10');
    expect(ecb.requestCount()).toBe(2);
  });

  it('a cache written before coverage ended at the newest published day answers nothing past that day', async () => {
    const ecb = await server('2026-12-10');
    const dataDir = mkdtempSync(join(tmpdir(), 'kpi-ecb-'));
    mkdirSync(join(dataDir, 'rates'));
    // As kpi wrote it when a read on 5 January 2027 counted everything up to the day before as complete.
    const poisoned = {
      format: 'kpi-ecb-rates',
      version: 1,
      fetched_at: { daily: '2027-01-05T10:00:00.000Z' },
      covered: [{ from: '2026-11-30', to: '2027-01-04' }],
      days: [{ date: '2026-11-30', per_eur: { usd: '1.0936', gbp: '0.8400' } }],
    };
    writeFileSync(ecbCachePath(dataDir), JSON.stringify(poisoned));
    const { source } = rates(ecb.url, { dataDir, now: new Date('2026-12-11T10:00:00Z') });
    expect((await source.dayFor('2026-12-10')).date).toBe('2026-12-10');
    expect((await source.dayFor('2026-12-04')).date).toBe('2026-12-04');
  });
});

describe('ECB rates: failures', () => {
  async function cachedOnTuesday(): Promise<{ ecb: EcbServer; dataDir: string; bytes: Buffer }> {
    const ecb = await server();
    const { source, dataDir } = rates(ecb.url);
    await source.dayFor('2026-12-01');
    return { ecb, dataDir, bytes: readFileSync(ecbCachePath(dataDir)) };
  }

  it.each([
    ['http-500', 'answered HTTP 500 Internal Server Error'],
    ['malformed', 'is not an ECB reference rates file: line'],
  ] as const)('a feed that answers %s leaves the cache byte for byte and falls back to it with a note', async (fault, reason) => {
    const { ecb, dataDir, bytes } = await cachedOnTuesday();
    ecb.fault = fault;
    ecb.days = businessDays('2026-12-03');
    const later = rates(ecb.url, { dataDir, now: hoursLater(48) });
    // Said to be a fallback: a snapshot must not pin rates that only stood in for the date.
    expect(await later.source.dayFor('2026-12-03')).toEqual({ date: '2026-11-30', perEur: { usd: '1.0936', gbp: '0.8400' }, fallback: true });
    expect(readFileSync(ecbCachePath(dataDir)).equals(bytes)).toBe(true);
    expect(later.notes).toHaveLength(1);
    expect(later.notes[0]).toContain(`${ecb.url}eurofxref-daily.xml`);
    expect(later.notes[0]).toContain(reason);
    expect(later.notes[0]).toContain('using the cached ECB rates of 2026-11-30 for 2026-12-03 (the cache was last updated 2 days ago)');
    // The failed feed is not asked again for the next date of the same run.
    await later.source.dayFor('2026-12-02');
    expect(ecb.requestCount('eurofxref-daily.xml')).toBe(2);
  });

  it('a feed that never answers times out and falls back to the cache', async () => {
    const { ecb, dataDir, bytes } = await cachedOnTuesday();
    ecb.fault = 'hang';
    const later = rates(ecb.url, { dataDir, now: hoursLater(26), timeoutMs: 200 });
    expect((await later.source.dayFor('2026-12-02')).date).toBe('2026-11-30');
    expect(later.notes[0]).toContain(`${ecb.url}eurofxref-daily.xml did not answer within 0.2 s: using the cached ECB rates of 2026-11-30`);
    expect(readFileSync(ecbCachePath(dataDir)).equals(bytes)).toBe(true);
  });

  it('unreachable with no cache: exit 1 naming the date, the feed, the reason and the cache, and no cache file', async () => {
    const ecb = await server();
    await ecb.close();
    servers.splice(servers.indexOf(ecb), 1);
    const { source, dataDir } = rates(ecb.url);
    const failure = await failureOf(source.dayFor('2026-12-01'));
    expect(failure).toBeInstanceOf(EcbRatesError);
    expect(failure.exitCode).toBe(ExitCode.DataSourceFailed);
    expect(failure.message).toBe(
      `no ECB rates for 2026-12-01: ${ecb.url}eurofxref-daily.xml could not be reached (connect ECONNREFUSED ${new URL(ecb.url).host}), and the rates cache ${ecbCachePath(dataDir)} has none on or before 2026-12-01`,
    );
    expect(failure.hint).toBe('--offline would not help (it reads only that cache): check the network or KPI_ECB_URL and run again.');
    expect(existsSync(ecbCachePath(dataDir))).toBe(false);
  });

  it('a feed over the size limit is refused while it arrives', async () => {
    const ecb = await server();
    const { source } = rates(ecb.url, { maxBodyBytes: 2000 });
    const failure = await failureOf(source.dayFor('2026-03-02'));
    expect(failure.message).toContain(`${ecb.url}eurofxref-hist.xml is too large (over the 2.0 kB limit)`);
  });

  it('credentials and query of KPI_ECB_URL are used but never shown', async () => {
    const ecb = await server();
    const withSecrets = ecb.url.replace('http://', 'http://reader:s3cret-pass@') + '?token=abcdef';
    expect((await rates(withSecrets).source.dayFor('2026-12-01')).date).toBe('2026-11-30');
    // A mirror that wants a token in the query or a password gets both with each feed file.
    expect(ecb.received).toEqual([
      { path: '/stats/eurofxref/eurofxref-daily.xml', query: '?token=abcdef', authorization: `Basic ${Buffer.from('reader:s3cret-pass').toString('base64')}` },
    ]);
    ecb.fault = 'http-500';
    const failure = await failureOf(rates(withSecrets).source.dayFor('2026-12-01'));
    expect(failure.message).toContain(`${ecb.url}eurofxref-daily.xml answered HTTP 500`);
    expect(`${failure.message} ${failure.hint}`).not.toMatch(/reader|s3cret|abcdef/);
  });
});

describe('ECB rates: offline', () => {
  it('with no cache: exit 1 saying there is none, and no request', async () => {
    const ecb = await server();
    const { source, dataDir } = rates(ecb.url, { offline: true });
    const failure = await failureOf(source.dayFor('2026-12-01'));
    expect(failure.exitCode).toBe(ExitCode.DataSourceFailed);
    expect(failure.message).toBe(`no ECB rates for 2026-12-01 offline: there is no rates cache yet (${ecbCachePath(dataDir)})`);
    expect(failure.hint).toBe('Run once without --offline to fetch the ECB rates.');
    expect(ecb.requestCount()).toBe(0);
  });

  it('with an unusable cache: exit 1 saying so', async () => {
    const ecb = await server();
    const dataDir = mkdtempSync(join(tmpdir(), 'kpi-ecb-'));
    mkdirSync(join(dataDir, 'rates'));
    writeFileSync(ecbCachePath(dataDir), '{"format":"kpi-ecb-rates","version":99}');
    const { source, notes } = rates(ecb.url, { dataDir, offline: true });
    const failure = await failureOf(source.dayFor('2026-12-01'));
    expect(failure.message).toBe(`no ECB rates for 2026-12-01 offline: the rates cache ${ecbCachePath(dataDir)} is unusable`);
    expect(notes).toEqual([`the ECB rates cache ${ecbCachePath(dataDir)} is unusable (not a kpi rates cache of this version) and is ignored`]);
  });

  it('uses the cache however old, and says how old', async () => {
    const ecb = await server();
    const online = rates(ecb.url);
    await online.source.dayFor('2026-12-01');
    const offline = rates(ecb.url, { dataDir: online.dataDir, offline: true, now: hoursLater(9 * 24) });
    // Thursday 10 December answered by Monday 30 November: 10 days older.
    expect(await offline.source.dayFor('2026-12-10')).toEqual({ date: '2026-11-30', perEur: { usd: '1.0936', gbp: '0.8400' }, fallback: true });
    // The day the cache holds for sure is an answer, not a fallback.
    expect(await offline.source.dayFor('2026-11-30')).toEqual({ date: '2026-11-30', perEur: { usd: '1.0936', gbp: '0.8400' } });
    expect(offline.notes).toEqual(['offline: the ECB rates cache was last updated 9 days ago', 'the ECB rates used for 2026-12-10 are those of 2026-11-30, 10 days older']);
    const failure = await failureOf(offline.source.dayFor('2026-11-01'));
    expect(failure.message).toBe(`no ECB rates for 2026-11-01 offline: the rates cache ${ecbCachePath(online.dataDir)} has none on or before it (it starts on 2026-11-30)`);
    expect(ecb.requestCount()).toBe(1);
  });
});

describe('KPI_ECB_URL', () => {
  it('defaults to ECB and takes a folder with or without its final slash', () => {
    expect(ecbBaseUrl({}).href).toBe('https://www.ecb.europa.eu/stats/eurofxref/');
    expect(ecbBaseUrl({ KPI_ECB_URL: 'https://mirror.example/ecb' }).href).toBe('https://mirror.example/ecb/');
    expect(ecbBaseUrl({ KPI_ECB_URL: 'http://localhost:8080/' }).href).toBe('http://localhost:8080/');
  });

  it.each([
    ['http://mirror.example/ecb/', 'KPI_ECB_URL must be an https URL (plain http only to this machine): got http://mirror.example/ecb/'],
    ['ftp://mirror.example/ecb/', 'KPI_ECB_URL must be an https URL (plain http only to this machine)'],
    ['http://user:pw1234@mirror.example/?key=k3y-value', 'KPI_ECB_URL must be an https URL (plain http only to this machine): got http://mirror.example/'],
    ['mirror.example/ecb', 'KPI_ECB_URL is not a URL'],
    // No scheme: read as the scheme "reader:", or not a URL at all; either way no URL redaction would find
    // the password and token in it, so the value is not repeated.
    ['reader:s3cret-pass@mirror.example/ecb?token=abcdef', 'KPI_ECB_URL must be an https URL (plain http only to this machine)'],
    ['https://reader:s3cret-pass@[mirror/?token=abcdef', 'KPI_ECB_URL is not a URL'],
  ])('refuses %s with exit 2', (value, message) => {
    let failure: unknown;
    try {
      ecbBaseUrl({ KPI_ECB_URL: value });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as UsageError).exitCode).toBe(ExitCode.BadInput);
    expect((failure as UsageError).message).toBe(message);
    expect((failure as UsageError).hint).toBe('Set it to an https URL of the folder holding the ECB feeds (plain http only to this machine), e.g. https://www.ecb.europa.eu/stats/eurofxref/');
    expect(`${(failure as UsageError).message} ${(failure as UsageError).hint}`).not.toMatch(/reader|s3cret|abcdef/);
  });

  it('is checked when the rates are opened, before any request', () => {
    expect(() => rates('http://mirror.example/ecb/')).toThrow(UsageError);
  });
});
