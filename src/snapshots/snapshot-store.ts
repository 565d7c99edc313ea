import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readSync, openSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { DataSourceError, UsageError } from '../errors.js';
import { formatPath } from '../config/load.js';
import { createDirectory, FileExistsError, writeFileAtomically, type FileIo } from '../files/atomic-file.js';
import type { HistoryEntry } from '../history/snapshot-selection.js';
import { accountFingerprint, SNAPSHOT_OBJECT, SNAPSHOT_VERSION, type SnapshotFile } from './snapshot-format.js';
import { snapshotSchema } from './snapshot-schema.js';
import { compareText } from '../text-order.js';

/**
 * Where kpi keeps its data: `--data-dir`, else `KPI_DATA_DIR`, else the config's
 * `data_dir`, else `$XDG_DATA_HOME/kpi` (`~/.local/share/kpi`).
 */
export function resolveDataDir(options: { flag?: string; env: NodeJS.ProcessEnv; configured?: string | null }): string {
  if (options.flag) return options.flag;
  if (options.env.KPI_DATA_DIR) return options.env.KPI_DATA_DIR;
  if (options.configured) return options.configured;
  const xdg = options.env.XDG_DATA_HOME || join(options.env.HOME || homedir(), '.local', 'share');
  return join(xdg, 'kpi');
}

export function snapshotsDir(dataDir: string): string {
  return join(dataDir, 'snapshots');
}

const FILE_NAME = /^snapshot-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{8}\.json\.gz$/;

export interface StoredSnapshot {
  path: string;
  /** Unix seconds, from the file name (the figures use the content's `taken_at`). */
  takenAt: number;
}

/**
 * Writes a snapshot so that no reader ever sees half of it and no two writers clash: the
 * gzip is written whole to a temporary file in the same folder, flushed to disk, then
 * linked under its final, unique name (a random suffix; linking never replaces a file).
 * Snapshots are private to their owner (0600 unless the umask is stricter).
 */
