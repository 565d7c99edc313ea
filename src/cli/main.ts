import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, KpiError, UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { ReportExit } from './report-exit.js';
import type { CliContext } from './context.js';
import { messagesTo } from '../terminal/messages.js';
import { terminalSafeLines, terminalSafeMessage } from '../terminal/safe-text.js';
import { isRealMoment } from './options.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

type CommandFactory = (context: CliContext, program: Command) => Command;

/**
 * Each command's module, loaded only when needed: a run loads the one command it runs
 * (and what that imports), not every command's renderers, parsers and SDKs. Help,
 * completion and a mistyped name need them all. In the order `kpi --help` lists them.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<CommandFactory>]> = [
  ['mrr', async () => { const { revenueCommand } = await import('./commands/revenue.js'); return (context) => revenueCommand(context, 'mrr'); }],
  ['arr', async () => { const { revenueCommand } = await import('./commands/revenue.js'); return (context) => revenueCommand(context, 'arr'); }],
  ['metrics', async () => (await import('./commands/metrics.js')).metricsCommand],
  ['report', async () => (await import('./commands/report.js')).reportCommand],
  ['okr', async () => (await import('./commands/okr.js')).okrCommand],
  ['reconcile', async () => (await import('./commands/reconcile.js')).reconcileCommand],
  ['init', async () => (await import('./commands/init.js')).initCommand],
  ['config', async () => (await import('./commands/config.js')).configCommand],
  ['completion', async () => (await import('./commands/completion.js')).completionCommand],
  ['help', async () => (await import('./commands/help-topics.js')).helpCommand],
  ['snapshot', async () => (await import('./commands/snapshot.js')).snapshotCommand],
];

/** The commands `argv` needs: the one it names, or all of them (help, completion, no or an unknown name). */
export function commandsFor(argv: readonly string[]): string[] {
  const named = argv[2];
  const all = COMMANDS.map(([name]) => name);
  return named && named !== 'help' && named !== 'completion' && all.includes(named) ? [named] : all;
}

export async function buildProgram(context: CliContext, commands: readonly string[] = commandsFor([])): Promise<Command> {
  const factories = await Promise.all(COMMANDS.filter(([name]) => commands.includes(name)).map(async ([name, load]) => [name, await load()] as const));
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
  program.helpCommand(false);
  for (const [, factory] of factories) program.addCommand(factory(context, program));
  const inherit = (command: Command) => {
    for (const child of command.commands) {
      child.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
      inherit(child);
    }
  };
  inherit(program);
  return program;
}

// bin/kpi.js calls this once the bundle is loaded (see runtime/heap-growth.ts).
export { limitYoungGenerationGrowth } from '../runtime/heap-growth.js';

/** Runs the CLI and returns the exit code. Errors go to stderr; stdout gets output only on success. */
export async function run(argv: string[], baseContext: CliContext): Promise<number> {
  const context = withClock(baseContext);
  const program = await buildProgram(context, commandsFor(argv));
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
