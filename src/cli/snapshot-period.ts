import type { DatedSnapshot, EarlierSnapshots } from '../app/mrr-movements.js';
import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { HistorySelection } from '../history/snapshot-selection.js';
import { readSnapshot } from '../snapshots/snapshot-store.js';
import { historyNow, historySnapshots } from './billing-source-options.js';
import type { CliContext } from './context.js';
import type { SourceFlags } from './options.js';
import { notifier } from './output.js';

export interface SnapshotPeriod {
  start: DatedSnapshot;
  end: DatedSnapshot;
  /** The account's snapshots before the start, newest first: where win-backs are judged. */
  earlier: EarlierSnapshots;
  selection: HistorySelection;
}

/**
 * The two snapshots a `--from [--to]` command compares: of one account (`--account`, else
 * the newest snapshot's), the latest taken at or before each date; `--to` defaults to now
 * (with `--demo`, the newest bundled snapshot).
 */
export function snapshotPeriod(context: CliContext, config: KpiConfig, flags: SourceFlags & { account?: string; from: Date; to?: Date }): SnapshotPeriod {
  const { snapshots, directory, selection } = historySnapshots(flags, context.env, config, notifier(context));
  const now = historyNow(flags, snapshots, context.now);
  const from = flags.from;
  const to = flags.to ?? now;
  if (from.getTime() >= to.getTime()) throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  const at = (moment: Date, flag: string): DatedSnapshot => {
    const found = [...snapshots].reverse().find((snapshot) => snapshot.takenAt * 1000 <= moment.getTime());
    if (!found) {
      const first = snapshots[0];
      throw new UsageError(
        `no snapshot at or before ${flag} ${moment.toISOString()} in ${directory}`,
        first ? `The oldest one there was taken ${new Date(first.takenAt * 1000).toISOString()}.` : 'Take snapshots with `kpi snapshot`.',
      );
    }
    return { requested: moment, path: found.path, file: readSnapshot(found.path) };
  };
  const start = at(from, '--from');
  const end = at(to, '--to');
  if (start.path === end.path) throw new UsageError(`--from and --to fall on the same snapshot (${start.path}): there is nothing to compare`);
  const before = snapshots.filter((snapshot) => snapshot.takenAt < start.file.taken_at).reverse();
  return { start, end, earlier: { paths: before.map((snapshot) => snapshot.path), load: (path) => readSnapshot(path) }, selection };
}
