import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, KpiError, UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { revenueCommand } from './commands/revenue.js';
import { metricsCommand } from './commands/metrics.js';
import { snapshotCommand } from './commands/snapshot.js';
import { reportCommand, ReportExit } from './commands/report.js';
import { okrCommand } from './commands/okr.js';
import { completionCommand } from './commands/completion.js';
import { helpCommand } from './commands/help-topics.js';
import { initCommand } from './commands/init.js';
import { configCommand } from './commands/config.js';
import { reconcileCommand } from './commands/reconcile.js';
import type { CliContext } from './context.js';
import { messagesTo } from '../terminal/messages.js';
import { terminalSafeLines, terminalSafeMessage } from '../terminal/safe-text.js';
import { isRealMoment } from './options.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(context: CliContext): Command {
  const program = new Command('kpi')
    .description("KPIs from Stripe by the company handbook's rules: MRR, ARR and their history, as a table, JSON or CSV")
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      // Usage errors quote the arguments given, which may come from anywhere (a CI variable).
      writeErr: (text) => context.stderr.write(terminalSafeLines(text)),
    })
    .addHelpText(
      'after',
      `
Examples:
  kpi mrr --demo              try it on the bundled fictional account
  kpi mrr --format json       self-service MRR for a CI job
  kpi arr --demo --weekly     ARR week over week against the 10 % target
  kpi snapshot                save this week's data for history

Exit codes: 0 ok, 1 a data source failed, 2 bad usage/config/input, 3 a KPI or OKR at or beyond --fail-on (kpi reconcile: a customer differs), 4 authentication failed, 70 internal error (a bug).`,
    );
  program.addCommand(revenueCommand(context, 'mrr'));
  program.addCommand(revenueCommand(context, 'arr'));
  program.addCommand(metricsCommand(context));
  program.addCommand(reportCommand(context));
  program.addCommand(okrCommand(context));
  program.addCommand(reconcileCommand(context));
  program.addCommand(initCommand(context));
  program.addCommand(configCommand(context));
  program.addCommand(completionCommand(context, program));
  program.helpCommand(false);
  program.addCommand(helpCommand(context, program));
  program.addCommand(snapshotCommand(context));
  const inherit = (command: Command) => {
    for (const child of command.commands) {
      child.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
      inherit(child);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI and returns the exit code. Errors go to stderr; stdout gets output only on success. */
export async function run(argv: string[], baseContext: CliContext): Promise<number> {
  const context = withClock(baseContext);
  const program = buildProgram(context);
  try {
    context.now(); // an invalid KPI_NOW is a usage error before anything runs
    if (argv.length <= 2) {
      program.outputHelp();
      return ExitCode.Success;
    }
    await program.parseAsync(argv);
    return ExitCode.Success;
  } catch (error) {
    return reportError(error, context);
  }
}

/**
 * `KPI_NOW` (an ISO timestamp) stands in for the clock: reproducible reports, and
 * re-running last Monday's report later.
 */
function withClock(context: CliContext): CliContext {
  const fixed = context.env.KPI_NOW;
  if (!fixed) return context;
  return {
    ...context,
    now: () => {
      const date = new Date(fixed);
      if (!isRealMoment(fixed, date)) {
        throw new UsageError(`KPI_NOW is not a timestamp: "${fixed}"`, 'Expected something like 2026-11-23T09:00:00Z.');
      }
      return date;
    },
  };
}

function reportError(error: unknown, context: CliContext): number {
  if (error instanceof ReportExit) return error.exitCode;
  if (error instanceof CommanderError) {
    // Commander has already printed its message (help and version exit cleanly).
    return error.exitCode === 0 ? ExitCode.Success : ExitCode.BadInput;
  }
  if (error instanceof KpiError) {
    messagesTo(context.stderr).error(error.message, error.hint);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (context.env.KPI_DEBUG ? error.stack ?? error.message : error.message) : String(error);
  context.stderr.write(`kpi: internal error: ${terminalSafeMessage(detail)}\n  This is a bug in kpi; set KPI_DEBUG=1 for details.\n`);
  return ExitCode.InternalError;
}
