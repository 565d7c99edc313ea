import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { computeRevenueReports } from '../../app/compute-revenue.js';
import { buildKpiReport, type KpiReport } from '../../app/kpi-report.js';
import type { StoredSnapshot } from '../../snapshots/snapshot-store.js';
import { DEFAULT_REPORT } from '../../config/defaults.js';
import { loadConfig, loadConfigFile } from '../../config/load.js';
import type { KpiConfig } from '../../config/schema.js';
import { ExitCode } from '../../errors.js';
import { DEMO_CONFIG_FILE } from '../../package-root.js';
import { reportSchema, type ReportConfig } from '../../report/kpi-config.js';
import { appendRecord, readRecords, type RecordedReport } from '../../report/history.js';
import { failsOn } from '../../report/status.js';
import { renderKpiReportDelimited, renderKpiReportJson, renderKpiReportMarkdown, renderKpiReportTable, type ReportView } from '../../render/kpi-report.js';
import type { Measure, RevenueReport } from '../../reports/revenue-report.js';
import { resolveDataDir } from '../../snapshots/snapshot-store.js';
import { historyNow, historySnapshots, openBillingSource, snapshotSource } from '../billing-source-options.js';
import type { CliContext } from '../context.js';
import { emitFormatted, notifier } from '../output.js';
import { addOutputOptions, addSourceOptions, ENVIRONMENT_HELP, type OutputFlags, type SourceFlags } from '../options.js';

const REPORT_FORMATS = ['table', 'json', 'csv', 'tsv', 'markdown'] as const;

interface ReportFlags extends SourceFlags, Omit<OutputFlags, 'format'> {
  format: (typeof REPORT_FORMATS)[number];
  only?: 'off-track';
  failOn?: 'red' | 'yellow';
  record?: boolean;
  historyFile?: string;
}

/** A KPI at or beyond `--fail-on`: the run still prints the report, then exits with this. */
export const EXIT_OFF_TRACK = 3;

export function reportCommand(context: CliContext): Command {
  const command = new Command('report').description('The weekly KPI scoreboard: each KPI green, yellow or red against its target, with its trend');
  addSourceOptions(command);
  addOutputOptions(command, REPORT_FORMATS);
  return command
    .addOption(new Option('--only <which>', 'show only red and yellow KPIs (exception-based reporting)').choices(['off-track']))
    .addOption(new Option('--fail-on <level>', `exit ${EXIT_OFF_TRACK} when any KPI is at or beyond this level (for CI)`).choices(['red', 'yellow']))
    .option('--record', 'append this report\'s values to the history file (the next report\'s trend reads it)')
    .option('--history-file <file>', 'the history file (default: report-history.jsonl in the data directory)')
    .addHelpText(
      'after',
      `
Examples:
  kpi report --demo                       the demo company's scoreboard
  kpi report --only off-track             only red and yellow KPIs, for the strategy meeting
  kpi report --format markdown > pre-read.md
  kpi report --format json --fail-on red  for CI: exit ${EXIT_OFF_TRACK} when a KPI is red
  kpi report --record                     keep this week's values for next week's trend

Exit codes: 0 ok, 1 a KPI's source failed, a missing or rejected Stripe key included (the report still prints;
this wins over ${EXIT_OFF_TRACK}), 2 bad usage/config, ${EXIT_OFF_TRACK} a KPI is at or beyond --fail-on, 70 internal error (a bug).` + ENVIRONMENT_HELP.replace(/\n\nExit codes:.*$/s, ''),
    )
    .action(async (flags: ReportFlags) => {
      const setup = reportSetup(flags, context);
      const historyFile =
        flags.historyFile ??
        setup.reportConfig.history_file ??
        join(resolveDataDir({ flag: flags.dataDir, env: context.env, configured: setup.config.dataDir }), flags.demo ? 'demo-report-history.jsonl' : 'report-history.jsonl');
      const previous = readRecords(historyFile).at(-1) ?? null;
      const report = await evaluateKpis(setup, flags, context, previous);

      const view: ReportView = { report, onlyOffTrack: flags.only === 'off-track' };
      emitFormatted(context, flags, {
        json: () => renderKpiReportJson(view),
        markdown: () => renderKpiReportMarkdown(view),
        table: (palette) => renderKpiReportTable(view, palette),
        delimited: (format) => renderKpiReportDelimited(view, format),
      });

      if (flags.record) appendRecord(historyFile, toRecord(report));
      const failed = report.results.filter((result) => result.status === 'error');
      for (const result of failed) context.stderr.write(`kpi: warning: ${result.name} is n/a: ${result.reason}\n`);
      if (failed.length > 0) throw new ReportExit(ExitCode.DataSourceFailed);
      if (flags.failOn && failsOn(report.results.map((result) => result.status), flags.failOn)) throw new ReportExit(EXIT_OFF_TRACK);
    });
}

