import { join } from 'node:path';
import { Command, Option } from 'commander';
import { computeRevenueReports } from '../../app/compute-revenue.js';
import { saasMetricsReport, type SaasMetricsReport } from '../../app/saas-metrics.js';
import { snapshotPair } from '../../app/snapshot-pair.js';
import { SourceError } from '../../scoreboard/sources/source-types.js';
import { DEFAULT_AT_RISK_HORIZON_DAYS } from '../../rules/at-risk.js';
import { buildKpiReport, type KpiReport } from '../../app/kpi-report.js';
import type { StoredSnapshot } from '../../snapshots/snapshot-store.js';
import { DEFAULT_REPORT } from '../../config/defaults.js';
import type { KpiConfig } from '../../config/schema.js';
import { ExitCode, UsageError } from '../../errors.js';
import { loadOkrFile, type OkrFile } from '../../okr/okr-file.js';
import { scoreOkrs } from '../../app/okr-status.js';
import { reportPictures } from '../../app/report-pictures.js';
import { renderKpiReportHtml, type ReportPage } from '../../render/html/kpi-report.js';
import { DEMO_CONFIG_FILE, DEMO_HUBSPOT_FILE } from '../../package-root.js';
import { datasetHubspotTransport, readCrmDataset } from '../../scoreboard/sources/hubspot/hubspot-transport.js';
import { reportSchema, type ReportConfig } from '../../scoreboard/kpi-config.js';
import { appendRecord, ensureRecordable, readRecords, type RecordedReport } from '../../scoreboard/history.js';
import { failsOn } from '../../scoreboard/status.js';
import type { CalendarSettings } from '../../scoreboard/periods.js';
import { messagesTo } from '../../terminal/messages.js';
import { terminalSafe } from '../../terminal/safe-text.js';
import { renderKpiReportDelimited, renderKpiReportJson, renderKpiReportMarkdown, renderKpiReportTable, type ReportView } from '../../render/kpi-report.js';
import type { Measure, RevenueReport } from '../../revenue/revenue-report.js';
import { readSnapshot, resolveDataDir } from '../../snapshots/snapshot-store.js';
import { historyNow, historySnapshots, openBillingSource, snapshotSource } from '../billing-source-options.js';
import { commandsAllowed } from '../../scoreboard/sources/command-source.js';
import { describeReadCost } from '../../terminal/read-summary.js';
import { ratesForFigures } from '../../app/figure-rates.js';
import type { RatesAt } from '../../app/reporting-rates.js';
import type { BillingSource } from '../../sources/billing-source.js';
import { commandConfig } from '../command-config.js';
import type { CliContext } from '../context.js';
import { openRatesAt, type RatesFlags } from '../rates-options.js';
import { notifier, renderFormatted, stageOutput } from '../output.js';
import { addAsciiOption, addOutputOptions, addRatesOptions, addSourceOptions, ENVIRONMENT_HELP, type OutputFlags, type SourceFlags } from '../options.js';
import { ReportExit } from '../report-exit.js';

const REPORT_FORMATS = ['table', 'json', 'csv', 'tsv', 'markdown', 'html'] as const;

/** What evaluating KPIs needs besides the billing source: the opt-in to commands, and `--verbose`. */
export interface KpiSourceFlags extends SourceFlags, RatesFlags {
  allowCommands?: boolean;
  verbose?: boolean;
}

/** The opt-in flag of every command that evaluates report KPIs. */
export function addAllowCommandsOption(command: Command): Command {
  return command.option('--allow-commands', 'run the shell commands of command sources (the config file is trusted); CI: KPI_ALLOW_COMMANDS=1');
}

interface ReportFlags extends KpiSourceFlags, Omit<OutputFlags, 'format'> {
  format: (typeof REPORT_FORMATS)[number];
  only?: 'off-track';
  failOn?: 'red' | 'yellow';
  record?: boolean;
  historyFile?: string;
  okrs?: string;
}

/** A KPI at or beyond `--fail-on`: the run still prints the report, then exits with this. */
export const EXIT_OFF_TRACK = 3;