export function writeSnapshot(directory: string, snapshot: SnapshotFile, options: { suffix?: string; io?: FileIo } = {}): string {
  createDirectory(directory);
  const stamp = new Date(snapshot.taken_at * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const data = gzipSync(Buffer.from(JSON.stringify(snapshot)));
  for (let attempt = 0; ; attempt++) {
    // A fixed suffix (bundled fixtures) is tried first; on a clash a random one is used, never an overwrite.
    const suffix = options.suffix && attempt === 0 ? options.suffix : randomBytes(4).toString('hex');
    const finalPath = join(directory, `snapshot-${stamp}-${suffix}.json.gz`);
    try {
      writeFileAtomically(finalPath, data, { overwrite: false, io: options.io });
      return finalPath;
    } catch (error) {
      if (!(error instanceof FileExistsError) || attempt > 5) throw error;
    }
  }
}

/** The snapshots in a folder, oldest first. Files that are not kpi snapshots are ignored. */
export function listSnapshots(directory: string): StoredSnapshot[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the snapshot folder ${directory}: ${(error as Error).message}`);
  }
  return names
    .map((name) => ({ name, match: FILE_NAME.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => {
      const [, year, month, day, hour, minute, second] = match.map(Number);
      return { path: join(directory, name), takenAt: Date.UTC(year!, month! - 1, day, hour, minute, second) / 1000 };
    })
    .sort((a, b) => a.takenAt - b.takenAt || compareText(a.path, b.path));
}

const MiB = 1024 * 1024;

/**
 * How far a snapshot may inflate. Snapshot JSON compresses about 10:1 and takes about
 * 1.1 KB per subscription (the demo: 429 KB for 400), so 100,000 subscriptions are about
 * 110 MB from 11 MB of gzip. A file may inflate to 50 times its size, at least 64 MiB and
 * at most 512 MiB (about the longest string JavaScript holds): real snapshots fit with
 * room to spare, while a small gzip of a long run of zeros is stopped at 64 MiB.
 */
export function inflateLimit(compressedBytes: number): number {
  return Math.min(512 * MiB, Math.max(64 * MiB, 50 * compressedBytes));
}

/**
 * Reads and checks a snapshot. A damaged, truncated or foreign file is refused with the
 * file and the problem named: a partial snapshot must never become a figure.
 */
export function readSnapshot(path: string, options: { maxInflatedBytes?: number } = {}): SnapshotFile {
  let compressed: Buffer;
  try {
    compressed = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read snapshot ${path}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
  }
  const refuse = (problem: string) => new DataSourceError(`snapshot ${path} ${problem}`, 'Take a new one with `kpi snapshot`, or point --snapshot at another file.');
  if (compressed.length < 2 || compressed[0] !== 0x1f || compressed[1] !== 0x8b) throw refuse('is not a kpi snapshot (not gzip-compressed)');
  const limit = options.maxInflatedBytes ?? inflateLimit(compressed.length);
  let text: string;
  try {
    // zlib stops at the limit: a gzip bomb never gets to use more memory than that.
    text = gunzipSync(compressed, { maxOutputLength: limit }).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw refuse(`inflates to more than ${Math.round(limit / MiB)} MiB (from ${compressed.length} bytes of gzip): it is not a snapshot kpi wrote`);
    }
    throw refuse(`is damaged or truncated (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw refuse('is damaged: its content is not valid JSON');
  }
  const header = data as { object?: unknown; version?: unknown } | null;
  if (header?.object !== SNAPSHOT_OBJECT) throw refuse('is not a kpi snapshot (no "object": "kpi.snapshot")');
  if (typeof header.version === 'number' && header.version > SNAPSHOT_VERSION) {
    throw refuse(`was written by a newer kpi (format version ${header.version}; this kpi reads version ${SNAPSHOT_VERSION})`);
  }
  const result = snapshotSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw refuse(`is damaged: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return data as SnapshotFile;
}

/**
 * The snapshots in a folder with what history needs to choose among them: when each was
 * really taken, its mode and account. Only the start of each file is inflated when it
 * was written with its account (the header comes first); older files are read whole.
 */
export function listHistory(directory: string): HistoryEntry[] {
  return listSnapshots(directory).map((stored) => ({ ...readSnapshotHeader(stored.path), namedAt: stored.takenAt }));
}

const HEADER_PEEK_BYTES = 16 * 1024;

function readSnapshotHeader(path: string): Omit<HistoryEntry, 'namedAt'> {
  const peeked = peekHeader(path);
  if (peeked) return { path, ...peeked };
  const file = readSnapshot(path);
  return { path, takenAt: file.taken_at, livemode: file.livemode, account: file.account ?? null, fingerprint: accountFingerprint(file.prices) };
}

/** The header fields from the first kilobytes, or null when they are not all there (then the caller reads the whole file). */
function peekHeader(path: string): Pick<HistoryEntry, 'takenAt' | 'livemode' | 'account' | 'fingerprint'> | null {
  try {
    const descriptor = openSync(path, 'r');
    const start = Buffer.alloc(HEADER_PEEK_BYTES);
    let length: number;
    try {
      length = readSync(descriptor, start, 0, HEADER_PEEK_BYTES, 0);
    } finally {
      closeSync(descriptor);
    }
    const text = gunzipSync(start.subarray(0, length), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 }).toString('utf8');
    // JSON.stringify keeps key order and escapes quotes inside strings: the first
    // `,"products":` ends the top-level header.
    const end = text.indexOf(',"products":');
    if (end === -1) return null;
    const header = JSON.parse(`${text.slice(0, end)}}`) as Record<string, unknown>;
    const { object, version, taken_at: takenAt, livemode, account, account_fingerprint: fingerprint } = header;
    if (object !== SNAPSHOT_OBJECT || version !== SNAPSHOT_VERSION || !Number.isInteger(takenAt) || (takenAt as number) <= 0 || typeof livemode !== 'boolean') return null;
    if (typeof account !== 'string' || !(typeof fingerprint === 'string' || fingerprint === null)) return null;
    return { takenAt: takenAt as number, livemode, account, fingerprint };
  } catch {
    return null;
  }
}
