import { Command, InvalidArgumentError, Option } from 'commander';
import { computeRevenue } from '../../app/compute-revenue.js';
import { loadConfig } from '../../config/load.js';
import { renderRevenueDelimited } from '../../render/revenue-delimited.js';
import { renderRevenueJson } from '../../render/revenue-json.js';
import { renderRevenueTable } from '../../render/revenue-table.js';
import { colourEnabled, makePalette, makeProgress } from '../../terminal/terminal.js';
import { describeProgress, describeReadCost } from '../../terminal/read-summary.js';
import { openBillingSource } from '../billing-source-options.js';
import type { CliContext } from '../context.js';

const FORMATS = ['table', 'json', 'csv', 'tsv'] as const;
type Format = (typeof FORMATS)[number];

interface MrrFlags {
  maxRps?: number;
  demo?: boolean;
  config?: string;
  apiKeyFile?: string;
  format: Format;
  explain?: boolean;
  color: boolean;
  verbose?: boolean;
}

export function mrrCommand(context: CliContext): Command {
  return new Command('mrr')
    .description("Self-service MRR by tier and product, by the handbook's rules, next to Stripe's own definition")
    .addOption(new Option('--demo', 'use the bundled fictional account (no key, no network)').conflicts(['apiKeyFile', 'maxRps']))
    .option('--config <file>', 'configuration file (JSON or YAML); default: ./kpi.config.{yaml,yml,json}, else the built-in handbook rules')
    .option('--api-key-file <file>', 'read the Stripe key from this file instead of STRIPE_API_KEY')
    .addOption(
      new Option('--max-rps <n>', "requests per second at most (default: 95 % of Stripe's limit: 95 live, 23.75 test)").argParser(parsePositiveNumber),
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--explain', "list each counted subscription's contribution per product")
    .option('--no-color', 'no colour in the table, even on a terminal')
    .option('--verbose', 'print what was read, from where and at what cost (requests, retries, 429s, time, memory) to stderr')
    .addHelpText(
      'after',
      `
Examples:
  kpi mrr --demo                        the bundled fictional account, as a table
  STRIPE_API_KEY=rk_live_... kpi mrr    your account (a restricted read-only key is enough)
  kpi mrr --format json > mrr.json      for CI: integer minor units, versioned envelope
  kpi mrr --format csv --explain        one row per subscription and product, for a spreadsheet

Environment:
  STRIPE_API_KEY    the Stripe secret or restricted key (never passed as a flag)
  STRIPE_API_BASE   another Stripe-compatible endpoint, e.g. http://127.0.0.1:12111
  NO_COLOR          set to turn colour off

Exit codes: 0 ok, 1 a data source failed, 2 bad usage/config/input, 4 authentication failed.`,
    )
    .action(async (flags: MrrFlags) => {
      const config = loadConfig({ configPath: flags.config, cwd: context.cwd });
      const now = context.now();
      const source = await openBillingSource(flags, context.env, now);
      const progress = makeProgress(context.stderr);
      const report = await computeRevenue(source, config, {
        measure: 'mrr',
        explain: flags.explain ?? false,
        now,
        onProgress: (read) => progress.update(describeProgress(read, source.readStats)),
      }).finally(() => progress.done());

      if (flags.verbose) {
        context.stderr.write(`kpi: config: ${config.origin}; source: ${source.description}\n`);
        context.stderr.write(`kpi: ${describeReadCost(report.subscriptionsRead, source.readStats)}\n`);
      }
      // The table shows warnings itself; machine formats carry them too, but CI logs read stderr.
      if (flags.format !== 'table') {
        for (const warning of report.warnings) context.stderr.write(`kpi: warning: ${warning}\n`);
      }

      const output =
        flags.format === 'json'
          ? renderRevenueJson(report)
          : flags.format === 'table'
            ? renderRevenueTable(report, makePalette(colourEnabled(context.stdout, context.env, !flags.color)))
            : renderRevenueDelimited(report, flags.format);
      context.stdout.write(output);
    });
}

function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a positive number, e.g. 20');
  return number;
}
