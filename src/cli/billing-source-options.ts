import { DEMO_SNAPSHOTS_DIR } from '../package-root.js';
import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { BillingSource } from '../sources/billing-source.js';
import { describeSnapshot } from '../app/weekly-arr.js';
import { snapshotReader } from '../snapshots/snapshot-reader.js';
import { describeSelection, selectHistory, type HistoryEntry, type HistorySelection } from '../history/snapshot-selection.js';
import { listHistory, listSnapshots, readSnapshot, resolveDataDir, snapshotsDir, type StoredSnapshot } from '../snapshots/snapshot-store.js';
import { readApiBase, readStripeCredentials, type StripeCredentials } from '../sources/stripe/credentials.js';
import type { WireAccountReader } from '../sources/stripe/wire-source.js';
import { WireBillingSource } from '../sources/stripe/wire-source.js';
import type { SourceFlags } from './options.js';
import { limitHeapGrowth } from '../runtime/heap-growth.js';

/**
 * Where figures come from: `--snapshot FILE`, `--demo` (the newest bundled demo snapshot),
 * or the Stripe API with the configured key.
 */
export async function openBillingSource(flags: SourceFlags, env: NodeJS.ProcessEnv, now: Date, notify?: (note: string) => void): Promise<BillingSource> {
  if (flags.snapshot) return snapshotSource(flags.snapshot);
  if (flags.demo) {
    const newest = demoSnapshots().at(-1);
    if (!newest) throw new UsageError(`the bundled demo snapshots are missing from ${DEMO_SNAPSHOTS_DIR}`);
    return snapshotSource(newest.path, 'the bundled demo account');
  }
  const { reader, description } = await openStripeReader(flags, env, notify);
  return new WireBillingSource(reader, description, Math.floor(now.getTime() / 1000));
}

export function snapshotSource(path: string, displayName: string = path): BillingSource {
  const file = readSnapshot(path);
  return new WireBillingSource(snapshotReader(file, displayName), describeSnapshot(file), file.taken_at, file.exchange_rates);
}

/** The Stripe API reader. The SDK is large: it is loaded only when the API is really read. */
export async function openStripeReader(
  flags: SourceFlags,
  env: NodeJS.ProcessEnv,
  notify: (note: string) => void = () => {},
): Promise<{ reader: WireAccountReader; description: string; livemode: boolean }> {
  const credentials = readStripeCredentials({ apiKeyFile: flags.apiKeyFile, env });
  for (const note of keyNotes(credentials)) notify(note);
  const apiBase = readApiBase(env);
  const { StripeApiReader } = await import('../sources/stripe/api-reader.js');
  // Only once the bundle has taken its code cache: a V8 flag set earlier would change the
  // stamp the cache must match (runtime/heap-growth.ts).
  limitHeapGrowth();
  const reader = new StripeApiReader({ credentials, apiBase, maxRps: flags.maxRps });
  const where = apiBase ? `Stripe-compatible API at ${apiBase.host}:${apiBase.port}` : 'Stripe';
  return { reader, description: `${where} (${credentials.mode} mode)`, livemode: credentials.mode === 'live' };
}

/**
 * kpi only reads: a restricted key with read access is all it needs, and the safer choice.
 * A full secret key works, with a word about it; a live key gets a reminder too.
 */
export function keyNotes(credentials: StripeCredentials): string[] {
  const notes: string[] = [];
  if (credentials.key.startsWith('sk_')) {
    notes.push(
      `warning: the key from ${credentials.origin} is a full-access secret key; kpi only reads, so a restricted key (rk_...) with Read access to Products, Prices, Coupons and Subscriptions is enough and safer`,
    );
  }
  if (credentials.mode === 'live') notes.push(`note: using a live-mode key from ${credentials.origin}: kpi sends only read (GET) requests`);
  return notes;
}

export function demoSnapshots(): StoredSnapshot[] {
  return listSnapshots(DEMO_SNAPSHOTS_DIR);
}

/** The demo is frozen at its last snapshot; everything else runs in the present. */
export function historyNow(flags: SourceFlags, snapshots: StoredSnapshot[], now: () => Date): Date {
  const last = snapshots.at(-1);
  return flags.demo && last ? new Date(last.takenAt * 1000) : now();
}

/**
 * The snapshots history commands read (the bundled series with `--demo`, else the data
 * directory's): those of one account and mode (`--account`, else the newest snapshot's),
 * ordered by when they were taken. What was left out, and misnamed files, are said
 * through `notify`.
 */
export function historySnapshots(
  flags: SourceFlags & { account?: string },
  env: NodeJS.ProcessEnv,
  config: KpiConfig,
  notify: (note: string) => void = () => {},
): { snapshots: HistoryEntry[]; directory: string; selection: HistorySelection } {
  const directory = flags.demo ? DEMO_SNAPSHOTS_DIR : snapshotsDir(resolveDataDir({ flag: flags.dataDir, env, configured: config.dataDir }));
  const selection = selectHistory(listHistory(directory), flags.account);
  for (const note of describeSelection(selection)) notify(note);
  return { snapshots: selection.snapshots, directory, selection };
}
