import type { KpiConfig } from '../config/schema.js';
import type { SnapshotFile } from '../snapshots/snapshot-format.js';
import type { StoredSnapshot } from '../snapshots/snapshot-store.js';
import { mrrMovements, type MovementsReport } from './mrr-movements.js';
import { snapshotPair } from './snapshot-pair.js';
import { weeklyArr, type WeeklyArrSeries } from './weekly-arr.js';
import type { RatesAt } from './reporting-rates.js';

/** Like `kpi arr --weekly`: what the report's ARR chart shows. */
export const REPORT_WEEKS = 8;

/** A snapshot taken a little late still counts as last week's: the same rule as the report's week-ago ARR. */
const ABOUT_A_WEEK_MS = 6 * 86_400_000;

export interface ReportPictures {
  weekly: WeeklyArrSeries;
  movements: MovementsReport | null;
  /** Why there are no movements, in a sentence for the reader. */
  movementsOmitted: string | null;
}

/**
 * The figures behind the HTML report's charts, from the setup's snapshots (one account's,
 * oldest first): ARR for the last weeks, and the MRR movements between the snapshot about a
 * week before the newest and the newest.
 */
export async function reportPictures(
  config: KpiConfig,
  snapshots: readonly StoredSnapshot[],
  now: Date,
  load: (path: string) => SnapshotFile,
  ratesAt: RatesAt,
): Promise<ReportPictures> {
  const weekly = await weeklyArr(config, { now, weeks: REPORT_WEEKS, backfill: false, snapshots: [...snapshots], load: (snapshot) => load(snapshot.path), ratesAt });
  const newest = snapshots.at(-1);
  const weekBefore = newest ? snapshots.filter((snapshot) => snapshot.takenAt * 1000 <= newest.takenAt * 1000 - ABOUT_A_WEEK_MS).at(-1) : undefined;
  if (!newest || !weekBefore) {
    const why = snapshots.length === 0 ? 'there is none' : snapshots.length === 1 ? 'there is only one' : 'the ones there are lie closer together';
    return { weekly, movements: null, movementsOmitted: `MRR movements need two snapshots about a week apart; ${why}. Take one a week with \`kpi snapshot\`.` };
  }
  const pair = snapshotPair(snapshots, new Date(weekBefore.takenAt * 1000), new Date(newest.takenAt * 1000), load, { from: 'a week before', to: 'the newest', where: 'the snapshots' }, (message) => new Error(message));
  const movements = await mrrMovements(config, pair.start, pair.end, now, pair.earlier, { ratesAt });
  return { weekly, movements, movementsOmitted: null };
}
