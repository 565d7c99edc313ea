/**
 * Generates the bundled demo Stripe account (fictional data), deterministically.
 *
 *   npx tsx scripts/generate-demo-account.ts [--out FILE] [--subscriptions N] [--seed S]
 *                                            [--as-of ISO|UNIX] [--pretty | --compact]
 *
 * Defaults: fixtures/demo-account.json, 400 subscriptions, seed 42, as of
 * 2026-11-16T00:00:00Z. The same options always give a byte-identical file. JSON is
 * pretty-printed (2 spaces) when that stays under 3 MB, compact otherwise.
 * A summary goes to stderr. See scripts/demo-account/README.md.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_AS_OF, DEFAULT_SEED, DEFAULT_SUBSCRIPTIONS, generateDemoAccount } from './demo-account/generate.js';
import { serializedSize, writeAccountFile } from './demo-account/serialize.js';
import { formatSummary, summarizeAccount } from './demo-account/summary.js';

/** Pretty-print only while the file stays under this size. */
const PRETTY_LIMIT_BYTES = 3_000_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usage(): string {
  return [
    'Usage: npx tsx scripts/generate-demo-account.ts [options]',
    '',
    'Options:',
    '  --out FILE            output file (default fixtures/demo-account.json)',
    `  --subscriptions N     number of subscriptions (default ${DEFAULT_SUBSCRIPTIONS})`,
    `  --seed S              integer PRNG seed (default ${DEFAULT_SEED})`,
    `  --as-of DATE          the account's "now", ISO 8601 or unix seconds (default ${new Date(DEFAULT_AS_OF * 1000).toISOString()})`,
    '  --pretty | --compact  force the JSON layout (default: pretty if under 3 MB)',
    '  -h, --help            show this help',
  ].join('\n');
}

function parseInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw new Error(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

function parseAsOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_AS_OF;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--as-of must be ISO 8601 or unix seconds, got "${value}"`);
  return Math.floor(ms / 1000);
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      subscriptions: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      pretty: { type: 'boolean' },
      compact: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage() + '\n');
    return;
  }
  if (values.pretty && values.compact) throw new Error('--pretty and --compact are exclusive');

  const out = resolve(values.out ?? resolve(repoRoot, 'fixtures/demo-account.json'));
  const subscriptions = parseInteger('subscriptions', values.subscriptions, DEFAULT_SUBSCRIPTIONS);
  const seed = parseInteger('seed', values.seed, DEFAULT_SEED);
  const asOf = parseAsOf(values['as-of']);

  const started = performance.now();
  const account = generateDemoAccount({ subscriptions, seed, asOf }); // runs the invariant self-check
  const generatedMs = performance.now() - started;

  // Pretty only if the pretty form stays under the limit (never tried for large accounts).
  const pretty =
    values.pretty ?? (values.compact ? false : subscriptions <= 2000 && serializedSize(account, true) < PRETTY_LIMIT_BYTES);
  mkdirSync(dirname(out), { recursive: true });
  const bytes = writeAccountFile(out, account, pretty);

  process.stderr.write(
    [
      `demo account: ${out}`,
      `  as of      ${new Date(asOf * 1000).toISOString()} (${asOf}), seed ${seed}`,
      `  file       ${bytes} bytes (${(bytes / 1e6).toFixed(2)} MB, ${pretty ? 'pretty' : 'compact'}), generated and checked in ${generatedMs.toFixed(0)} ms`,
      formatSummary(summarizeAccount(account)),
      '',
    ].join('\n'),
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`generate-demo-account: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
