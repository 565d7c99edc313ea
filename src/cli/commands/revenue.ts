import { Command, Option } from 'commander';
import { computeRevenue } from '../../app/compute-revenue.js';
import { ratesForFigures } from '../../app/figure-rates.js';
import { requireReportingRates } from '../../app/reporting-rates.js';
import type { KpiConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_AT_RISK_HORIZON_DAYS } from '../../rules/at-risk.js';
import { renderRevenueDelimited } from '../../render/revenue-delimited.js';
import { renderRevenueJson } from '../../render/revenue-json.js';
import { renderRevenueTable } from '../../render/revenue-table.js';
import type { Measure } from '../../revenue/revenue-report.js';
import { describeProgress, describeReadCost } from '../../terminal/read-summary.js';
import { makeProgress } from '../../terminal/terminal.js';
import { messagesTo } from '../../terminal/messages.js';
import { openBillingSource } from '../billing-source-options.js';
import type { CliContext } from '../context.js';
import { emitFormatted, notifier, type Renderers } from '../output.js';
import { commandConfig } from '../command-config.js';
import { openRatesAt, type RatesFlags } from '../rates-options.js';
import { addAsciiOption, addOutputOptions, addRatesOptions, addSourceOptions, ENVIRONMENT_HELP, parseMoment, TABLE_FORMATS, wholeNumberUpTo, type TableFormat, type OutputFlags, type SourceFlags } from '../options.js';

/** Ten years: past any real cancel_at, trial or coupon end, and far inside what a date can hold. */
const MAX_AT_RISK_HORIZON_DAYS = 3660;
const parseHorizonDays = wholeNumberUpTo(MAX_AT_RISK_HORIZON_DAYS, 'days (ten years)');
/** Ten years of weeks: more than any history kpi keeps, and a series that still fits in memory. */
const MAX_WEEKS = 522;
const parseWeeks = wholeNumberUpTo(MAX_WEEKS, 'weeks (ten years)');

export interface RevenueFlags extends SourceFlags, Omit<OutputFlags, 'format'>, RatesFlags {
  /** `html` with `--weekly` only. */
  format: TableFormat | 'html';
  explain?: boolean;
  from?: Date;
  to?: Date;
  weekly?: boolean;
  weeks?: number;
  backfill?: boolean;
  account?: string;
  atRisk?: boolean;
  horizon?: number;
  constantCurrency?: boolean;
}


export const DEFAULT_WEEKS = 8;

const EXAMPLES: Record<Measure, string> = {
  mrr: `
Examples:
  kpi mrr --demo                         the bundled fictional account, as a table: EUR and USD lines, one USD total
  STRIPE_API_KEY=rk_live_... kpi mrr     your account (a restricted read-only key is enough)
  kpi mrr --format json > mrr.json       for CI: integer minor units, versioned envelope
  kpi mrr --format csv --explain         one row per subscription and product, for a spreadsheet
  kpi mrr --snapshot FILE                from a snapshot taken with \`kpi snapshot\`
  kpi mrr --demo --from 2026-10-01 --to 2026-11-16   new, expansion, contraction, churn, reactivation
  kpi mrr --demo --at-risk --horizon 14  past due, set to end, discounts and trials ending within 14 days`,
  arr: `
Examples:
  kpi arr --demo                         ARR = 12 x recurring MRR, other recurring groups included
  kpi arr --demo --weekly                ARR per week from the bundled snapshots, against the 10 % target
  kpi arr --weekly --weeks 12 --backfill weeks without a snapshot reconstructed (and labelled so)
  kpi arr --demo --weekly --ascii        the chart under the table in ASCII (# bars, - target, | axis)
  kpi arr --demo --weekly --format html > arr.html   a self-contained page with the chart
  kpi arr --format json                  for CI`,
};

function accountOption(historyFlag: string): Option {
  return new Option('--account <id>', `with ${historyFlag}: the Stripe account (acct_...) or fingerprint (fp_...) whose snapshots to use (default: the newest snapshot's)`);
}

function constantCurrencyOption(historyFlag: string, converted: string): Option {
  return new Option('--constant-currency', `with ${historyFlag}: ${converted}, so growth is without currency effects (needs "reporting" in the config)`);
}

