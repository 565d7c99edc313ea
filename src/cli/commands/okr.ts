import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { scoreOkrs } from '../../app/okr-status.js';
import { ExitCode, UsageError } from '../../errors.js';
import { lintOkrs } from '../../okr/lint.js';
import { loadOkrFile } from '../../okr/okr-file.js';
import { renderOkrHtml } from '../../render/html/okr.js';
import { renderLint, renderOkrDelimited, renderOkrJson, renderOkrMarkdown, renderOkrTable } from '../../render/okr.js';
import { colourEnabled, makePalette } from '../../terminal/terminal.js';
import { messagesTo } from '../../terminal/messages.js';
import { terminalSafe } from '../../terminal/safe-text.js';
import type { CliContext } from '../context.js';
import { emitFormatted } from '../output.js';
import { addOutputOptions, addRatesOptions, addSourceOptions, parseMoment, type OutputFlags } from '../options.js';
import { addAllowCommandsOption, calendarOf, evaluateKpis, reportSetup, ReportExit, EXIT_OFF_TRACK, type KpiSourceFlags } from './report.js';
import { DEMO_OKR_FILE } from '../../package-root.js';

const OKR_FORMATS = ['table', 'json', 'csv', 'tsv', 'markdown', 'html'] as const;

/** The status rules as README and help state them (a test keeps the two the same). */
export const OKR_STATUS_HELP = `Status: Not Started until a key result has a value (a milestone: until it is done);
during the quarter On-Track when the score is at least the goal (1.0 committed, 0.7
aspirational) times the share of the quarter gone, else Off-Track: a key result measured
at its start value is Off-Track, not Not Started; after the quarter Achieved, Achieved
Poorly (from 0.4) or Off-Track. n/a: the linked KPI's source failed, so the score is
unknown; the objective is scored from its other key results and marked incomplete.`;

interface OkrFlags extends KpiSourceFlags, Omit<OutputFlags, 'format'> {
  format: (typeof OKR_FORMATS)[number];
  failOn?: 'off-track';
  asOf?: Date;
}

export function okrCommand(context: CliContext): Command {
  const okr = new Command('okr').description("OKRs scored from their key results' values and live KPIs, and the handbook's OKR checklist");
  const status = new Command('status')
    .description('Objectives and key results with scores, status (Not Started, On-Track, Off-Track, Achieved, Achieved Poorly; n/a when a linked KPI cannot be read) and confidence')
    .argument('[file]', 'the OKR file (YAML or JSON); default: okrs.yaml in the working directory');
  addSourceOptions(status);
  addOutputOptions(status, OKR_FORMATS);
  addRatesOptions(status);
  addAllowCommandsOption(status);
  status
    .addOption(new Option('--fail-on <what>', `exit ${EXIT_OFF_TRACK} when an objective or key result is Off-Track (for CI)`).choices(['off-track']))
    .addOption(new Option('--as-of <date>', 'the status at another moment of the period (KPI-linked key results then use their check-ins)').argParser(parseMoment))
    .addHelpText(
      'after',
      `
Examples:
  kpi okr status --demo                   the demo company's OKRs, key results linked to its KPIs
  kpi okr status okrs.yaml --format markdown
  kpi okr status --demo --format html > okrs.html   a self-contained page
  kpi okr status --as-of 2026-11-01       where things stood then
  kpi okr status --fail-on off-track      exit ${EXIT_OFF_TRACK} when anything is Off-Track
  kpi okr status --allow-commands         linked KPIs with command sources run their commands too

${OKR_STATUS_HELP}

Exit codes: 0 ok, 1 a linked KPI's source failed (everything still prints; this wins over ${EXIT_OFF_TRACK}),
2 bad usage, config or OKR file (parents in a circle), ${EXIT_OFF_TRACK} --fail-on off-track and something is Off-Track.`,
    )
    .action(async (file: string | undefined, flags: OkrFlags) => {
      const path = okrPath(file, flags, context);
      const okrs = loadOkrFile(path);
      const setup = reportSetup(flags, context);
      const report = await scoreOkrs(okrs, { asOf: flags.asOf ?? setup.now, now: setup.now, calendar: calendarOf(setup) }, async (wanted) => (await evaluateKpis(setup, flags, context, [], wanted)).results);
      emitFormatted(context, flags, {
        json: () => renderOkrJson(report),
        markdown: () => renderOkrMarkdown(report),
        table: (palette, screen) => renderOkrTable(report, palette, screen),
        delimited: (format) => renderOkrDelimited(report, format),
        html: () => renderOkrHtml(report),
      });
      // Like `kpi report`: everything prints, then a failed source ends the run with 1 (over 3).
      const unknown = report.objectives.flatMap((objective) => objective.keyResults).filter((kr) => kr.score === null);
      // Outside names and reasons on one line: none can start a line that poses as kpi's own.
      for (const kr of unknown) messagesTo(context.stderr).warning(`${terminalSafe(kr.title)} is n/a: ${terminalSafe(kr.note ?? '')}`);
      if (unknown.length > 0) throw new ReportExit(ExitCode.DataSourceFailed);
      const offTrack = report.objectives.some((objective) => objective.status === 'Off-Track' || objective.keyResults.some((kr) => kr.status === 'Off-Track'));
      if (flags.failOn && offTrack) throw new ReportExit(EXIT_OFF_TRACK);
    });

  const lint = new Command('lint')
    .description("Check an OKR file against the handbook's checklist: 3-5 numeric key results per objective, real targets, no duplicates, known KPIs and parents")
    .argument('[file]', 'the OKR file; default: okrs.yaml in the working directory')
    .option('--demo', "lint the demo company's OKR file")
    .option('--config <file>', 'the configuration whose KPIs key results may refer to')
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', '\nExamples:\n  kpi okr lint                  okrs.yaml in the working directory\n  kpi okr lint --demo           the demo company\'s OKR file\n  kpi okr lint team-okrs.yaml --config kpi.config.yaml\n\nExit codes: 0 no errors (warnings are shown), 2 the file has errors or cannot be read.')
    .action((file: string | undefined, flags: { demo?: boolean; config?: string; color: boolean }) => {
      const path = okrPath(file, flags, context);
      const okrs = loadOkrFile(path);
      const setup = reportSetup(flags, context);
      const findings = lintOkrs(okrs, new Set(setup.reportConfig.kpis.map((kpi) => kpi.id)), calendarOf(setup));
      context.stdout.write(renderLint(findings, path, makePalette(colourEnabled(context.stdout, context.env, !flags.color))));
      if (findings.some((finding) => finding.level === 'error')) throw new ReportExit(2);
    });
  okr.addHelpText('after', '\nExamples:\n  kpi okr status --demo\n  kpi okr lint okrs.yaml');
  return okr.addCommand(status).addCommand(lint);
}

/** The OKR files looked for in the working directory, the first found is read. */
export const OKR_FILE_NAMES = ['okrs.yaml', 'okrs.yml', 'okrs.json'] as const;

function okrPath(file: string | undefined, flags: { demo?: boolean }, context: CliContext): string {
  if (file) return file;
  if (flags.demo) return DEMO_OKR_FILE;
  for (const name of OKR_FILE_NAMES) {
    if (existsSync(join(context.cwd, name))) return join(context.cwd, name);
  }
  throw new UsageError('no OKR file given and no okrs.yaml in the working directory', 'Name it: `kpi okr status FILE`, or try `kpi okr status --demo`.');
}
