import { InvalidArgumentError, Option, type Command } from 'commander';

export const TABLE_FORMATS = ['table', 'json', 'csv', 'tsv'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** Flags every command that reads billing data shares. */
export interface SourceFlags {
  demo?: boolean;
  snapshot?: string;
  config?: string;
  apiKeyFile?: string;
  maxRps?: number;
  dataDir?: string;
}

export interface OutputFlags {
  format: TableFormat;
  color: boolean;
  verbose?: boolean;
  output?: string;
  wide?: boolean;
}

/** `stripe: false` for a command that reads snapshots only: key and rate flags would do nothing there. */
export function addSourceOptions(command: Command, options: { snapshotFile: boolean; stripe?: boolean } = { snapshotFile: true }): Command {
  command
    .addOption(new Option('--demo', 'use the bundled fictional account (no key, no network) and, without --config, its config').conflicts(['apiKeyFile', 'maxRps', 'snapshot']))
    .option('--config <file>', 'configuration file (JSON or YAML); default: ./kpi.config.{yaml,yml,json}, else the built-in handbook rules');
  if (options.stripe !== false) {
    command
      .option('--api-key-file <file>', 'read the Stripe key from this file instead of STRIPE_API_KEY')
      .addOption(
        new Option('--max-rps <n>', "requests per second at most, 0.1 to 1000 (default: 95 % of Stripe's limit: 95 live, 23.75 test)").argParser(parseRequestRate),
      );
  }
  command.option('--data-dir <dir>', 'where snapshots are kept (default: KPI_DATA_DIR, the config\'s data_dir, or ~/.local/share/kpi)');
  if (options.snapshotFile) {
    command.addOption(new Option('--snapshot <file>', 'compute from a snapshot file instead of reading Stripe').conflicts(['apiKeyFile', 'maxRps']));
  }
  return command;
}

/** Every command that converts money: where its exchange rates may come from. */
export function addRatesOptions(command: Command): Command {
  return command.option('--offline', 'ECB reference rates from the cache only, no network (no effect with fixed rates in the config)');
}

export function addOutputOptions(command: Command, formats: readonly string[] = TABLE_FORMATS): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('table'))
    .option('-o, --output <file>', 'write the result to this file (whole or not at all; a new file is 0600) instead of stdout')
    .option('--no-color', 'no colour in the table, even on a terminal')
    .option('--wide', 'full-width rows, no shortening (tables fit the terminal otherwise; piped output is never shortened)')
    .option('--verbose', 'print what was read, from where and at what cost (requests, retries, 429s, time, memory) to stderr');
}

/**
 * Below 0.1 a run waits minutes a request (and a tiny rate overflows the limiter into no
 * limit at all); above 1000 the limit means nothing against Stripe's own.
 */
export function parseRequestRate(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0.1 || number > 1000) throw new InvalidArgumentError('expected a number of requests per second from 0.1 to 1000, e.g. 20');
  return number;
}

/**
 * A count with a ceiling: a flag that sizes work (weeks to show, days to look ahead) must not
 * let a typo exhaust memory or overflow a date.
 */
export function wholeNumberUpTo(max: number, what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0 || number > max) throw new InvalidArgumentError(`expected a whole number of ${what} from 1 to ${max}`);
    return number;
  };
}

/**
 * Whether `value` starts with a calendar day that exists and `parsed` (its Date) is valid:
 * `new Date('2026-02-30')` quietly becomes 2 March.
 */
export function isRealMoment(value: string, parsed: Date): boolean {
  if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day)).getUTCDate() === day;
}

/**
 * A date or moment: "2026-10-01" means the end of that day (UTC), so a snapshot taken
 * that day counts; a full ISO timestamp means that moment.
 */
export function parseMoment(value: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = new Date(dateOnly ? `${value}T23:59:59.999Z` : value);
  if (!isRealMoment(value, parsed)) {
    throw new InvalidArgumentError('expected a date like 2026-10-01 or a timestamp like 2026-10-01T12:00:00Z');
  }
  return parsed;
}

export const ENVIRONMENT_HELP = `
Environment:
  STRIPE_API_KEY    the Stripe secret or restricted key (never passed as a flag)
  STRIPE_API_BASE   another Stripe-compatible endpoint, e.g. http://127.0.0.1:12111
  KPI_DATA_DIR      where snapshots are kept
  NO_COLOR          set to turn colour off

Exit codes: 0 ok, 1 a data source failed, 2 bad usage/config/input, 4 authentication failed, 70 internal error (a bug).`;

/** For commands that draw (charts, sparklines): plain ASCII for terminals that cannot show Unicode. */
export function addAsciiOption(command: Command): Command {
  return command.option('--ascii', 'draw charts and marks with ASCII characters only (automatic with TERM=linux or dumb, or a non-UTF-8 locale)');
}
