import type { KpiConfig } from '../config/schema.js';
import { growthPercent, metTarget } from '../history/growth.js';
import { reconstructAccountAt } from '../history/reconstruct.js';
import { lastWeeks, weekContaining, type Week } from '../history/weeks.js';
import type { RevenueReport } from '../revenue/revenue-report.js';
import type { SnapshotFile } from '../snapshots/snapshot-format.js';
import { snapshotAccount, snapshotReader } from '../snapshots/snapshot-reader.js';
import type { StoredSnapshot } from '../snapshots/snapshot-store.js';
import { AccountFileReader } from '../sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../sources/stripe/wire-source.js';
import { sameRates, type ExchangeRates } from '../money/exchange-rates.js';
import { computeRevenue } from './compute-revenue.js';
import { NO_ECB_SOURCE, ratesAtFor, ratesForSnapshot, type RatesAt } from './reporting-rates.js';

export type WeekBasis = 'snapshot' | 'reconstructed' | 'missing';

export interface WeeklyArrRow {
  week: Week;
  basis: WeekBasis;
  /** The snapshot the week's figure comes from (the latest taken within the week). */
  snapshot: StoredSnapshot | null;
  report: RevenueReport | null;
  /** Growth of the headline figure (one currency, or converted), in percent. */
  growthPercent: number | null;
  growthPercentByCurrency: Record<string, number | null>;
  met: boolean | null;
  metByCurrency: Record<string, boolean | null>;
  /** The rates the week's figure is converted with (the first week's at constant currency); null without conversion. */
  rates: ExchangeRates | null;
  /**
   * How much of the growth came from rates alone: this week's ARR at this week's rates
   * minus at last week's. 0 at constant currency; null without conversion or a last week.
   */
  fx: bigint | null;
}

export interface WeeklyArrSeries {
  targetPercent: number;
  rows: WeeklyArrRow[];
  /** The snapshot reconstructed weeks were derived from, when `--backfill` was used. */
  reconstructedFrom: StoredSnapshot | null;
  /** At constant currency: the first shown week's rates, which every week is converted with. */
  constantCurrency: ExchangeRates | null;
}

export interface WeeklyArrOptions {
  now: Date;
  weeks: number;
  backfill: boolean;
  snapshots: StoredSnapshot[];
  load(snapshot: StoredSnapshot): SnapshotFile;
  /** For `backfill` without any snapshot: the account read just now. */
  newest?: SnapshotFile;
  /** The rates at a moment, for weeks whose snapshot pinned none (default: the config's fixed rates only). */
  ratesAt?: RatesAt;
  /** Every week at the first shown week's rates: growth without currency effects. */
  constantCurrency?: boolean;
}

/**
 * ARR per week from the snapshots: each week's figure is the latest snapshot taken after
 * the week began and at or before its end (so a snapshot taken on Monday at 00:00 closes
 * the week before). Weeks without one are missing (never invented), unless `backfill`
 * asks to reconstruct them from the newest snapshot's lifecycle dates, labelled as such.
 * The series ends with the current week if it has a snapshot yet, else with the last one.
 */
