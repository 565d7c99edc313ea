import { Command, Option } from 'commander';
import { saasMetricsReport } from '../../app/saas-metrics.js';
import { renderSaasMetricsDelimited, renderSaasMetricsJson, renderSaasMetricsMarkdown, renderSaasMetricsTable } from '../../render/saas-metrics.js';
import type { CliContext } from '../context.js';
import { emitFormatted } from '../output.js';
import { addOutputOptions, addSourceOptions, parseMoment, type OutputFlags, type SourceFlags } from '../options.js';
import { snapshotPeriod } from '../snapshot-period.js';
import { commandConfig } from '../command-config.js';
import { messagesTo } from '../../terminal/messages.js';

const METRICS_FORMATS = ['table', 'json', 'csv', 'tsv', 'markdown'] as const;

interface MetricsFlags extends SourceFlags, Omit<OutputFlags, 'format'> {
  format: (typeof METRICS_FORMATS)[number];
  from: Date;
  to?: Date;
  account?: string;
}

const EXAMPLES = `
Examples:
  kpi metrics --demo --from 2026-10-12               the bundled snapshots, up to the newest
  kpi metrics --from 2026-10-01 --to 2026-11-01      your snapshots (take them with \`kpi snapshot\`)
  kpi metrics --from 2026-10-01 --format json        every ratio with its numerator and denominator
  kpi metrics --from 2026-10-01 --format markdown    for the pre-read doc

Environment:
  KPI_DATA_DIR      where snapshots are kept
  NO_COLOR          set to turn colour off

Exit codes: 0 ok, 1 a snapshot is damaged, 2 bad usage/config/input (no snapshot at or before a date), 70 internal error (a bug).`;

export function metricsCommand(context: CliContext): Command {
  const command = new Command('metrics').description(
    'SaaS metrics between two snapshots: customers, ARPA, logo and revenue churn, GRR, NRR, quick ratio, MRR growth (per tier, currency and in total)',
  );
  addSourceOptions(command, { snapshotFile: false, stripe: false });
  addOutputOptions(command, METRICS_FORMATS);
  command
    .addOption(new Option('--from <date>', 'the period starts at the snapshot at or before this date').argParser(parseMoment).makeOptionMandatory())
    .addOption(new Option('--to <date>', 'the period ends at the snapshot at or before this date (default: now)').argParser(parseMoment))
    .addOption(new Option('--account <id>', 'the Stripe account (acct_...) or fingerprint (fp_...) whose snapshots to use (default: the newest snapshot\'s)'));
  return command.addHelpText('after', EXAMPLES).action(async (flags: MetricsFlags) => {
    const config = commandConfig(flags, context);
    const { start, end, earlier, selection } = snapshotPeriod(context, config, flags);
    const report = await saasMetricsReport(config, start, end, context.now(), earlier);
    if (flags.verbose) messagesTo(context.stderr).note(`config: ${config.origin}; snapshots: ${start.path} → ${end.path}`);
    emitFormatted(context, flags, {
      json: () => renderSaasMetricsJson(report, selection),
      table: (palette, screen) => renderSaasMetricsTable(report, palette, screen),
      delimited: (format) => renderSaasMetricsDelimited(report, format),
      markdown: () => renderSaasMetricsMarkdown(report),
    });
  });
}
