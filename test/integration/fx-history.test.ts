import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mrrMovements, type DatedSnapshot } from '../../src/app/mrr-movements.js';
import { pinnedRates, ratesAtFor, ratesForSnapshot, requireReportingRates, type EcbQuoteSource } from '../../src/app/reporting-rates.js';
import { weeklyArr } from '../../src/app/weekly-arr.js';
import { parseConfig } from '../../src/config/load.js';
import { DataSourceError, UsageError } from '../../src/errors.js';
import { MOVEMENT_KINDS } from '../../src/history/movements.js';
import { renderMovementsDelimited, renderMovementsJson, renderMovementsTable } from '../../src/render/movements.js';
import { renderWeeklyArrDelimited, renderWeeklyArrJson, renderWeeklyArrTable } from '../../src/render/weekly-arr.js';
import { movementsOutputSchema, weeklyArrOutputSchema } from '../../src/schemas/output-schemas.js';
import type { PinnedRates, SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { snapshotSchema } from '../../src/snapshots/snapshot-schema.js';
import { readSnapshot, writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { isIsoDate, isPositiveDecimal } from '../../src/rates/ecb-day.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import type { WireSubscription } from '../../src/sources/stripe/wire.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { account, AS_OF, price, product, subscription } from '../support/account-builder.js';

const WEEK = 7 * 86_400;
// AS_OF is a Monday 00:00 UTC: snapshots on the two Sundays before it, at 17:00 UTC (after
// the ECB has published that day's rates, so the rates in force are that date's), each
// closing its week.
const START = AS_OF - WEEK - 7 * 3600;
const END = AS_OF - 7 * 3600;
const dayOf = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

const platform = product('FlowFuse Pro Platform - Cloud');
const usdMonthly = price(platform, { unitAmount: 42500 });
const eurMonthly = price(platform, { unitAmount: 39900, currency: 'eur' });
const eurSmall = price(platform, { unitAmount: 20000, currency: 'eur' });
const tiers = [{ name: 'Pro', rule: 'billed', products: ['FlowFuse Pro Platform - Cloud'] }];
const ecbConfig = parseConfig({ tiers, reporting: { currency: 'usd', rates: 'ecb' } }, 'test');

const stays = subscription({ customer: 'cus_usd', items: [{ price: usdMonthly }] });
const grows = subscription({ customer: 'cus_grows', currency: 'eur', items: [{ price: eurMonthly }] });
const leaves = subscription({ customer: 'cus_leaves', currency: 'eur', items: [{ price: eurMonthly }] });
const joins = subscription({ customer: 'cus_joins', currency: 'eur', created: END - 86_400, items: [{ price: eurSmall }] });
const grown: WireSubscription = { ...grows, items: { ...grows.items, data: [{ ...grows.items.data[0]!, quantity: 2 }] } };
const left: WireSubscription = { ...leaves, status: 'canceled', canceled_at: END - 86_400, ended_at: END - 86_400 };

/**
 * Amounts in cents. In EUR: 39,900 + 39,900 = 79,800 at the start; one subscription doubles
 * (+39,900 expansion), one leaves (-39,900 churn), one joins (+20,000 new): 99,800 at the end.
 * In USD: 42,500 at both ends.
 */
function snapshotAt(takenAt: number, subscriptions: WireSubscription[], exchangeRates?: PinnedRates): Promise<SnapshotFile> {
  const state = { ...account({ products: [platform], prices: [usdMonthly, eurMonthly, eurSmall], subscriptions }), as_of: takenAt };
  return takeSnapshot(new AccountFileReader(state), { takenAt, source: 'test', livemode: false, ...(exchangeRates ? { exchangeRates } : {}) });
}
const startSnapshot = () => snapshotAt(START, [stays, grows, leaves]);
const endSnapshot = (pinned?: PinnedRates) => snapshotAt(END, [stays, grown, left, joins], pinned);

/** A fake ECB: one euro buys `usd` dollars on each day asked for; it records the days it was asked. */
function fakeEcb(usdPerEur: Record<string, string>): EcbQuoteSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async dayFor(date) {
      asked.push(date);
      const usd = usdPerEur[date];
      if (usd === undefined) throw new Error(`no rates for ${date} in this test`);
      return { date, perEur: { usd, jpy: '160.5' } };
    },
  };
}

