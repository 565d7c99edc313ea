/** `kpi mrr --from` and `kpi arr --weekly`: the history paths of the revenue commands, loaded only when used. */
import { mrrMovements } from '../../app/mrr-movements.js';
import { weeklyArr } from '../../app/weekly-arr.js';
import type { KpiConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { renderMovementsDelimited, renderMovementsJson, renderMovementsTable } from '../../render/movements.js';
import { renderWeeklyArrHtml } from '../../render/html/weekly-arr.js';
import { renderWeeklyArrDelimited, renderWeeklyArrJson, renderWeeklyArrTable } from '../../render/weekly-arr.js';
import { readSnapshot } from '../../snapshots/snapshot-store.js';
import { takeSnapshot } from '../../snapshots/take-snapshot.js';
import type { SnapshotFile } from '../../snapshots/snapshot-format.js';
import { messagesTo } from '../../terminal/messages.js';
import { historyNow, historySnapshots, openStripeReader } from '../billing-source-options.js';
import type { CliContext } from '../context.js';
import { snapshotPeriod } from '../snapshot-period.js';
import { notifier, type Renderers } from '../output.js';
import { openRatesAt } from '../rates-options.js';
import { DEFAULT_WEEKS, type RevenueFlags } from './revenue.js';

export async function weekly(context: CliContext, config: KpiConfig, flags: RevenueFlags): Promise<Renderers> {
  const { snapshots, directory, selection } = historySnapshots(flags, context.env, config, notifier(context));
  if (snapshots.length === 0 && !flags.backfill) {
    throw new UsageError(`no snapshots in ${directory}`, 'Take one a week with `kpi snapshot` (a scheduled CI job does it well), add --backfill to reconstruct the weeks from Stripe, or try `kpi arr --demo --weekly`.');
  }
  const now = historyNow(flags, snapshots, context.now);
  // Without any snapshot, --backfill reconstructs every week from the account as it is now.
  let newest: SnapshotFile | undefined;
  if (snapshots.length === 0) {
    const { reader, description, livemode } = await openStripeReader(flags, context.env, notifier(context));
    newest = await takeSnapshot(reader, { takenAt: Math.floor(now.getTime() / 1000), source: description, livemode });
  }
  const series = await weeklyArr(config, {
    now,
    weeks: flags.weeks ?? DEFAULT_WEEKS,
    backfill: flags.backfill ?? false,
    snapshots,
    newest,
    load: (snapshot) => readSnapshot(snapshot.path),
    ratesAt: openRatesAt(config, flags, context),
    constantCurrency: flags.constantCurrency ?? false,
  });
  if (flags.verbose) messagesTo(context.stderr).note(`config: ${config.origin}; snapshots: ${directory} (${snapshots.length})`);
  return {
    json: () => renderWeeklyArrJson(series, context.now(), selection),
    table: (palette, screen) => renderWeeklyArrTable(series, palette, screen),
    delimited: (format) => renderWeeklyArrDelimited(series, format),
    html: () => renderWeeklyArrHtml(series, context.now()),
  };
}

export async function movements(context: CliContext, config: KpiConfig, flags: RevenueFlags): Promise<Renderers> {
  const { start, end, earlier, selection } = snapshotPeriod(context, config, { ...flags, from: flags.from as Date });
  const report = await mrrMovements(config, start, end, context.now(), earlier, { ratesAt: openRatesAt(config, flags, context), constantCurrency: flags.constantCurrency ?? false });
  return {
    json: () => renderMovementsJson(report, selection),
    table: (palette, screen) => renderMovementsTable(report, palette, screen),
    delimited: (format) => renderMovementsDelimited(report, format),
  };
}