export async function weeklyArr(config: KpiConfig, options: WeeklyArrOptions): Promise<WeeklyArrSeries> {
  const now = Math.floor(options.now.getTime() / 1000);
  const usable = options.snapshots.filter((snapshot) => snapshot.takenAt <= now);
  const closes = (week: Week) => (snapshot: StoredSnapshot) => snapshot.takenAt > week.start && snapshot.takenAt <= week.end;
  const current = weekContaining(now);
  const weeks = lastWeeks(usable.some(closes(current)) ? now : current.start - 1, options.weeks);
  let newestFile: SnapshotFile | null = options.newest ?? null;
  const newest = usable.at(-1) ?? (newestFile ? { path: 'Stripe (read now)', takenAt: newestFile.taken_at } : null);
  // The newest snapshot gives its own week and every reconstructed one: it is read once.
  const loadNewest = (snapshot: StoredSnapshot) => (newestFile ??= options.load(snapshot));

  const ratesAt = options.ratesAt ?? ratesAtFor(config, NO_ECB_SOURCE);
  const valued: Array<{ week: Week; basis: WeekBasis; snapshot: StoredSnapshot | null; source: WireBillingSource | null; rates: ExchangeRates | null }> = [];
  for (const week of weeks) {
    const snapshot = [...usable].reverse().find(closes(week)) ?? null;
    if (snapshot) {
      const file = snapshot === newest ? loadNewest(snapshot) : options.load(snapshot);
      const source = new WireBillingSource(snapshotReader(file, snapshot.path), describeSnapshot(file), file.taken_at);
      valued.push({ week, basis: 'snapshot', snapshot, source, rates: await ratesForSnapshot(file, config, ratesAt) });
    } else if (options.backfill && newest && newest.takenAt > week.start) {
      const newestSnapshot = loadNewest(newest);
      // The end of the week, or now for the current one.
      const at = Math.min(week.end, now);
      const base = snapshotAccount(newestSnapshot, newest.path);
      const reader = new AccountFileReader(reconstructAccountAt(base, at));
      const source = new WireBillingSource(reader, `reconstructed from ${describeSnapshot(newestSnapshot)}`, at);
      // The rates in force on the week's last day (the week's end itself is next Monday).
      valued.push({ week, basis: 'reconstructed', snapshot: null, source, rates: await ratesAt(new Date((Math.min(week.end - 1, now)) * 1000)) });
    } else {
      valued.push({ week, basis: 'missing', snapshot, source: null, rates: null });
    }
  }
  const constantCurrency = options.constantCurrency ? (valued.find((entry) => entry.source !== null)?.rates ?? null) : null;

  const rows: WeeklyArrRow[] = [];
  for (const { week, basis, snapshot, source, rates: ownRates } of valued) {
    const rates = constantCurrency ?? ownRates;
    const report = source ? await arrOf(source, config, options.now, rates) : null;
    const previous = rows.at(-1);
    let fx: bigint | null = null;
    if (source && report && rates && previous?.report && previous.rates) {
      fx = sameRates(previous.rates, rates) ? 0n : fxOf(report, await arrOf(source, config, options.now, previous.rates));
    }
    rows.push({ week, basis, snapshot, report, growthPercent: null, growthPercentByCurrency: {}, met: null, metByCurrency: {}, rates, fx });
  }

  const target = config.arr.weeklyGrowthTargetPercent;
  rows.forEach((row, index) => {
    const previous = index > 0 ? rows[index - 1]?.report : null;
    if (!row.report) return;
    for (const currency of Object.keys(row.report.amount.byCurrency)) {
      row.growthPercentByCurrency[currency] = null;
      row.metByCurrency[currency] = null;
    }
    if (!previous) return;
    row.growthPercent = growthPercent(previous.amount.total, row.report.amount.total);
    row.met = metTarget(row.growthPercent, target);
    for (const currency of Object.keys(row.report.amount.byCurrency)) {
      const growth = growthPercent(previous.amount.byCurrency[currency], row.report.amount.byCurrency[currency]);
      row.growthPercentByCurrency[currency] = growth;
      row.metByCurrency[currency] = metTarget(growth, target);
    }
  });
  const reconstructedFrom = rows.some((row) => row.basis === 'reconstructed') ? newest : null;
  return { targetPercent: target, rows, reconstructedFrom, constantCurrency };
}

function arrOf(source: WireBillingSource, config: KpiConfig, now: Date, rates: ExchangeRates | null): Promise<RevenueReport> {
  return computeRevenue(source, config, { measure: 'arr', explain: false, now, rates });
}

/** The week's converted ARR minus the same amounts at last week's rates, each rounded once from exact amounts. */
function fxOf(atOwnRates: RevenueReport, atLastWeeksRates: RevenueReport): bigint | null {
  const own = atOwnRates.amount.total;
  const last = atLastWeeksRates.amount.total;
  return own === null || last === null ? null : own - last;
}

export function describeSnapshot(file: SnapshotFile): string {
  return `snapshot of ${file.source} taken ${new Date(file.taken_at * 1000).toISOString()}`;
}
