import type { SnapshotFile } from '../snapshots/snapshot-format.js';
import type { DatedSnapshot, EarlierSnapshots } from './mrr-movements.js';

export interface SnapshotPair {
  start: DatedSnapshot;
  end: DatedSnapshot;
  /** The account's snapshots before the start, newest first: where win-backs are judged. */
  earlier: EarlierSnapshots;
}

/** How the two ends are named in a refusal: flags on the command line, the period in a report. */
export interface PairWording {
  from: string;
  to: string;
  /** Where the snapshots were looked for, and what to do when there are none. */
  where: string;
}

/**
 * The snapshots a period compares (`kpi mrr --from`, `kpi metrics`, a report's SaaS metric):
 * of one account's ordered history, the latest taken at or before each end. Refusals go
 * through `refuse`, so the command line and the report each raise their own kind of error.
 */
export function snapshotPair(
  /** One account's snapshots, oldest first. */
  snapshots: readonly { path: string; takenAt: number }[],
  from: Date,
  to: Date,
  load: (path: string) => SnapshotFile,
  wording: PairWording,
  refuse: (message: string, hint?: string) => Error,
): SnapshotPair {
  const at = (moment: Date, name: string): DatedSnapshot => {
    const found = [...snapshots].reverse().find((snapshot) => snapshot.takenAt * 1000 <= moment.getTime());
    if (!found) {
      const first = snapshots[0];
      throw refuse(
        `no snapshot at or before ${name} ${moment.toISOString()} in ${wording.where}`,
        first ? `The oldest one there was taken ${new Date(first.takenAt * 1000).toISOString()}.` : 'Take snapshots with `kpi snapshot`.',
      );
    }
    return { requested: moment, path: found.path, file: load(found.path) };
  };
  const start = at(from, wording.from);
  const end = at(to, wording.to);
  if (start.path === end.path) throw refuse(`${wording.from} and ${wording.to} fall on the same snapshot (${start.path}): there is nothing to compare`);
  const before = snapshots.filter((snapshot) => snapshot.takenAt < start.file.taken_at).reverse();
  return { start, end, earlier: { paths: before.map((snapshot) => snapshot.path), load } };
}
