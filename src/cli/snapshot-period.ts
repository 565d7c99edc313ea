import { snapshotPair, type SnapshotPair } from '../app/snapshot-pair.js';
import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { HistorySelection } from '../history/snapshot-selection.js';
import { readSnapshot } from '../snapshots/snapshot-store.js';
import { historyNow, historySnapshots } from './billing-source-options.js';
import type { CliContext } from './context.js';
import type { SourceFlags } from './options.js';
import { notifier } from './output.js';

/**
 * The two snapshots a `--from [--to]` command compares: of one account (`--account`, else
 * the newest snapshot's), the latest taken at or before each date; `--to` defaults to now
 * (with `--demo`, the newest bundled snapshot).
 */
export function snapshotPeriod(
  context: CliContext,
  config: KpiConfig,
  flags: SourceFlags & { account?: string; from: Date; to?: Date },
): SnapshotPair & { selection: HistorySelection } {
  const { snapshots, directory, selection } = historySnapshots(flags, context.env, config, notifier(context));
  const now = historyNow(flags, snapshots, context.now);
  const from = flags.from;
  const to = flags.to ?? now;
  if (from.getTime() >= to.getTime()) throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  const pair = snapshotPair(snapshots, from, to, readSnapshot, { from: '--from', to: '--to', where: directory }, (message, hint) => new UsageError(message, hint));
  return { ...pair, selection };
}
