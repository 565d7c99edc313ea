import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';

export const HELP_TOPICS: Record<string, string> = {
  environment: `Environment variables kpi reads

  STRIPE_API_KEY    Stripe key (a restricted key with Read access to Products, Prices,
                    Coupons and Subscriptions is enough). Never passed as a flag; or use
                    --api-key-file FILE.
  STRIPE_API_BASE   Another Stripe-compatible endpoint, e.g. http://127.0.0.1:12111.
  GITHUB_TOKEN      For report KPIs with source github.
  GITHUB_API_URL    GitHub Enterprise (default https://api.github.com).
  HUBSPOT_TOKEN     A HubSpot private app token, for report KPIs with source hubspot
                    (or the variable their token_env names).
  HUBSPOT_API_URL   Another HubSpot-compatible API (default https://api.hubapi.com).
  KPI_DATA_DIR      Where snapshots and the report history are kept
                    (default $XDG_DATA_HOME/kpi, i.e. ~/.local/share/kpi); ECB rates are
                    cached in its rates/ folder.
  KPI_ECB_URL       The folder of the ECB reference-rate feeds, for "rates: ecb" (a mirror;
                    default https://www.ecb.europa.eu/stats/eurofxref/).
  KPI_ALLOW_COMMANDS
                    Set to 1 to let kpi report and kpi okr status run the config's
                    command sources (like --allow-commands; for CI).
  KPI_NOW           An ISO timestamp that stands in for the clock (reproducible runs).
  KPI_DEBUG         Set to show stack traces of internal errors.
  NO_COLOR          Set (non-empty) to turn colour off; FORCE_COLOR turns it on;
                    TERM=dumb turns it off.
  LC_ALL, LC_CTYPE, LANG
                    A locale that is not UTF-8 (or TERM=linux or dumb) draws charts,
                    sparklines and marks in ASCII, like --ascii.
  NODE_OPTIONS      A heap flag given here wins over kpi's setting for its part of the
                    heap: --max-semi-space-size and the like for the young generation,
                    --max-old-space-size and the like for the old one. Any V8 flag here
                    makes kpi start a little slower (its compiled-code cache no longer fits).
  Report sources may name more (json sources' auth.env, command sources' env,
  hubspot sources' token_env). Their values, GITHUB_TOKEN's, HUBSPOT_TOKEN's and
  STRIPE_API_KEY's never appear in any output.
`,
  formats: `Output formats (--format)

  table      For people: aligned columns, colour only on a terminal. The default.
  json       For CI: a versioned envelope (schema_version, kind, generated_at) with
             stable snake_case fields; money as integers in minor units plus a currency
             code. JSON Schemas for every kind are in the package's schemas/ folder.
  csv, tsv   For spreadsheets: a header row, RFC 4180 quoting, plain numbers with "."
             as the decimal point, money in major units; text that a spreadsheet would
             run as a formula starts with a ' .
  markdown   kpi report, kpi okr status and kpi metrics: ready to paste into the pre-read doc.
  html       kpi report, kpi arr --weekly and kpi okr status: one self-contained page with
             charts (inline CSS and SVG, no script, nothing loaded from elsewhere).

  -o FILE writes the result to FILE (whole or not at all) instead of stdout; a new
  FILE is private (0600 unless the umask is stricter), an existing one keeps its mode.
`,
  'exit-codes': `Exit codes

  0   success
  1   a data source failed (Stripe, a file, an API), or a file could not be written
      whole (disk full: nothing is left under its name); kpi report and kpi okr status:
      a KPI's source failed, a missing or rejected Stripe key included (everything else
      still prints; this wins over 3)
  2   bad usage, configuration or input; kpi okr lint found errors
  3   kpi report --fail-on: a KPI at or beyond the level; kpi okr status --fail-on
      off-track: something is Off-Track; kpi reconcile --fail-on difference: a customer
      differs beyond the tolerance (the output still prints)
  4   authentication failed (no key, a malformed or rejected key, missing permission)
      for commands that read Stripe alone (mrr, arr, snapshot, reconcile, config
      check)
  70  an internal error (a bug; KPI_DEBUG=1 shows details)
`,
};

/** `kpi help [topic|command]`: the topics above, or a command's own help. */
export function helpCommand(context: CliContext, program: Command): Command {
  return new Command('help')
    .description(`Help on a command, or on a topic: ${Object.keys(HELP_TOPICS).join(', ')}`)
    .argument('[topic...]', 'a topic or a command (e.g. "exit-codes", "okr status")')
    .addHelpText('after', '\nExamples:\n  kpi help exit-codes\n  kpi help okr status')
    .action((words: string[]) => {
      if (words.length === 0) return program.outputHelp();
      const topic = HELP_TOPICS[words.join(' ')];
      if (topic) return void context.stdout.write(topic);
      let command: Command | undefined = program;
      for (const word of words) command = command?.commands.find((candidate) => candidate.name() === word);
      if (!command) {
        throw new UsageError(
          `no help for "${words.join(' ')}"`,
          `Topics: ${Object.keys(HELP_TOPICS).join(', ')}. Commands: ${program.commands.map((candidate) => candidate.name()).join(', ')}.`,
        );
      }
      command.outputHelp();
    });
}