export function reportCommand(context: CliContext): Command {
  const command = new Command('report').description('The weekly KPI scoreboard: each KPI green, yellow or red against its target, with its trend');
  addSourceOptions(command);
  addOutputOptions(command, REPORT_FORMATS);
  addRatesOptions(command);
  addAllowCommandsOption(command);
  addAsciiOption(command);
  return command
    .addOption(new Option('--only <which>', 'show only red and yellow KPIs (exception-based reporting)').choices(['off-track']))
    .addOption(new Option('--fail-on <level>', `exit ${EXIT_OFF_TRACK} when any KPI is at or beyond this level (for CI)`).choices(['red', 'yellow']))
    .option('--record', 'append this report\'s values to the history file (the next report\'s trend reads it)')
    .option('--history-file <file>', 'the history file (default: report-history.jsonl in the data directory)')
    .option('--okrs <file>', 'with --format html: add the OKR summary of this OKR file (YAML or JSON)')
    .addHelpText(
      'after',
      `
Examples:
  kpi report --demo                       the demo company's scoreboard
  kpi report --only off-track             only red and yellow KPIs, for the strategy meeting
  kpi report --format markdown > pre-read.md
  kpi report --format html -o report.html --okrs okrs.yaml   the pre-read as one self-contained page, with charts
  kpi report --format json --fail-on red  for CI: exit ${EXIT_OFF_TRACK} when a KPI is red
  kpi report --record                     keep this week's values for next week's trend (a sparkline once recorded)
  kpi report --demo --ascii               sparklines and marks in ASCII, for terminals without Unicode
  kpi report --allow-commands             also run the config's command sources (trusted config only)

Exit codes: 0 ok, 1 a KPI's source failed, a missing or rejected Stripe key included (the report still prints;
this wins over ${EXIT_OFF_TRACK}), 2 bad usage/config, ${EXIT_OFF_TRACK} a KPI is at or beyond --fail-on, 70 internal error (a bug).` + ENVIRONMENT_HELP.replace(/\n\nExit codes:.*$/s, ''),
    )
    .action(async (flags: ReportFlags) => {
      if (flags.okrs !== undefined && flags.format !== 'html') throw new UsageError('--okrs works with --format html', 'Try `kpi report --format html -o report.html --okrs okrs.yaml`, or `kpi okr status` for the OKRs alone.');
      // Read before any KPI source runs, so a wrong path fails fast and nothing is recorded.
      const okrs = flags.okrs === undefined ? null : loadOkrFile(flags.okrs);
      const setup = reportSetup(flags, context);
      // The config's history_file already resolves against the config's folder; a flag against the working directory.
      const historyFile =
        flags.historyFile ??
        setup.reportConfig.history_file ??
        join(resolveDataDir({ flag: flags.dataDir, env: context.env, configured: setup.config.dataDir }), flags.demo ? 'demo-report-history.jsonl' : 'report-history.jsonl');
      if (flags.record) ensureRecordable(historyFile);
      const history = readRecords(historyFile, notifier(context));
      const report = await evaluateKpis(setup, flags, context, history);

      const view: ReportView = { report, onlyOffTrack: flags.only === 'off-track' };
      const page = flags.format === 'html' ? await reportPage(view, setup, okrs, openRatesAt(setup.config, flags, context)) : null;
      const output = renderFormatted(context, flags, {
        json: () => renderKpiReportJson(view),
        markdown: () => renderKpiReportMarkdown(view),
        table: (palette, screen) => renderKpiReportTable(view, palette, screen),
        delimited: (format) => renderKpiReportDelimited(view, format),
        html: () => renderKpiReportHtml(page!),
      });
      // A run whose record failed shows nothing, and a run whose -o file cannot be written is not
      // recorded: the -o file is written aside first, the record appended, then both are final.
      const pending = stageOutput(context, output, flags.output);
      try {
        if (flags.record) appendRecord(historyFile, toRecord(report));
        pending.commit();
      } finally {
        pending.discard();
      }

      const failed = report.results.filter((result) => result.status === 'error');
      // Outside names and reasons on one line: none can start a line that poses as kpi's own.
      for (const result of failed) messagesTo(context.stderr).warning(`${terminalSafe(result.name)} is n/a: ${terminalSafe(result.reason ?? '')}`);
      if (failed.length > 0) throw new ReportExit(ExitCode.DataSourceFailed);
      if (flags.failOn && failsOn(report.results.map((result) => result.status), flags.failOn)) throw new ReportExit(EXIT_OFF_TRACK);
    });
}

/** The HTML report's charts from the setup's snapshots, and the OKRs scored with this run's KPI values. */
async function reportPage(view: ReportView, setup: ReportSetup, okrs: OkrFile | null, ratesAt: RatesAt): Promise<ReportPage> {
  const pictures = await reportPictures(setup.config, setup.snapshots, setup.now, readSnapshot, ratesAt);
  const okrReport = okrs ? await scoreOkrs(okrs, { asOf: setup.now, now: setup.now, calendar: calendarOf(setup) }, async () => view.report.results) : null;
  return { view, ...pictures, okrs: okrReport };
}

export { ReportExit };

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

/** The report's calendar: its time zone and fiscal year, for periods and OKR quarters. */
export function calendarOf(setup: ReportSetup): CalendarSettings {
  return { timeZone: setup.reportConfig.time_zone, fiscalYearStartMonth: setup.reportConfig.fiscal_year_start_month };
}