/** Ends the run with a code after the report was printed: not an error message. */
export class ReportExit extends Error {
  constructor(readonly exitCode: number) {
    super(`report exit ${exitCode}`);
  }
}

function toRecord(report: KpiReport): RecordedReport {
  return {
    recorded_at: report.generatedAt.toISOString(),
    kpis: Object.fromEntries(
      report.results.map((result) => [
        result.id,
        {
          value: result.value,
          unit: result.unit,
          currency: result.currency,
          status: result.status,
          period_start: result.period.start.toISOString(),
          period_end: result.period.end.toISOString(),
        },
      ]),
    ),
  };
}

export interface ReportSetup {
  config: KpiConfig;
  reportConfig: ReportConfig;
  /** Relative paths in the config are resolved from here. */
  baseDir: string;
  snapshots: StoredSnapshot[];
  /** The demo is frozen at its last snapshot; everything else runs in the present. */
  now: Date;
}

/** The configuration a report (or an OKR status) evaluates KPIs with: `--demo` brings the demo company's. */
export function reportSetup(flags: SourceFlags, context: CliContext): ReportSetup {
  const configPath = flags.config ?? (flags.demo ? DEMO_CONFIG_FILE : undefined);
  const config = configPath ? loadConfigFile(configPath) : loadConfig({ cwd: context.cwd });
  const reportConfig: ReportConfig = config.report ?? reportSchema.parse(DEFAULT_REPORT);
  const baseDir = configPath ? dirname(configPath) : config.origin === 'built-in default' ? context.cwd : dirname(join(context.cwd, config.origin));
  const { snapshots } = historySnapshots(flags, context.env, config);
  const now = historyNow(flags, snapshots, context.now);
  return { config, reportConfig, baseDir, snapshots, now };
}

/** Every KPI of the setup, Stripe read at most once (and last week's snapshot for growth targets). */
export function evaluateKpis(setup: ReportSetup, flags: SourceFlags, context: CliContext, previous: RecordedReport | null, only?: ReadonlySet<string>): Promise<KpiReport> {
  const { config, now, snapshots } = setup;
  const reportConfig = only ? { ...setup.reportConfig, kpis: setup.reportConfig.kpis.filter((kpi) => only.has(kpi.id) || isTargetOf(kpi.id, only, setup.reportConfig)) } : setup.reportConfig;
  let stripe: Promise<Partial<Record<Measure, RevenueReport>>> | null = null;
  return buildKpiReport(config, reportConfig, {
    now,
    env: context.env,
    baseDir: setup.baseDir,
    previous,
    stripe: () => (stripe ??= openBillingSource(flags, context.env, now, notifier(context)).then((source) => revenue(source, config, now))),
    stripeWeekAgo: async () => {
      const weekAgo = now.getTime() - 6 * 86_400_000;
      const before = snapshots.filter((snapshot) => snapshot.takenAt * 1000 <= weekAgo).at(-1);
      return before ? revenue(snapshotSource(before.path), config, now) : null;
    },
  });
}

/** KPIs that others use as their target must be evaluated along with them. */
function isTargetOf(id: string, wanted: ReadonlySet<string>, report: ReportConfig): boolean {
  return report.kpis.some((kpi) => wanted.has(kpi.id) && kpi.target !== null && typeof kpi.target === 'object' && 'kpi' in kpi.target && kpi.target.kpi === id);
}

function revenue(source: Awaited<ReturnType<typeof openBillingSource>>, config: KpiConfig, now: Date) {
  return computeRevenueReports(source, config, ['mrr', 'arr'], { explain: false, now });
}
