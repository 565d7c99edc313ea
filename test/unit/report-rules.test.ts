import { describe, expect, it } from 'vitest';
import { isValidTimeZone, resolvePeriod } from '../../src/scoreboard/periods.js';
import { failsOn, statusOf, trendOf } from '../../src/scoreboard/status.js';
import type { RecordedReport } from '../../src/scoreboard/history.js';
import { buildKpiReport } from '../../src/app/kpi-report.js';
import { reportSchema } from '../../src/scoreboard/kpi-config.js';
import type { KpiConfig } from '../../src/config/schema.js';
import { parseAmount } from '../../src/scoreboard/sources/csv-source.js';
import { pointTo } from '../../src/scoreboard/sources/json-source.js';

const period = (name: string, now: string, timeZone = 'UTC', fiscalYearStartMonth = 1) => {
  const result = resolvePeriod(name, new Date(now), { timeZone, fiscalYearStartMonth });
  return [result.start.toISOString(), result.end.toISOString(), result.quarter];
};

describe('periods', () => {
  it('weeks run Monday to Monday in the report time zone', () => {
    expect(period('this_week', '2026-11-22T23:30:00Z')).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z', '2026-Q4']);
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin (UTC+1 in November): a new week there.
    expect(period('this_week', '2026-11-22T23:30:00Z', 'Europe/Berlin')).toEqual(['2026-11-22T23:00:00.000Z', '2026-11-29T23:00:00.000Z', '2026-Q4']);
    expect(period('last_week', '2026-11-16T00:00:00Z')).toEqual(['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z', '2026-Q4']);
    // Across the year end: Friday 2027-01-01 belongs to the week of Monday 2026-12-28.
    expect(period('this_week', '2027-01-01T12:00:00Z').slice(0, 2)).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
  });

  it('quarters are calendar quarters unless a fiscal year start is set', () => {
    expect(period('this_quarter', '2026-11-22T12:00:00Z')).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2026-Q4']);
    expect(period('last_quarter', '2026-01-05T12:00:00Z')).toEqual(['2025-10-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2025-Q4']);
    // 23:30 UTC on 31 March is 1 April in Tokyo: the second quarter there.
    expect(period('this_quarter', '2026-03-31T23:30:00Z', 'Asia/Tokyo')).toEqual(['2026-03-31T15:00:00.000Z', '2026-06-30T15:00:00.000Z', '2026-Q2']);
    // Fiscal year from February: Nov-Jan is its fourth quarter, in the fiscal year ending January 2027.
    expect(period('this_quarter', '2026-11-22T12:00:00Z', 'UTC', 2)).toEqual(['2026-11-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z', '2027-Q4']);
    expect(period('this_year', '2026-01-15T12:00:00Z', 'UTC', 2).slice(0, 2)).toEqual(['2025-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(period('this_year', '2026-06-15T12:00:00Z').slice(0, 2)).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('time zones are the IANA names ICU knows, UTC among them', () => {
    for (const zone of ['UTC', 'utc', 'Etc/UTC', 'Europe/Amsterdam', 'America/New_York']) expect(isValidTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', '', 'UTC+1', 'Europe/Amsterdam ']) expect(isValidTimeZone(zone), zone).toBe(false);
  });

  it('months and rolling days', () => {
    // New York is UTC-5 in December.
    expect(period('this_month', '2026-12-31T23:30:00Z', 'America/New_York').slice(0, 2)).toEqual(['2026-12-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z']);
    expect(period('last_month', '2026-01-10T00:00:00Z').slice(0, 2)).toEqual(['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(period('last_30_days', '2026-11-22T12:00:00Z').slice(0, 2)).toEqual(['2026-10-23T12:00:00.000Z', '2026-11-22T12:00:00.000Z']);
  });
});

describe('status', () => {
  it('higher is better: green at target, yellow within the slack, red beyond', () => {
    expect(statusOf(100, 100, 'higher', 10)).toBe('green');
    expect(statusOf(90, 100, 'higher', 10)).toBe('yellow'); // exactly 10 % short
    expect(statusOf(89.9, 100, 'higher', 10)).toBe('red');
    expect(statusOf(120, 100, 'higher', 10)).toBe('green');
  });

  it('lower is better: the mirror image', () => {
    expect(statusOf(5, 5, 'lower', 20)).toBe('green');
    expect(statusOf(6, 5, 'lower', 20)).toBe('yellow'); // 20 % over
    expect(statusOf(6.1, 5, 'lower', 20)).toBe('red');
    expect(statusOf(2, 5, 'lower', 20)).toBe('green');
  });

  it('a target of 0 has no yellow band: 10 % of 0 is 0, so anything short of it is red', () => {
    expect(statusOf(0, 0, 'lower', 10)).toBe('green');
    expect(statusOf(1, 0, 'lower', 10)).toBe('red');
    expect(statusOf(-3, 0, 'higher', 10)).toBe('red');
    expect(statusOf(2, 0, 'higher', 10)).toBe('green');
  });

  it('trends and --fail-on', () => {
    expect(trendOf(10, 12)).toBe('up');
    expect(trendOf(10, 8)).toBe('down');
    expect(trendOf(10, 10)).toBe('flat');
    expect(trendOf(undefined, 10)).toBeNull();
    expect(failsOn(['green', 'yellow'], 'red')).toBe(false);
    expect(failsOn(['green', 'yellow'], 'yellow')).toBe(true);
    expect(failsOn(['red', 'not_configured'], 'red')).toBe(true);
    expect(failsOn(['error', 'no_target'], 'yellow')).toBe(false);
  });
});

describe('KPI targets', () => {
  const reportWith = (kpis: unknown[], history: RecordedReport[] = []) =>
    buildKpiReport({} as KpiConfig, reportSchema.parse({ kpis }), {
      now: new Date('2026-11-16T00:00:00Z'),
      env: {},
      baseDir: '.',
      allowCommands: false,
      stripe: async () => ({}),
      stripeWeekAgo: async () => null,
      history,
    });

  it("keeps each KPI's recorded values in its unit and currency, oldest first, the newest 26", async () => {
    const record = (day: number, kpis: RecordedReport['kpis']): RecordedReport => ({ recorded_at: `2026-05-${String(day).padStart(2, '0')}T09:00:00.000Z`, kpis });
    const entry = (value: number | null, unit = 'count', currency: string | null = null) => ({ value, unit, currency, status: 'green', period_start: null, period_end: null });
    // 30 records of mqls 1..30, one of them null (day 5) and one in another unit (day 6):
    // 28 usable values, of which the newest 26 are days 3, 4, 7..30.
    const history = Array.from({ length: 30 }, (_, index) =>
      record(index + 1, {
        mqls: index === 4 ? entry(null) : index === 5 ? entry(6, 'percent') : entry(index + 1),
        mrr: entry(1000 + index, 'money', index % 2 === 0 ? 'usd' : 'eur'),
      }),
    );
    const report = await reportWith(
      [
        { id: 'mqls', name: 'MQLs', unit: 'count', source: { type: 'value', value: 31 }, target: 10 },
        { id: 'mrr', name: 'MRR', unit: 'money', currency: 'usd', source: { type: 'value', value: 2000 }, target: 10 },
        { id: 'fresh', name: 'Fresh', unit: 'count', source: { type: 'value', value: 1 }, target: 1 },
      ],
      history,
    );
    const [mqls, mrr, fresh] = report.results;
    expect(mqls!.history.map((point) => point.value)).toEqual([3, 4, ...Array.from({ length: 24 }, (_, index) => index + 7)]);
    expect(mqls!.history[0]!.recordedAt).toBe('2026-05-03T09:00:00.000Z');
    expect(mqls!.trend).toMatchObject({ direction: 'up', previous: 30 });
    // Only the usd records (even indexes 0, 2, ..., 28: values 1000, 1002, ..., 1028), 15 of them.
    expect(mrr!.history.map((point) => point.value)).toEqual(Array.from({ length: 15 }, (_, index) => 1000 + 2 * index));
    expect(fresh!.history).toEqual([]);
  });

  it('0 is a target like any other, as a number or per quarter', async () => {
    const report = await reportWith([
      { id: 'incidents', name: 'Incidents', unit: 'count', source: { type: 'value', value: 2 }, target: 0, direction: 'lower' },
      { id: 'none', name: 'No incidents', unit: 'count', source: { type: 'value', value: 0 }, target: 0, direction: 'lower' },
      { id: 'net', name: 'Net change', unit: 'count', source: { type: 'value', value: -1 }, target: { '2026-Q4': 0 } },
      { id: 'untargeted', name: 'Untargeted', unit: 'count', source: { type: 'value', value: 5 } },
    ]);
    expect(report.results.map((result) => [result.id, result.target, result.status, result.reason])).toEqual([
      ['incidents', 0, 'red', null],
      ['none', 0, 'green', null],
      ['net', 0, 'red', null],
      ['untargeted', null, 'no_target', 'no target set'],
    ]);
  });
});

describe('CSV amounts and JSON pointers', () => {
  it.each([
    ['$48,000.00', '48000'],
    ['12,000', '12000'],
    ['1 234.50 USD', '2469/2'],
    ['€ 99', '99'],
    ["1'000.25", '4001/4'],
    ['(2,000.00)', '-2000'],
    ['-15.5', '-31/2'],
  ])('reads %s', (text, exact) => {
    expect(parseAmount(text)?.toString()).toBe(exact);
  });

  // A decimal comma or a stray comma is not guessed at: "1,5" is not 15, "1.234,50" is not 1.23.
  it.each(['TBD', '', '12.3.4', '1,2a', '1,5', '€1.234,50', '12,34,567'])('refuses %j', (text) => {
    expect(parseAmount(text)).toBeNull();
  });

  it('walks RFC 6901 pointers', () => {
    const document = { a: [{ 'b/c': 1, 'd~e': 2 }], '': 3 };
    expect(pointTo(document, '/a/0/b~1c')).toBe(1);
    expect(pointTo(document, '/a/0/d~0e')).toBe(2);
    expect(pointTo(document, '/')).toBe(3);
    expect(pointTo(document, '')).toBe(document);
    expect(pointTo(document, '/a/1')).toBeUndefined();
    expect(pointTo(document, '/a/x')).toBeUndefined();
    // An array's length is not data.
    expect(pointTo(document, '/a/length')).toBeUndefined();
  });
});

describe('the unit a stripe metric comes in', () => {
  const kpiWith = (metric: string, unit: string) => ({ id: 'k', name: 'K', unit, source: { type: 'stripe', metric } });
  const problems = (metric: string, unit: string) => {
    const parsed = reportSchema.safeParse({ kpis: [kpiWith(metric, unit)] });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  // A past-due share of 17.85 read as money, or 200,000 minor units of MRR set to end shown
  // as "2,000 %", would be a confident wrong number: the unit is the metric's.
  it.each([
    ['past_due_share', 'money', 'percent'],
    ['past_due_share', 'count', 'percent'],
    ['scheduled_to_end_mrr', 'percent', 'money'],
    ['scheduled_to_end_mrr', 'count', 'money'],
  ])('refuses %s in unit %s', (metric, unit, expected) => {
    expect(problems(metric, unit)).toEqual([`kpis.0.unit: must be ${expected} for the stripe metric ${metric}`]);
  });

  it.each([
    ['past_due_share', 'percent'],
    ['scheduled_to_end_mrr', 'money'],
  ])('takes %s in unit %s', (metric, unit) => {
    expect(problems(metric, unit)).toEqual([]);
  });
});
