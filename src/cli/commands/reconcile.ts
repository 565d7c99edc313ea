import { Command, InvalidArgumentError, Option } from 'commander';
import { reconcileWithList } from '../../app/reconcile.js';
import { UsageError } from '../../errors.js';
import { DEMO_EXPORT_FILE } from '../../package-root.js';
import type { ReconcileMeasure } from '../../reconcile/customer-figures.js';
import { DEFAULT_COLUMNS } from '../../reconcile/external-list.js';
import { renderReconciliationDelimited, renderReconciliationJson, renderReconciliationTable } from '../../render/reconcile.js';
import { describeProgress, describeReadCost } from '../../terminal/read-summary.js';
import { messagesTo } from '../../terminal/messages.js';
import { makeProgress } from '../../terminal/terminal.js';
import { openBillingSource } from '../billing-source-options.js';
import { commandConfig } from '../command-config.js';
import type { CliContext } from '../context.js';
import { emitFormatted, notifier } from '../output.js';
import { addOutputOptions, addSourceOptions, ENVIRONMENT_HELP, type OutputFlags, type SourceFlags } from '../options.js';
import { EXIT_OFF_TRACK, ReportExit } from './report.js';

interface ReconcileFlags extends SourceFlags, OutputFlags {
  against?: string;
  measure: ReconcileMeasure;
  tolerance: bigint;
  customerColumn?: string;
  mrrColumn?: string;
  currencyColumn?: string;
  monthColumn?: string;
  month?: string;
  currency?: string;
  failOn?: 'difference';
}

const defaults = (role: keyof typeof DEFAULT_COLUMNS) => DEFAULT_COLUMNS[role].join(', ');

export function reconcileCommand(context: CliContext): Command {
  const command = new Command('reconcile').description("Per customer: kpi's MRR against a list from outside (Stripe's \"MRR per subscriber per month\" export, a spreadsheet)");
  addSourceOptions(command);
  addOutputOptions(command);
  return command
    .option('--against <file>', 'the CSV list to compare with (default with --demo: the bundled demo export)')
    .addOption(new Option('--measure <which>', "kpi's figure to compare: stripe (Stripe's definition by stripe_settings, every recurring product) or handbook (the configured tiers)").choices(['stripe', 'handbook']).default('stripe'))
    .addOption(new Option('--tolerance <minor-units>', 'a customer within this many minor units (cents) matches').argParser(parseTolerance).default(1n, '1'))
    .option('--customer-column <name>', `the customer id column (default: the first of ${defaults('customer')})`)
    .option('--mrr-column <name>', `the MRR column, in major units (default: ${defaults('mrr')})`)
    .option('--currency-column <name>', `the currency column (default: ${defaults('currency')})`)
    .option('--month-column <name>', `the month column (default: ${defaults('month')})`)
    .addOption(new Option('--month <yyyy-mm>', 'the month to compare when the list holds several (default: the latest)').argParser(parseMonth))
    .addOption(new Option('--currency <code>', 'the currency of every row when the list has no currency column').argParser(parseCurrency))
    .addOption(new Option('--fail-on <what>', `exit ${EXIT_OFF_TRACK} when a customer differs beyond the tolerance (for CI)`).choices(['difference']))
    .addHelpText(
      'after',
      `
Examples:
  kpi reconcile --demo                                   the demo account against its bundled Stripe export
  kpi reconcile --against mrr-per-subscriber.csv         your account against Stripe's export
  kpi reconcile --against list.csv --measure handbook    the handbook figure instead
  kpi reconcile --against list.csv --month 2026-10       one month of a several-month export
  kpi reconcile --against list.csv --fail-on difference  for CI: exit ${EXIT_OFF_TRACK} when any customer differs

Difference = kpi - list, per customer and currency, each side rounded once to the minor unit.

Exit codes: 0 ok, 1 a data source failed, 2 bad usage/config or an unreadable list (bad header, row or number),
${EXIT_OFF_TRACK} --fail-on difference and a customer differs (the result still prints), 4 authentication failed, 70 internal error (a bug).` +
        ENVIRONMENT_HELP.replace(/\n\nExit codes:.*$/s, ''),
    )
    .action(async (flags: ReconcileFlags) => {
      const config = commandConfig(flags, context);
      const against = flags.against ?? (flags.demo ? DEMO_EXPORT_FILE : undefined);
      if (!against) throw new UsageError('kpi reconcile needs --against FILE: the per-customer list to compare with', "Download Stripe's \"MRR per subscriber per month\" report from Billing analytics, or try `kpi reconcile --demo`.");
      const now = context.now();
      const source = await openBillingSource(flags, context.env, now, notifier(context));
      const progress = makeProgress(context.stderr);
      const report = await reconcileWithList(source, config, {
        against,
        againstName: flags.against ?? 'the bundled demo export',
        measure: flags.measure,
        tolerance: flags.tolerance,
        now,
        month: flags.month,
        currency: flags.currency,
        columns: { customer: flags.customerColumn, mrr: flags.mrrColumn, currency: flags.currencyColumn, month: flags.monthColumn },
        onProgress: (read) => progress.update(describeProgress(read, source.readStats)),
      }).finally(() => progress.done());
      const messages = messagesTo(context.stderr);
      if (flags.verbose) {
        messages.note(`config: ${config.origin}; source: ${source.description}; list: ${against} (${report.list.rowsRead} rows)`);
        messages.note(describeReadCost(report.subscriptionsRead, source.readStats));
      }
      if (flags.format !== 'table') for (const note of report.notes) messages.warning(note);
      emitFormatted(context, flags, {
        json: () => renderReconciliationJson(report),
        table: (palette, screen) => renderReconciliationTable(report, palette, screen),
        delimited: (format) => renderReconciliationDelimited(report, format),
      });
      if (flags.failOn === 'difference' && report.lines.length > 0) {
        messages.error(`${report.lines.length} customer${report.lines.length === 1 ? '' : 's'} differ${report.lines.length === 1 ? 's' : ''} beyond the tolerance (--fail-on difference)`);
        throw new ReportExit(EXIT_OFF_TRACK);
      }
    });
}

function parseTolerance(value: string): bigint {
  if (!/^\d{1,12}$/.test(value)) throw new InvalidArgumentError('expected a whole number of minor units (cents), 0 or more, e.g. 1');
  return BigInt(value);
}

function parseMonth(value: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new InvalidArgumentError('expected a month like 2026-11');
  return value;
}

function parseCurrency(value: string): string {
  if (!/^[A-Za-z]{3}$/.test(value)) throw new InvalidArgumentError('expected a three-letter currency code, e.g. usd');
  return value.toLowerCase();
}
