import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ExitCode, KpiError, UsageError } from '../errors.js';

/**
 * The few file-system calls kpi's writers make, so a test can put a writer that writes
 * short (as a nearly full disk does) in place of the real one.
 */
export interface FileIo {
  openSync: typeof fs.openSync;
  writeSync(descriptor: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync: typeof fs.fsyncSync;
  fchmodSync: typeof fs.fchmodSync;
  fstatSync: typeof fs.fstatSync;
  ftruncateSync: typeof fs.ftruncateSync;
  readSync(descriptor: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync: typeof fs.closeSync;
  linkSync: typeof fs.linkSync;
  renameSync: typeof fs.renameSync;
  unlinkSync: typeof fs.unlinkSync;
  statSync: typeof fs.statSync;
}

const REAL_IO: FileIo = fs;

/** Files kpi writes that may carry business figures: owner only, unless the umask is stricter. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Writing a file kpi was asked to write failed part way (disk full, I/O error): exit 1,
 * like any other data that could not be produced. Nothing is left under the final name.
 */
export class FileWriteError extends KpiError {
  constructor(
    message: string,
    readonly code: string | undefined,
    hint?: string,
  ) {
    super(message, ExitCode.DataSourceFailed, hint);
  }
}

/** `overwrite: false` and a file of that name exists: the caller may pick another name. */
export class FileExistsError extends UsageError {}

/** A place a file cannot go at all (no such folder, not writable, a file in the way) is the user's choice of place: exit 2. */
const PLACE_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EEXIST']);

export interface WriteOptions {
  /** Mode for a file that does not exist yet; the umask applies on top. Default 0600. */
  mode?: number;
  /** Replace an existing file (keeping its mode), or refuse with EEXIST: linking never overwrites. */
  overwrite: boolean;
  io?: FileIo;
}

/** A fully written, flushed temporary file next to its final name, waiting to be put in place. */
export interface StagedFile {
  readonly path: string;
  commit(): void;
  discard(): void;
}

/**
 * Writes `data` to a temporary file beside `path` (all of it, looping over short writes),
 * flushes it to disk and returns it for `commit`. On any failure the temporary file is gone.
 */
export function stageFile(path: string, data: string | Uint8Array, options: WriteOptions): StagedFile {
  const io = options.io ?? REAL_IO;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const existingMode = options.overwrite ? modeOf(path, io) : undefined;
  let descriptor: number;
  try {
    descriptor = io.openSync(temporary, 'wx', options.mode ?? PRIVATE_FILE_MODE);
  } catch (error) {
    throw describeFailure(path, error);
  }
  try {
    // An explicit chmod ignores the umask: the replaced file keeps exactly the mode it had.
    if (existingMode !== undefined) io.fchmodSync(descriptor, existingMode);
    writeAll(descriptor, bytes, io);
    io.fsyncSync(descriptor);
    io.closeSync(descriptor);
  } catch (error) {
    closeQuietly(descriptor, io);
    removeQuietly(temporary, io);
    throw describeFailure(path, error);
  }
  let settled = false;
  return {
    path,
    commit() {
      if (settled) return;
      settled = true;
      try {
        if (options.overwrite) io.renameSync(temporary, path);
        else io.linkSync(temporary, path);
      } catch (error) {
        removeQuietly(temporary, io);
        throw describeFailure(path, error);
      }
      if (options.overwrite) {
        syncDirectory(dirname(path), io);
        return;
      }
      removeQuietly(temporary, io);
      try {
        syncDirectory(dirname(path), io);
      } catch (error) {
        // A new file whose name may not survive a crash is not written: take it back.
        removeQuietly(path, io);
        throw error;
      }
    },
    discard() {
      if (settled) return;
      settled = true;
      removeQuietly(temporary, io);
    },
  };
}

/** Writes a whole file or nothing: a reader never sees part of it, a crash never leaves part of it. */
export function writeFileAtomically(path: string, data: string | Uint8Array, options: WriteOptions): void {
  stageFile(path, data, options).commit();
}

/**
 * Appends `line` (which must end with a newline) so that it starts on a line of its own,
 * even after a torn last line. If the append fails part way, the file is cut back to
 * where it was, so no partial record stays behind.
 */
export function appendLine(path: string, line: string, options: { mode?: number; io?: FileIo } = {}): void {
  const io = options.io ?? REAL_IO;
  let descriptor: number;
  try {
    descriptor = io.openSync(path, 'a+', options.mode ?? PRIVATE_FILE_MODE);
  } catch (error) {
    throw describeFailure(path, error);
  }
  let startSize = 0;
  let written = 0;
  try {
    startSize = io.fstatSync(descriptor).size;
    const bytes = Buffer.from(startSize > 0 && !endsWithNewline(descriptor, startSize, io) ? `\n${line}` : line, 'utf8');
    written = writeAll(descriptor, bytes, io, (count) => (written = count));
    io.fsyncSync(descriptor);
    io.closeSync(descriptor);
  } catch (error) {
    // Only cut back what is ours: another recorder may have appended meanwhile.
    try {
      if (written > 0 && io.fstatSync(descriptor).size === startSize + written) io.ftruncateSync(descriptor, startSize);
    } catch {
      // The partial line stays; readers skip a torn line and the next append starts a new one.
    }
    closeQuietly(descriptor, io);
    throw describeFailure(path, error);
  }
}

function endsWithNewline(descriptor: number, size: number, io: FileIo): boolean {
  const last = Buffer.alloc(1);
  return io.readSync(descriptor, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
}

/** `writeSync` may write fewer bytes than asked (a nearly full disk): keep going until all are written. */
export function writeAll(descriptor: number, bytes: Uint8Array, io: FileIo = REAL_IO, onProgress?: (written: number) => void): number {
  let offset = 0;
  while (offset < bytes.length) {
    const count = io.writeSync(descriptor, bytes, offset, bytes.length - offset);
    if (count <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    offset += count;
    onProgress?.(offset);
  }
  return offset;
}

function describeFailure(path: string, error: unknown): KpiError {
  if (error instanceof KpiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = REASONS[code ?? ''] ?? (error as Error).message;
  if (code === 'EEXIST') return new FileExistsError(`cannot write ${path}: ${reason}`);
  if (code && PLACE_ERRORS.has(code)) return new UsageError(`cannot write ${path}: ${reason}`);
  return new FileWriteError(`cannot write ${path}: ${reason}; nothing was written`, code, code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some space, or write somewhere else.' : undefined);
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'a file is in the way',
  EACCES: 'not writable (permission denied)',
  EPERM: 'not writable (operation not permitted)',
  EROFS: 'not writable (read-only file system)',
  EISDIR: 'it is a folder',
  EEXIST: 'the file exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
};

/** Why a folder cannot take new files, in words a user acts on. */
export function describeUnwritable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? (error as Error).message;
}

/**
 * Creates a folder and its missing parents. Node's own recursive mkdir says ENOENT when a
 * parent is read-only; this one reports the real cause (EROFS, EACCES, ENOTDIR).
 */
export function createDirectory(path: string): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(current);
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.unshift(current);
      current = parent;
      continue;
    }
    if (!stats.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
    break;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      // Another run may have made it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(folder).isDirectory()) throw error;
    }
  }
}

function modeOf(path: string, io: FileIo): number | undefined {
  try {
    const stats = io.statSync(path);
    return stats.isFile() ? stats.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** The new name is durable only once its folder is flushed too; file systems that cannot do so are left be. */
function syncDirectory(directory: string, io: FileIo): void {
  let descriptor: number;
  try {
    descriptor = io.openSync(directory, 'r');
  } catch {
    return;
  }
  try {
    io.fsyncSync(descriptor);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM') {
      closeQuietly(descriptor, io);
      throw describeFailure(directory, error);
    }
  }
  closeQuietly(descriptor, io);
}

function closeQuietly(descriptor: number, io: FileIo): void {
  try {
    io.closeSync(descriptor);
  } catch {
    // Already closed.
  }
}

function removeQuietly(path: string, io: FileIo): void {
  try {
    io.unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * `-o FILE`: a regular file is replaced whole (through a symbolic link, the file it points
 * to, so the link stays). A pipe or a device (`/dev/stdout`, `/dev/null`, a FIFO) is a
 * stream, not a file: it is written into, never replaced by a regular file of that name.
 */
export function writeOutputFile(path: string, data: string): void {
  stageOutputFile(path, data).commit();
}

/** `writeOutputFile` in two steps: a file is written aside now and put in place by `commit` (a stream is written then). */
export function stageOutputFile(path: string, data: string): StagedFile {
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(path);
  } catch {
    stats = undefined;
  }
  if (stats && !stats.isFile() && !stats.isDirectory()) {
    // Nothing to put aside: a stream takes the data when it is final.
    return { path, commit: () => writeIntoStream(path, Buffer.from(data, 'utf8')), discard: () => {} };
  }
  return stageFile(stats ? fs.realpathSync(path) : path, data, { overwrite: true });
}

function writeIntoStream(path: string, bytes: Uint8Array): void {
  let descriptor: number;
  try {
    // Neither created nor truncated: it exists, and a device has nothing to cut.
    descriptor = fs.openSync(path, fs.constants.O_WRONLY);
  } catch (error) {
    throw describeFailure(path, error);
  }
  try {
    writeAll(descriptor, bytes);
  } catch (error) {
    throw describeFailure(path, error);
  } finally {
    closeQuietly(descriptor, REAL_IO);
  }
}