const dated = (file: SnapshotFile, path: string): DatedSnapshot => ({ requested: new Date(file.taken_at * 1000), file, path });

async function movementsWith(ecb: EcbQuoteSource, options: { constantCurrency?: boolean; pinnedAtEnd?: PinnedRates } = {}) {
  const [start, end] = await Promise.all([startSnapshot(), endSnapshot(options.pinnedAtEnd)]);
  return mrrMovements(ecbConfig, dated(start, 'start'), dated(end, 'end'), new Date(END * 1000), undefined, {
    ratesAt: ratesAtFor(ecbConfig, () => ecb),
    constantCurrency: options.constantCurrency ?? false,
  });
}

function partsOf(report: Awaited<ReturnType<typeof movementsWith>>): Record<'start' | 'end' | 'fx' | (typeof MOVEMENT_KINDS)[number], bigint> {
  const total = report.converted!.total;
  const movements = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, total.parts[kind].amount])) as Record<(typeof MOVEMENT_KINDS)[number], bigint>;
  return { start: total.start, end: total.end, ...movements, fx: report.converted!.fxAdjustment };
}

describe('movements of a two-currency account whose ECB rates move between two snapshots', () => {
  it('converts the movements at the start rates and shows the change from rates alone as fx', async () => {
    const report = await movementsWith(fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' }));
    // In cents: start = 42,500 + 79,800 EUR x 1.08 = 42,500 + 86,184 = 128,684 USD
    // end = 42,500 + 99,800 EUR x 1.10 = 42,500 + 109,780 = 152,280 USD
    // new 20,000 x 1.08 = 21,600; expansion 39,900 x 1.08 = 43,092; churn -43,092
    // fx = the EUR end amount x (1.10 - 1.08) = 99,800 x 0.02 = 1,996
    // 21,600 + 43,092 - 43,092 + 1,996 = 23,596 = 152,280 - 128,684
    expect(partsOf(report)).toEqual({ start: 128_684n, end: 152_280n, new: 21_600n, reactivation: 0n, expansion: 43_092n, contraction: 0n, churn: -43_092n, fx: 1_996n });
    expect(report.converted!.startRates).toEqual({ source: 'ecb', date: dayOf(START), quotes: { usd: '1.08' } });
    expect(report.converted!.endRates).toEqual({ source: 'ecb', date: dayOf(END), quotes: { usd: '1.10' } });
    // Each currency on its own is untouched by rates.
    expect(report.totals.map((line) => [line.currency, line.start, line.end])).toEqual([['eur', 79_800n, 99_800n], ['usd', 42_500n, 42_500n]]);
  });

  it('rounds the ends once and apportions the parts, fx included, so they add up to the rounded change', async () => {
    const report = await movementsWith(fakeEcb({ [dayOf(START)]: '1.0823', [dayOf(END)]: '1.1017' }));
    // In cents: start = 42,500 + 79,800 x 1.0823 = 42,500 + 86,367.54 = 128,867.54 -> 128,868
    // end = 42,500 + 99,800 x 1.1017 = 42,500 + 109,949.66 = 152,449.66 -> 152,450
    // exact parts: new 20,000 x 1.0823 = 21,646; expansion 39,900 x 1.0823 = 43,183.77; churn -43,183.77;
    //   fx 99,800 x (1.1017 - 1.0823) = 99,800 x 0.0194 = 1,936.12; they add up to 23,582.12 exactly.
    // Floors 21,646 + 43,183 - 43,184 + 1,936 = 23,581; the rounded change is 152,450 - 128,868 = 23,582:
    //   the one missing cent goes to the largest remainder (expansion's .77): 43,184.
    expect(partsOf(report)).toEqual({ start: 128_868n, end: 152_450n, new: 21_646n, reactivation: 0n, expansion: 43_184n, contraction: 0n, churn: -43_184n, fx: 1_936n });
    const { start, end, fx, ...movements } = partsOf(report);
    expect(Object.values(movements).reduce((sum, value) => sum + value, 0n) + fx).toBe(end - start);
  });

  it('at constant currency converts both ends at the start rates: fx is 0 and the output says so', async () => {
    const report = await movementsWith(fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' }), { constantCurrency: true });
    // In cents: end = 42,500 + 99,800 x 1.08 = 42,500 + 107,784 = 150,284; 21,600 + 43,092 - 43,092 = 21,600 = 150,284 - 128,684
    expect(partsOf(report)).toEqual({ start: 128_684n, end: 150_284n, new: 21_600n, reactivation: 0n, expansion: 43_092n, contraction: 0n, churn: -43_092n, fx: 0n });
    expect(report.converted!.endRates.date).toBe(dayOf(START));
    const table = renderMovementsTable(report, makePalette(false));
    expect(table).toContain(`at constant currency (rates of ${dayOf(START)})`);
    expect(JSON.parse(renderMovementsJson(report)).converted).toMatchObject({ constant_currency: true, fx_adjustment: 0 });
  });

  it('uses the rates a snapshot pinned, whatever the source says for that date', async () => {
    const ecb = fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' });
    const report = await movementsWith(ecb, { pinnedAtEnd: { source: 'ecb', date: '2026-11-13', per_eur: { usd: '1.12', jpy: '161.2' } } });
    // In cents: end = 42,500 + 99,800 x 1.12 = 42,500 + 111,776 = 154,276; fx = 99,800 x 0.04 = 3,992
    expect(partsOf(report)).toMatchObject({ end: 154_276n, fx: 3_992n });
    expect(report.converted!.endRates).toEqual({ source: 'ecb', date: '2026-11-13', quotes: { usd: '1.12' } });
    // Only the start, which pinned nothing, was looked up.
    expect(ecb.asked).toEqual([dayOf(START)]);
  });

  it('names the fx line and both ends\' rates in the table, JSON and CSV', async () => {
    const report = await movementsWith(fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' }));
    const document = JSON.parse(renderMovementsJson(report));
    expect(movementsOutputSchema.safeParse(document).success).toBe(true);
    expect(document.converted).toMatchObject({
      currency: 'usd',
      start_rates: { source: 'ecb', date: dayOf(START), quotes: { usd: '1.08' } },
      end_rates: { source: 'ecb', date: dayOf(END), quotes: { usd: '1.10' } },
      constant_currency: false,
      fx_adjustment: 1_996,
    });
    // As `conversion.rates` in the mrr JSON: USD per unit of each converted currency, at the start rates.
    expect(document.converted.rates).toEqual({ eur: '1.08' });
    expect(renderMovementsDelimited(report, 'csv')).toContain('Total in USD,fx,19.96,usd,,');
    const table = renderMovementsTable(report, makePalette(false));
    expect(table).toContain('FX');
    expect(table).toContain('+19.96 USD  1,522.80 USD');
    expect(table).toContain(`at the start with the ECB reference rates of ${dayOf(START)} (1 EUR = 1.08 USD) and at the end with the ECB reference rates of ${dayOf(END)} (1 EUR = 1.10 USD)`);
    expect(table).not.toContain('currency effects are 0');
  });

  it('gives converted.rates per unit of each currency, cross rates through the euro, as the mrr JSON does', async () => {
    // Reporting in GBP: the euro converts at its own quote, USD through the euro.
    const config = parseConfig({ tiers, reporting: { currency: 'gbp', rates: 'ecb' } }, 'test');
    const quotes: EcbQuoteSource = { dayFor: async (date) => ({ date, perEur: { usd: '1.08', gbp: '0.864' } }) };
    const [start, end] = await Promise.all([startSnapshot(), endSnapshot()]);
    const report = await mrrMovements(config, dated(start, 'start'), dated(end, 'end'), new Date(END * 1000), undefined, { ratesAt: ratesAtFor(config, () => quotes) });
    const converted = JSON.parse(renderMovementsJson(report)).converted;
    // 1 EUR = 0.864 GBP as quoted; 1 USD = 0.864 / 1.08 = 0.8 GBP through the euro.
    expect(converted.rates).toEqual({ eur: '0.864', usd: '0.800000' });
    expect(converted.start_rates.quotes).toEqual({ gbp: '0.864', usd: '1.08' });
  });

  it('with fixed rates has no currency effect', async () => {
    const config = parseConfig({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08' } } }, 'test');
    const [start, end] = await Promise.all([startSnapshot(), endSnapshot()]);
    const report = await mrrMovements(config, dated(start, 'start'), dated(end, 'end'), new Date(END * 1000));
    // In cents: end = 42,500 + 99,800 x 1.08 = 150,284, as at constant currency.
    expect(partsOf(report)).toMatchObject({ start: 128_684n, end: 150_284n, fx: 0n });
    expect(report.converted!.startRates).toEqual({ source: 'config', date: null, quotes: { eur: '1.08' } });
  });
});

describe('rates pinned per snapshot', () => {
  it('a snapshot taken with rates: ecb records the whole publication of its day, and reads back with it', async () => {
    const ecb = fakeEcb({ [dayOf(END)]: '1.10' });
    const notes: string[] = [];
    const pinned = await pinnedRates(ecbConfig, () => ecb, new Date(END * 1000), (note) => notes.push(note));
    expect(notes).toEqual([]);
    expect(pinned).toEqual({ source: 'ecb', date: dayOf(END), per_eur: { usd: '1.10', jpy: '160.5' } });
    const directory = mkdtempSync(join(tmpdir(), 'kpi-pinned-'));
    const file = readSnapshot(writeSnapshot(directory, await endSnapshot(pinned)));
    expect(file.exchange_rates).toEqual(pinned);
    // Read back later, the pinned rates convert it without asking the source again.
    const later = fakeEcb({});
    expect(await ratesForSnapshot(file, ecbConfig, ratesAtFor(ecbConfig, () => later))).toEqual({ currency: 'usd', source: 'ecb', date: dayOf(END), quoted: { usd: '1.10', jpy: '160.5' } });
    expect(later.asked).toEqual([]);
  });

  it('rates that only stood in for the date (the feed unreachable, the cache older) are not pinned: the note says so', async () => {
    // The feed could not be read: the cache's rates of 13 days before the snapshot's day stood in.
    const unreachable: EcbQuoteSource = { dayFor: async () => ({ date: '2026-11-03', perEur: { usd: '1.07' }, fallback: true }) };
    const notes: string[] = [];
    expect(await pinnedRates(ecbConfig, () => unreachable, new Date(END * 1000), (note) => notes.push(note))).toBeUndefined();
    expect(notes).toEqual([
      `the snapshot pins no exchange rates: the ECB rates of ${dayOf(END)} could not be read (those of 2026-11-03 stood in), so a history converts it at the ECB rates of ${dayOf(END)} once they can be read`,
    ]);
    // Read back later, the snapshot takes the rates of its own day, not the ones that stood in.
    const file = await endSnapshot(undefined);
    expect(await ratesForSnapshot(file, ecbConfig, ratesAtFor(ecbConfig, () => fakeEcb({ [dayOf(END)]: '1.10' })))).toMatchObject({ date: dayOf(END), quoted: { usd: '1.10' } });
  });

  it('nothing is pinned for fixed rates or without reporting', async () => {
    const ecb = fakeEcb({});
    expect(await pinnedRates(parseConfig({ tiers, reporting: { currency: 'usd', rates: { eur: '1.08' } } }, 'test'), () => ecb, new Date(END * 1000), () => {})).toBeUndefined();
    expect(await pinnedRates(parseConfig({ tiers }, 'test'), () => ecb, new Date(END * 1000), () => {})).toBeUndefined();
    expect(ecb.asked).toEqual([]);
  });

  it('a snapshot without pinned rates takes the ECB rates of the day it was taken', async () => {
    const ecb = fakeEcb({ [dayOf(START)]: '1.08' });
    const rates = await ratesForSnapshot(await startSnapshot(), ecbConfig, ratesAtFor(ecbConfig, () => ecb));
    expect(rates).toMatchObject({ source: 'ecb', date: dayOf(START), quoted: { usd: '1.08' } });
  });

  it.each([
    [{ source: 'ecb', date: '2026-13-01', per_eur: { usd: '1.08' } }, 'exchange_rates.date: must be a real calendar date written YYYY-MM-DD'],
    [{ source: 'ecb', date: '16/11/2026', per_eur: { usd: '1.08' } }, 'exchange_rates.date: must be a real calendar date written YYYY-MM-DD'],
    [{ source: 'ecb', date: '2026-11-16', per_eur: { USD: '1.08' } }, 'exchange_rates.per_eur.USD'],
    [{ source: 'ecb', date: '2026-11-16', per_eur: { usd: '-1.08' } }, 'exchange_rates.per_eur.usd: must be a positive decimal number such as "1.0823"'],
    [{ source: 'ecb', date: '2026-11-16', per_eur: { usd: '0.000' } }, 'exchange_rates.per_eur.usd: must be a positive decimal number such as "1.0823"'],
    [{ source: 'bank', date: '2026-11-16', per_eur: { usd: '1.08' } }, 'exchange_rates.source'],
  ])('a snapshot with malformed exchange_rates %j is a data error naming the file and field', async (exchangeRates, field) => {
    const file = { ...(await startSnapshot()), exchange_rates: exchangeRates };
    const path = join(mkdtempSync(join(tmpdir(), 'kpi-bad-rates-')), 'bad.json.gz');
    writeFileSync(path, gzipSync(JSON.stringify(file)));
    expect(() => readSnapshot(path)).toThrow(DataSourceError);
    expect(() => readSnapshot(path)).toThrow(`snapshot ${path} is damaged: ${field}`);
  });
});

describe('pinned rates are checked as the ECB feed is', () => {
  // A snapshot pins what the feed gave: a date or rate the feed (and the rates cache) would
  // refuse must not be taken from a snapshot, nor the other way round.
  it.each(['2026-11-16', '2024-02-29', '2026-02-29', '2026-13-01', '0001-01-01', '16/11/2026', '2026-1-16'])('the date %s', async (date) => {
    const file = { ...(await startSnapshot()), exchange_rates: { source: 'ecb', date, per_eur: { usd: '1.08' } } };
    expect(snapshotSchema.safeParse(file).success).toBe(isIsoDate(date));
  });

  it.each(['1.08', '162.35', '0.000', '-1.08', '1e3', '.5', '1.', ' 1.08', '0.0001'])('the rate %j', async (rate) => {
    const file = { ...(await startSnapshot()), exchange_rates: { source: 'ecb', date: '2026-11-16', per_eur: { usd: rate } } };
    expect(snapshotSchema.safeParse(file).success).toBe(isPositiveDecimal(rate));
  });
});

describe('weekly ARR with rates that move from week to week', () => {
  async function series(ecb: EcbQuoteSource, constantCurrency = false) {
    const files = new Map([
      ['start', await startSnapshot()],
      ['end', await endSnapshot()],
    ]);
    return weeklyArr(ecbConfig, {
      now: new Date(END * 1000),
      weeks: 2,
      backfill: false,
      snapshots: [...files].map(([path, file]) => ({ path, takenAt: file.taken_at })),
      load: (snapshot) => files.get(snapshot.path)!,
      ratesAt: ratesAtFor(ecbConfig, () => ecb),
      constantCurrency,
    });
  }

  it("converts each week at its snapshot's rates and shows how much of the growth came from rates alone", async () => {
    const weekly = await series(fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' }));
    // ARR = 12 x MRR, in cents. Week 1: 12 x 42,500 + 12 x 79,800 x 1.08 = 510,000 + 1,034,208 = 1,544,208 USD
    // Week 2: 510,000 + 12 x 99,800 x 1.10 = 510,000 + 1,317,360 = 1,827,360 USD
    // fx: week 2's EUR at 1.10 minus at 1.08 = 1,197,600 x 0.02 = 23,952
    // growth: (1,827,360 - 1,544,208) / 1,544,208 = 283,152 / 1,544,208 = 18.336 % -> 18.34
    expect(weekly.rows.map((row) => [row.report?.amount.total, row.fx, row.rates?.date, row.growthPercent])).toEqual([
      [1_544_208n, null, dayOf(START), null],
      [1_827_360n, 23_952n, dayOf(END), 18.34],
    ]);
    const document = JSON.parse(renderWeeklyArrJson(weekly, new Date(END * 1000)));
    expect(weeklyArrOutputSchema.safeParse(document).success).toBe(true);
    expect(document.weeks.map((week: { fx: number | null; rates: unknown }) => [week.fx, week.rates])).toEqual([
      // Each rate used is named: 1 EUR = 1.08 USD, then 1.10 (the euro's own quote, jpy not needed).
      [null, { source: 'ecb', date: dayOf(START), quotes: { usd: '1.08' } }],
      [23_952, { source: 'ecb', date: dayOf(END), quotes: { usd: '1.10' } }],
    ]);
    expect(document.constant_currency).toBeNull();
    const table = renderWeeklyArrTable(weekly, makePalette(false));
    expect(table).toContain('FX');
    expect(table).toContain('18.34 %  +239.52 USD');
    // CSV: the same fx and the rates' source and date, after the columns it always had.
    const csv = renderWeeklyArrDelimited(weekly, 'csv').split('\r\n');
    expect(csv[0]).toBe('week_start,week_end,basis,arr,currency,growth_percent,target_percent,met_target,fx,rates_source,rates_date');
    expect(csv.slice(1, 3).map((line) => line.split(',').slice(3))).toEqual([
      ['15442.08', 'usd', '', '10', '', '', 'ecb', dayOf(START)],
      ['18273.60', 'usd', '18.34', '10', 'yes', '239.52', 'ecb', dayOf(END)],
    ]);
  });

  it('CSV without reporting rates keeps each currency apart, its fx and rates columns empty', async () => {
    const config = parseConfig({ tiers }, 'test');
    const files = new Map([
      ['start', await startSnapshot()],
      ['end', await endSnapshot()],
    ]);
    const weekly = await weeklyArr(config, {
      now: new Date(END * 1000),
      weeks: 2,
      backfill: false,
      snapshots: [...files].map(([path, file]) => ({ path, takenAt: file.taken_at })),
      load: (snapshot) => files.get(snapshot.path)!,
    });
    // ARR = 12 x MRR: EUR 12 x 798.00 = 9,576.00 then 12 x 998.00 = 11,976.00; USD 12 x 425.00 = 5,100.00 both weeks.
    expect(renderWeeklyArrDelimited(weekly, 'tsv').split('\n').slice(1, 5).map((line) => line.split('\t').slice(3))).toEqual([
      ['9576.00', 'eur', '', '10', '', '', '', ''],
      ['5100.00', 'usd', '', '10', '', '', '', ''],
      ['11976.00', 'eur', '25.06', '10', 'yes', '', '', ''],
      ['5100.00', 'usd', '0.00', '10', 'no', '', '', ''],
    ]);
  });

  it('at constant currency converts every week at the first week\'s rates: fx 0, growth without currency effects', async () => {
    const weekly = await series(fakeEcb({ [dayOf(START)]: '1.08', [dayOf(END)]: '1.10' }), true);
    // Week 2 at 1.08, in cents: 510,000 + 1,197,600 x 1.08 = 510,000 + 1,293,408 = 1,803,408
    // growth: 259,200 / 1,544,208 = 16.785 % -> 16.79
    expect(weekly.rows.map((row) => [row.report?.amount.total, row.fx, row.rates?.date, row.growthPercent])).toEqual([
      [1_544_208n, null, dayOf(START), null],
      [1_803_408n, 0n, dayOf(START), 16.79],
    ]);
    expect(renderWeeklyArrTable(weekly, makePalette(false))).toContain(`at constant currency (rates of ${dayOf(START)})`);
    expect(JSON.parse(renderWeeklyArrJson(weekly, new Date(END * 1000))).constant_currency).toEqual({ source: 'ecb', date: dayOf(START), quotes: { usd: '1.08' } });
  });
});

describe('--constant-currency without reporting rates', () => {
  it('is a usage error naming what is missing', () => {
    const config = parseConfig({ tiers }, 'kpi.config.yaml');
    expect(() => requireReportingRates(config, '--constant-currency')).toThrow(UsageError);
    expect(() => requireReportingRates(config, '--constant-currency')).toThrow('--constant-currency needs reporting rates: config kpi.config.yaml has no "reporting" section');
  });
});