/** The configuration a report (or an OKR status) evaluates KPIs with: `--demo` brings the demo company's. */
export function reportSetup(flags: SourceFlags, context: CliContext): ReportSetup {
  const config = commandConfig(flags, context);
  const reportConfig: ReportConfig = config.report ?? reportSchema.parse(DEFAULT_REPORT);
  const baseDir = config.directory ?? context.cwd;
  const { snapshots } = historySnapshots(flags, context.env, config, notifier(context));
  const now = historyNow(flags, snapshots, context.now);
  return { config, reportConfig, baseDir, snapshots, now };
}

/** Every KPI of the setup, Stripe read at most once (and last week's snapshot for growth targets). */
export async function evaluateKpis(setup: ReportSetup, flags: KpiSourceFlags, context: CliContext, history: readonly RecordedReport[], only?: ReadonlySet<string>): Promise<KpiReport> {
  const { config, now, snapshots } = setup;
  const reportConfig = only ? { ...setup.reportConfig, kpis: setup.reportConfig.kpis.filter((kpi) => only.has(kpi.id) || isTargetOf(kpi.id, only, setup.reportConfig)) } : setup.reportConfig;
  let stripe: Promise<Partial<Record<Measure, RevenueReport>>> | null = null;
  // KPIs over the same period share one reading of its two snapshots: the pair is looked up
  // (and both files read) once per period, and periods that land on the same pair share it too.
  const byPeriod = new Map<string, Promise<SaasMetricsReport>>();
  const byPair = new Map<string, Promise<SaasMetricsReport>>();
  const ratesAt = openRatesAt(config, flags, context);
  const readStripe = async () => {
    const source = await openBillingSource(flags, context.env, now, notifier(context));
    const reports = await revenue(source, config, now, reportConfig, ratesAt);
    if (flags.verbose) {
      const subscriptionsRead = (reports.mrr ?? reports.arr)?.subscriptionsRead ?? 0;
      messagesTo(context.stderr).note(`stripe: ${source.description}: ${describeReadCost(subscriptionsRead, source.readStats)}`);
    }
    return reports;
  };
  const report = await buildKpiReport(config, reportConfig, {
    now,
    env: context.env,
    baseDir: setup.baseDir,
    history,
    allowCommands: commandsAllowed(flags.allowCommands, context.env),
    rates: ratesAt,
    hubspot: flags.demo ? datasetHubspotTransport(readCrmDataset(DEMO_HUBSPOT_FILE)) : undefined,
    stripe: () => (stripe ??= readStripe()),
    saasMetrics: (period) => {
      const periodKey = `${period.start.getTime()}/${period.end.getTime()}`;
      const known = byPeriod.get(periodKey);
      if (known) return known;
      const pair = snapshotPair(snapshots, period.start, period.end, readSnapshot, { from: 'the period start', to: 'the period end', where: 'the snapshots' }, (message, hint) => new SourceError(hint ? `${message}. ${hint}` : message));
      const pairKey = `${pair.start.path}\u0000${pair.end.path}`;
      const metrics = byPair.get(pairKey) ?? saasMetricsReport(config, pair.start, pair.end, now, pair.earlier);
      byPair.set(pairKey, metrics);
      byPeriod.set(periodKey, metrics);
      return metrics;
    },
    stripeWeekAgo: async () => {
      const weekAgo = now.getTime() - 6 * 86_400_000;
      const before = snapshots.filter((snapshot) => snapshot.takenAt * 1000 <= weekAgo).at(-1);
      return before ? revenue(snapshotSource(before.path), config, now, reportConfig, ratesAt) : null;
    },
  });
  if (flags.verbose) {
    const messages = messagesTo(context.stderr);
    messages.note(`config: ${config.origin}`);
    for (const read of report.reads) messages.note(`${read.id} (${read.source}): ${read.read}; ${read.seconds.toFixed(2)} s`);
  }
  return report;
}

/** KPIs that others use as their target must be evaluated along with them. */
function isTargetOf(id: string, wanted: ReadonlySet<string>, report: ReportConfig): boolean {
  return report.kpis.some((kpi) => wanted.has(kpi.id) && kpi.target !== null && typeof kpi.target === 'object' && 'kpi' in kpi.target && kpi.target.kpi === id);
}

/** MRR and ARR of one source, converted at the rates of the moment its figures are for (a week-ago snapshot: that week's). */
async function revenue(source: BillingSource, config: KpiConfig, now: Date, reportConfig: ReportConfig, ratesAt: RatesAt) {
  // Trialing subscriptions are read only when an at-risk KPI asks for them.
  const atRisk = reportConfig.kpis.some((kpi) => kpi.source?.type === 'stripe' && (kpi.source.metric === 'past_due_share' || kpi.source.metric === 'scheduled_to_end_mrr'));
  const rates = await ratesForFigures(config, ratesAt, source);
  return computeRevenueReports(source, config, ['mrr', 'arr'], { explain: false, now, rates, ...(atRisk ? { atRiskHorizonDays: DEFAULT_AT_RISK_HORIZON_DAYS } : {}) });
}
