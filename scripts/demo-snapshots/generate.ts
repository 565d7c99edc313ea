/**
 * Writes the bundled weekly snapshot series of the demo account (fictional data):
 *
 *   npx tsx scripts/demo-snapshots/generate.ts
 *
 * Ten snapshots, every Monday 00:00 UTC from 9 weeks before the demo's `as_of` to `as_of`
 * (2026-09-14 to 2026-11-16), into `fixtures/demo-snapshots/` (old `snapshot-*.json.gz`
 * files there are deleted first). Each is `takeSnapshot` over the account as it was that
 * Monday (`stateAt`, history.ts); the last one is the demo account itself. Byte-identical
 * on every run: fixed file-name suffixes, and gzip of the same JSON gives the same bytes.
 * A table of the weekly movements goes to stderr. See README.md in this folder.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import type { StripeAccountFile, WireSubscription } from '../../src/sources/stripe/wire.js';
import { jsonEqual } from '../demo-account/check.js';
import { generateDemoAccount } from '../demo-account/generate.js';
import { isCounted, planHistory, stateAt, WEEK, type AccountHistory } from './history.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SERIES_DIR = resolve(repoRoot, 'fixtures/demo-snapshots');
export const DEMO_ACCOUNT_PATH = resolve(repoRoot, 'fixtures/demo-account.json');
export const SERIES_SOURCE = 'demo account (fictional data)';
export const SERIES_WEEKS = 10;

/** The Mondays of the series, oldest first; the last is `asOf`. */
export function seriesTimes(asOf: number, weeks: number = SERIES_WEEKS): number[] {
  return Array.from({ length: weeks }, (_, k) => asOf - (weeks - 1 - k) * WEEK);
}

/** Fixed file-name suffix: the first 8 hex digits of sha256 of the ISO date ("2026-09-14"). */
export function snapshotSuffix(takenAt: number): string {
  return createHash('sha256').update(new Date(takenAt * 1000).toISOString().slice(0, 10)).digest('hex').slice(0, 8);
}

export interface SeriesEntry {
  takenAt: number;
  suffix: string;
  snapshot: SnapshotFile;
}

export interface DemoSeries {
  account: StripeAccountFile;
  history: AccountHistory;
  entries: SeriesEntry[];
}

/** Builds the series in memory (nothing is written). */
export async function buildDemoSnapshots(account: StripeAccountFile = generateDemoAccount()): Promise<DemoSeries> {
  const times = seriesTimes(account.as_of);
  const history = planHistory(account, { from: times[0] as number });
  const entries: SeriesEntry[] = [];
  for (const takenAt of times) {
    const state = stateAt(account, takenAt, history);
    const snapshot = await takeSnapshot(new AccountFileReader(state), { takenAt, source: SERIES_SOURCE, livemode: false });
    entries.push({ takenAt, suffix: snapshotSuffix(takenAt), snapshot });
  }
  return { account, history, entries };
}

/** What happened in the week that ended with each snapshot (the first has no week before it). */
export interface WeekFigures {
  date: string;
  /** `active` + `past_due` subscriptions at the snapshot. */
  counted: number;
  trialing: number;
  /** Subscriptions created during the week. */
  created: number;
  /** Subscriptions that ended (canceled) during the week. */
  canceled: number;
  /** Subscriptions that went from counted to `unpaid` (dunning gave up). */
  unpaid: number;
  /** Subscriptions trialing at the previous snapshot and counted at this one. */
  trialsConverted: number;
  upgrades: number;
  downgrades: number;
}

