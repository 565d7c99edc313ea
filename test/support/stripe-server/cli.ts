/**
 * Serves an account file until interrupted, for benchmarks and manual runs:
 *
 *   npx tsx test/support/stripe-server/cli.ts (--account FILE | --generate N) [--port N] [--latency-ms N]
 *       [--rate-limit N] [--fault-rate X] [--fault-kinds 500,reset,truncated,429] [--seed N]
 *       [--api-key KEY]...
 *
 * `--generate N` serves a generated demo-shaped account of N subscriptions (benchmarks).
 * Prints the base URL as the only line on stdout, so scripts can read it.
 */
import { loadAccountFile } from './index.js';
import { generateDemoAccount } from '../../../scripts/demo-account/generate.js';
import type { FaultKind } from './faults.js';
import { listenStripeServer } from './server.js';
import type { StripeServerOptions } from './types.js';

const USAGE =
  'usage: cli.ts (--account FILE | --generate N) [--port N] [--latency-ms N] [--rate-limit N] [--fault-rate X] ' +
  '[--fault-kinds 500,reset,truncated,429] [--seed N] [--api-key KEY]...';

const FAULT_KINDS: readonly FaultKind[] = ['500', 'reset', 'truncated', '429'];

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberArg(flag: string, text: string | undefined, min = 0): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value) || value < min) fail(`${flag} needs a number >= ${min}`);
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  let accountPath: string | undefined;
  let generate: number | undefined;
  let port = 0;
  let faultRate = 0;
  let faultKinds: FaultKind[] = [...FAULT_KINDS];
  let seed: number | undefined;
  const apiKeys: string[] = [];
  const options: Omit<StripeServerOptions, 'account'> = {};

  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    switch (flag) {
      case '--account':
        if (!value) fail('--account needs a file');
        accountPath = value;
        break;
      case '--generate':
        generate = numberArg(flag, value, 1);
        break;
      case '--port':
        port = numberArg(flag, value);
        break;
      case '--latency-ms':
        options.latencyMs = numberArg(flag, value);
        break;
      case '--rate-limit':
        options.rateLimitPerSecond = numberArg(flag, value, Number.MIN_VALUE);
        break;
      case '--fault-rate':
        faultRate = numberArg(flag, value);
        if (faultRate > 1) fail('--fault-rate is a fraction within 0..1');
        break;
      case '--fault-kinds':
        faultKinds = (value ?? '').split(',').filter(Boolean) as FaultKind[];
        if (faultKinds.length === 0 || faultKinds.some((kind) => !FAULT_KINDS.includes(kind))) {
          fail(`--fault-kinds takes a comma-separated subset of ${FAULT_KINDS.join(',')}`);
        }
        break;
      case '--seed':
        seed = numberArg(flag, value);
        break;
      case '--api-key':
        if (!value) fail('--api-key needs a key');
        apiKeys.push(value);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      default:
        fail(`unknown argument: ${flag}`);
    }
    i++;
  }
  if (!accountPath === (generate === undefined)) fail('give one of --account or --generate');
  if (faultRate > 0) options.faults = { rate: faultRate, kinds: faultKinds, seed };
  if (apiKeys.length > 0) options.apiKeys = apiKeys;

  const account = accountPath ? loadAccountFile(accountPath) : generateDemoAccount({ subscriptions: generate, check: false });
  const server = await listenStripeServer({ account, ...options }, port);
  process.stdout.write(`${server.url}\n`);

  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
