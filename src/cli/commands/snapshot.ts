import { accessSync, constants } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { KpiError, UsageError } from '../../errors.js';
import { createDirectory, describeUnwritable } from '../../files/atomic-file.js';
import { takeSnapshot } from '../../snapshots/take-snapshot.js';
import { resolveDataDir, snapshotsDir, writeSnapshot } from '../../snapshots/snapshot-store.js';
import { describeProgress, describeReadCost } from '../../terminal/read-summary.js';
import { makeProgress } from '../../terminal/terminal.js';
import { messagesTo } from '../../terminal/messages.js';
import { openStripeReader } from '../billing-source-options.js';
import { pinnedQuotes } from '../rates-options.js';
import type { CliContext } from '../context.js';
import { notifier } from '../output.js';
import { addRatesOptions, addSourceOptions, ENVIRONMENT_HELP, type SourceFlags } from '../options.js';
import type { RatesFlags } from '../rates-options.js';

interface SnapshotFlags extends SourceFlags, RatesFlags {
  verbose?: boolean;
}

export function snapshotCommand(context: CliContext): Command {
  const command = new Command('snapshot').description(
    'Save what the figures need from Stripe (catalog and subscriptions, no customer details) to a gzip file in the data directory; prints its path',
  );
  addSourceOptions(command, { snapshotFile: false });
  addRatesOptions(command);
  return command
    .option('--verbose', 'print what was read and at what cost to stderr')
    .addHelpText(
      'after',
      `
Examples:
  kpi snapshot                           into $KPI_DATA_DIR/snapshots (default ~/.local/share/kpi/snapshots)
  kpi snapshot --data-dir ./kpi-data     somewhere else, e.g. a CI cache
  kpi mrr --snapshot "$(kpi snapshot)"   take one and compute from it
` + ENVIRONMENT_HELP,
    )
    .action(async (flags: SnapshotFlags) => {
      if (flags.demo) throw new UsageError('the demo account already comes as snapshots', 'Use `kpi mrr --demo` or `kpi arr --demo --weekly`.');
      const config = loadConfig({ configPath: flags.config, cwd: context.cwd });
      const directory = snapshotsDir(resolveDataDir({ flag: flags.dataDir, env: context.env, configured: config.dataDir }));
      // Find out now, not after reading the whole account, whether the snapshot can be saved.
      ensureWritableDirectory(directory);
      const takenAt = context.now();
      // Rates first: without them there is no point reading the whole account.
      const exchangeRates = await pinnedQuotes(config, flags, context, takenAt);
      const { reader, description, livemode } = await openStripeReader(flags, context.env, notifier(context));
      const progress = makeProgress(context.stderr);
      const snapshot = await takeSnapshot(reader, { takenAt: Math.floor(takenAt.getTime() / 1000), source: description, livemode, ...(exchangeRates ? { exchangeRates } : {}) }, (read) =>
        progress.update(describeProgress(read, reader.readStats)),
      ).finally(() => progress.done());
      let path: string;
      try {
        path = writeSnapshot(directory, snapshot);
      } catch (error) {
        if (error instanceof KpiError) throw error;
        throw new UsageError(`cannot save the snapshot in ${directory}: ${describeUnwritable(error)}`);
      }
      const messages = messagesTo(context.stderr);
      if (flags.verbose) messages.note(describeReadCost(snapshot.subscriptions.length, reader.readStats));
      const account = snapshot.account ? ` (account ${snapshot.account})` : '';
      messages.note(`saved ${snapshot.subscriptions.length} subscriptions and ${snapshot.prices.length} prices from ${description}${account}`);
      context.stdout.write(`${path}\n`);
    });
}

function ensureWritableDirectory(directory: string): void {
  try {
    createDirectory(directory);
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot save snapshots in ${directory}: ${describeUnwritable(error)}`, 'Choose another place with --data-dir or KPI_DATA_DIR.');
  }
}