export function weeklyFigures(series: DemoSeries): WeekFigures[] {
  return series.entries.map((entry, k) => {
    const previous = k > 0 ? series.entries[k - 1] : undefined;
    const since = previous?.takenAt ?? -Infinity;
    const before = new Map((previous?.snapshot.subscriptions ?? []).map((subscription) => [subscription.id, subscription]));
    const subscriptions = entry.snapshot.subscriptions;
    const inWeek = (at: number | null) => previous !== undefined && at !== null && at > since && at <= entry.takenAt;
    const changes = series.history.quantityChanges.filter((change) => inWeek(change.at));
    return {
      date: new Date(entry.takenAt * 1000).toISOString().slice(0, 10),
      counted: subscriptions.filter(isCounted).length,
      trialing: subscriptions.filter((subscription) => subscription.status === 'trialing').length,
      created: subscriptions.filter((subscription) => inWeek(subscription.created)).length,
      canceled: subscriptions.filter((subscription) => subscription.status === 'canceled' && inWeek(subscription.ended_at)).length,
      unpaid: subscriptions.filter((subscription) => subscription.status === 'unpaid' && before.has(subscription.id) && isCounted(before.get(subscription.id)!)).length,
      trialsConverted: subscriptions.filter((subscription) => isCounted(subscription) && before.get(subscription.id)?.status === 'trialing').length,
      upgrades: changes.filter((change) => change.kind === 'upgrade').length,
      downgrades: changes.filter((change) => change.kind === 'downgrade').length,
    };
  });
}

/**
 * Customers counted (an `active` or `past_due` subscription) at some snapshot, not counted
 * at a later one, and counted again after that: churned and won back within the series.
 */
export function winBackCustomers(snapshots: ReadonlyArray<{ subscriptions: readonly WireSubscription[] }>): string[] {
  const customerOf = (subscription: WireSubscription) => (typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id);
  const counted = snapshots.map((snapshot) => new Set(snapshot.subscriptions.filter(isCounted).map(customerOf)));
  const everyone = new Set(counted.flatMap((set) => [...set]));
  return [...everyone]
    .filter((customer) => {
      const pattern = counted.map((set) => (set.has(customer) ? '1' : '0')).join('');
      return /10+1/.test(pattern);
    })
    .sort();
}

export function formatFigures(figures: readonly WeekFigures[]): string {
  const header = ['week of', 'counted', 'trialing', 'new', 'canceled', '->unpaid', 'trials->paid', 'upgrades', 'downgrades'];
  const rows = figures.map((f, k) => [
    f.date,
    String(f.counted),
    String(f.trialing),
    ...(k === 0 ? ['-', '-', '-', '-', '-', '-'] : [f.created, f.canceled, f.unpaid, f.trialsConverted, f.upgrades, f.downgrades].map(String)),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const account = generateDemoAccount();
  // The last snapshot must be exactly what `kpi mrr --demo` reads.
  const bundled = JSON.parse(readFileSync(DEMO_ACCOUNT_PATH, 'utf8')) as unknown;
  if (!jsonEqual(account, bundled)) {
    throw new Error('fixtures/demo-account.json is not what the demo generator gives: regenerate it first (npm run demo:generate)');
  }
  const series = await buildDemoSnapshots(account);
  if (!jsonEqual(stateAt(account, account.as_of, series.history), account)) throw new Error('stateAt(as_of) differs from the demo account');

  const dir = SERIES_DIR;
  let existing: string[] = [];
  try {
    existing = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of existing) if (/^snapshot-.*\.json\.gz$/.test(name)) unlinkSync(join(dir, name));

  let bytes = 0;
  const written: string[] = [];
  for (const entry of series.entries) {
    const path = writeSnapshot(dir, entry.snapshot, { suffix: entry.suffix });
    bytes += statSync(path).size;
    written.push(relative(repoRoot, path));
  }

  const figures = weeklyFigures(series);
  const changes = series.history.quantityChanges;
  process.stderr.write(
    [
      `demo snapshots: ${relative(repoRoot, dir)}/ (${written.length} files, ${bytes} bytes)`,
      ...written.map((path) => `  ${path}`),
      '',
      formatFigures(figures),
      '',
      `  quantity changes: ${changes.filter((c) => c.kind === 'upgrade').length} upgrades, ${changes.filter((c) => c.kind === 'downgrade').length} downgrades`,
      `  win-backs: ${winBackCustomers(series.entries.map((entry) => entry.snapshot)).join(', ') || 'none'}`,
      '',
    ].join('\n'),
  );
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`demo-snapshots: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
