import { UsageError } from '../errors.js';
import { compareText } from '../text-order.js';

/**
 * Which snapshots a history (weekly ARR, movements, last week's figure in a report) may
 * compare: only those of one Stripe account in one mode. A test-mode snapshot or one of
 * another account among them would show as a collapse of the figures, so they are left
 * out and counted, never mixed in.
 */
export interface HistoryEntry {
  path: string;
  /** Unix seconds, from the file's own `taken_at`: the name is only a hint. */
  takenAt: number;
  /** Unix seconds the file name claims, or null when the name carries no time. */
  namedAt: number | null;
  livemode: boolean;
  /** `acct_...`, or a fingerprint `fp_...`; null in old snapshots (see `fingerprint`). */
  account: string | null;
  /** Derived from the prices: present in every snapshot with prices, old ones included. */
  fingerprint: string | null;
}

export interface IgnoredSnapshot {
  entry: HistoryEntry;
  reason: 'other-mode' | 'other-account';
}

export interface HistorySelection {
  /** The snapshot that names the account reported on (the newest of it); null without snapshots. */
  reference: HistoryEntry | null;
  /** That account's snapshots, oldest first by `taken_at`. */
  snapshots: HistoryEntry[];
  ignored: IgnoredSnapshot[];
  /** Files whose name and `taken_at` disagree: ordered by their content, and reported. */
  misnamed: HistoryEntry[];
}

/**
 * Picks the account (`wanted`, an `acct_...` id or a fingerprint, else the one the newest
 * snapshot belongs to) and keeps its snapshots in the same mode.
 */
export function selectHistory(entries: readonly HistoryEntry[], wanted?: string): HistorySelection {
  const ordered = [...entries].sort((a, b) => a.takenAt - b.takenAt || compareText(a.path, b.path));
  const misnamed = ordered.filter((entry) => entry.namedAt !== null && entry.namedAt !== entry.takenAt);
  const reference = wanted === undefined ? ordered.at(-1) : ordered.filter((entry) => entry.account === wanted || entry.fingerprint === wanted).at(-1);
  if (!reference) {
    if (wanted === undefined) return { reference: null, snapshots: [], ignored: [], misnamed };
    const known = [...new Set(ordered.map(accountLabel))];
    throw new UsageError(
      `--account ${wanted}: no snapshot of that account`,
      known.length > 0 ? `The snapshots there belong to: ${known.join(', ')}.` : 'There are no snapshots yet: take them with `kpi snapshot`.',
    );
  }
  const snapshots: HistoryEntry[] = [];
  const ignored: IgnoredSnapshot[] = [];
  for (const entry of ordered) {
    if (!sameAccount(entry, reference)) ignored.push({ entry, reason: 'other-account' });
    else if (entry.livemode !== reference.livemode) ignored.push({ entry, reason: 'other-mode' });
    else snapshots.push(entry);
  }
  return { reference, snapshots, ignored, misnamed };
}

/**
 * Two Stripe ids decide; otherwise (a restricted key's snapshot, or one written before
 * kpi recorded accounts) the fingerprints do, which every snapshot with prices has.
 */
function sameAccount(a: HistoryEntry, b: HistoryEntry): boolean {
  if (isStripeId(a.account) && isStripeId(b.account)) return a.account === b.account;
  if (a.fingerprint !== null || b.fingerprint !== null) return a.fingerprint === b.fingerprint;
  return a.account === b.account;
}

function isStripeId(account: string | null): account is string {
  return account !== null && account.startsWith('acct_');
}

/** How the account shows to the user: the Stripe id, else the fingerprint, with the mode. */
function accountLabel(entry: HistoryEntry): string {
  return `${entry.account ?? entry.fingerprint ?? 'unknown account'} (${entry.livemode ? 'live' : 'test'} mode)`;
}

/** The selected account by its Stripe id when any of its snapshots knows it (a restricted key's do not). */
function selectedAccountId(selection: HistorySelection): string | null {
  const known = [...selection.snapshots].reverse().find((entry) => isStripeId(entry.account));
  return known?.account ?? selection.reference?.account ?? selection.reference?.fingerprint ?? null;
}

/** Notes for stderr: what was left out and why, and files whose names mislead. */
export function describeSelection(selection: HistorySelection): string[] {
  const notes: string[] = [];
  if (selection.ignored.length > 0 && selection.reference) {
    const otherAccount = selection.ignored.filter((ignored) => ignored.reason === 'other-account').length;
    const otherMode = selection.ignored.length - otherAccount;
    const why = [
      otherAccount > 0 ? `${otherAccount} of another account` : null,
      otherMode > 0 ? `${otherMode} of ${selection.reference.livemode ? 'test' : 'live'} mode` : null,
    ].filter((part) => part !== null);
    notes.push(
      `note: history of ${selectedAccountId(selection)} (${selection.reference.livemode ? 'live' : 'test'} mode): ignored ${selection.ignored.length} snapshot${selection.ignored.length === 1 ? '' : 's'} (${why.join(', ')}); choose the account with --account`,
    );
  }
  for (const entry of selection.misnamed) {
    notes.push(
      `warning: snapshot ${entry.path} is named for ${isoTime(entry.namedAt as number)} but was taken ${isoTime(entry.takenAt)}; it counts as taken ${isoTime(entry.takenAt)}`,
    );
  }
  return notes;
}

function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** The JSON form of what was left out, for machine readers of history outputs. */
export function historyJson(selection: HistorySelection | null) {
  if (!selection) return { account: null, ignored_snapshots: [], misnamed_snapshots: [] };
  return {
    account: selection.reference ? { id: selectedAccountId(selection), livemode: selection.reference.livemode } : null,
    ignored_snapshots: selection.ignored.map(({ entry, reason }) => ({
      path: entry.path,
      taken_at: isoTime(entry.takenAt),
      account: entry.account ?? entry.fingerprint,
      livemode: entry.livemode,
      reason: reason === 'other-mode' ? ('other_mode' as const) : ('other_account' as const),
    })),
    misnamed_snapshots: selection.misnamed.map((entry) => ({ path: entry.path, named_at: isoTime(entry.namedAt as number), taken_at: isoTime(entry.takenAt) })),
  };
}