export function revenueCommand(context: CliContext, measure: Measure): Command {
  const command = new Command(measure).description(
    measure === 'mrr'
      ? "Self-service MRR by tier and product, by the handbook's rules, next to Stripe's own definition (stripe_settings) and the difference by cause"
      : 'ARR (12 x recurring MRR) by tier and product, plus recurring groups outside self-service',
  );
  addSourceOptions(command);
  addOutputOptions(command, measure === 'arr' ? [...TABLE_FORMATS, 'html'] : TABLE_FORMATS);
  addRatesOptions(command);
  command.option('--explain', "list each counted subscription's contribution per product, and the causes of its difference from Stripe's figure");
  if (measure === 'mrr') {
    command
      .addOption(new Option('--from <date>', 'MRR movements from the snapshot at or before this date').argParser(parseMoment).conflicts(['explain', 'snapshot']))
      .addOption(new Option('--to <date>', 'MRR movements up to the snapshot at or before this date (default: now)').argParser(parseMoment))
      .addOption(accountOption('--from'))
      .addOption(constantCurrencyOption('--from', "both ends at the start's exchange rates"))
      .addOption(new Option('--at-risk', 'MRR at risk: past due, scheduled to end, discounts ending, trials ending (upside)').conflicts(['from']))
      .addOption(new Option('--horizon <days>', `with --at-risk: how many days ahead "ending" looks (default: ${DEFAULT_AT_RISK_HORIZON_DAYS}, at most ${MAX_AT_RISK_HORIZON_DAYS})`).argParser(parseHorizonDays));
  } else {
    command
      .addOption(new Option('--weekly', 'ARR per week from the snapshots, with week-over-week growth against the target').conflicts(['explain', 'snapshot']))
      .addOption(new Option('--weeks <n>', `with --weekly: how many weeks it shows (default: ${DEFAULT_WEEKS}, at most ${MAX_WEEKS})`).argParser(parseWeeks))
      .option('--backfill', 'with --weekly: reconstruct weeks without a snapshot from subscription lifecycle dates (labelled)')
      .addOption(accountOption('--weekly'))
      .addOption(constantCurrencyOption('--weekly', "every week at the first shown week's exchange rates"));
    addAsciiOption(command);
  }
  return command.addHelpText('after', EXAMPLES[measure] + '\n' + ENVIRONMENT_HELP).action(async (flags: RevenueFlags) => {
    const config = commandConfig(flags, context);
    if (flags.to && !flags.from) throw new UsageError('--to needs --from: movements are between two dates');
    if (flags.backfill && !flags.weekly) throw new UsageError('--backfill works with --weekly');
    if (flags.account !== undefined && !flags.weekly && !flags.from) throw new UsageError(`--account works with ${measure === 'mrr' ? '--from' : '--weekly'}: it chooses whose snapshots make the history`);
    if (flags.horizon !== undefined && !flags.atRisk) throw new UsageError('--horizon works with --at-risk', 'Add --at-risk to see the MRR at risk within the horizon.');
    if (flags.weeks !== undefined && !flags.weekly) throw new UsageError('--weeks works with --weekly', 'Add --weekly to see ARR week by week.');
    if (flags.constantCurrency) {
      if (!flags.weekly && !flags.from) throw new UsageError(`--constant-currency works with ${measure === 'mrr' ? '--from' : '--weekly'}: it holds the exchange rates of a history's start`);
      requireReportingRates(config, '--constant-currency');
    }
    if (flags.format === 'html' && !flags.weekly) throw new UsageError('--format html works with --weekly', 'Try `kpi arr --weekly --format html -o arr.html`.');
    // History reads snapshots and renders charts: loaded only when asked for.
    const renderers = flags.from
      ? await (await import('./revenue-history.js')).movements(context, config, flags)
      : flags.weekly
        ? await (await import('./revenue-history.js')).weekly(context, config, flags)
        : await figures(context, config, flags, measure);
    emitFormatted(context, flags, renderers);
  });
}

async function figures(context: CliContext, config: KpiConfig, flags: RevenueFlags, measure: Measure): Promise<Renderers> {
  const now = context.now();
  const source = await openBillingSource(flags, context.env, now, notifier(context));
  const rates = await ratesForFigures(config, openRatesAt(config, flags, context), source);
  const progress = makeProgress(context.stderr);
  const report = await computeRevenue(source, config, {
    measure,
    rates,
    explain: flags.explain ?? false,
    now,
    ...(flags.atRisk ? { atRiskHorizonDays: flags.horizon ?? DEFAULT_AT_RISK_HORIZON_DAYS } : {}),
    onProgress: (read) => progress.update(describeProgress(read, source.readStats)),
  }).finally(() => progress.done());
  const messages = messagesTo(context.stderr);
  if (flags.verbose) {
    messages.note(`config: ${config.origin}; source: ${source.description}`);
    messages.note(describeReadCost(report.subscriptionsRead, source.readStats));
  }
  // The table shows warnings itself; machine formats carry them too, but CI logs read stderr.
  if (flags.format !== 'table') {
    for (const warning of report.warnings) messages.warning(warning);
  }
  return {
    json: () => renderRevenueJson(report),
    table: (palette, screen) => renderRevenueTable(report, palette, screen),
    delimited: (format) => renderRevenueDelimited(report, format),
  };
}
