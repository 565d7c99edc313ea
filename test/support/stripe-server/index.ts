/**
 * A Stripe-compatible, read-only HTTP server for integration and end-to-end tests. It
 * serves one fictional account from a `StripeAccountFile` on loopback, with Stripe's list
 * order, cursors, filters, expansion rules and errors, plus optional latency, rate
 * limiting and seeded faults.
 */
import { readFileSync } from 'node:fs';
import type { StripeAccountFile } from '../../../src/sources/stripe/wire.js';
import { listenStripeServer } from './server.js';
import type { RunningStripeServer, StripeServerOptions } from './types.js';

export type { FaultKind, FaultOptions } from './faults.js';
export type { RecordedRequest, RunningStripeServer, StripeServerOptions } from './types.js';

/** Listens on 127.0.0.1 with an ephemeral port. */
export function startStripeServer(options: StripeServerOptions): Promise<RunningStripeServer> {
  return listenStripeServer(options, 0);
}

const COLLECTIONS = ['products', 'prices', 'coupons', 'customers', 'subscriptions'] as const;

/** Reads and sanity-checks an account file; throws with the file name on any problem. */
export function loadAccountFile(path: string): StripeAccountFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read Stripe account file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const file = parsed as Partial<StripeAccountFile> | null;
  if (typeof file !== 'object' || file === null || file.object !== 'kpi.stripe_account' || file.version !== 1) {
    throw new Error(`${path} is not a Stripe account file (expected "object": "kpi.stripe_account", "version": 1)`);
  }
  for (const key of COLLECTIONS) {
    if (!Array.isArray(file[key])) throw new Error(`${path}: "${key}" must be an array`);
  }
  return file as StripeAccountFile;
}
