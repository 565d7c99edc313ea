import * as fs from 'node:fs';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { ExitCode, KpiError } from '../../src/errors.js';
import { createDirectory, FileWriteError, writeFileAtomically, writeOutputFile, type FileIo } from '../../src/files/atomic-file.js';
import { appendRecord, readRecords, type RecordedReport } from '../../src/scoreboard/history.js';
import type { SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { readSnapshot, writeSnapshot } from '../../src/snapshots/snapshot-store.js';

const folder = () => mkdtempSync(join(tmpdir(), 'kpi-files-'));

/** What a nearly full disk does: each write takes at most `chunk` bytes, and after `capacity` bytes none at all. */
function shortWriter(chunk: number, capacity = Infinity): FileIo & { calls: number } {
  let total = 0;
  const io = {
    ...fs,
    calls: 0,
    writeSync(descriptor: number, buffer: Uint8Array, offset: number, length: number): number {
      io.calls++;
      if (total >= capacity) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const count = Math.min(chunk, length, capacity - total);
      total += count;
      return fs.writeSync(descriptor, buffer, offset, count);
    },
  };
  return io;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** The umask of this process, read without changing it for longer than a moment. */
function currentUmask(): number {
  const probe = join(folder(), 'probe');
  writeFileSync(probe, '', { mode: 0o777 });
  return ~statSync(probe).mode & 0o777;
}

const RECORD: RecordedReport = { recorded_at: '2026-11-16T00:00:00.000Z', kpis: { mqls: { value: 5, unit: 'count', currency: null, status: 'red', period_start: null, period_end: null } } };

describe('writing a file whole', () => {
  it('loops over short writes until every byte is on disk', () => {
    const path = join(folder(), 'out.txt');
    const text = 'x'.repeat(10_000);
    const io = shortWriter(4096);
    writeFileAtomically(path, text, { overwrite: true, io });
    expect(readFileSync(path, 'utf8')).toBe(text);
    // 10,000 bytes in writes of at most 4,096: 4,096 + 4,096 + 1,808 = 3 calls.
    expect(io.calls).toBe(3);
  });

  it('a disk that fills up part way: exit 1 naming the file, no file under the final name, no temporary file', () => {
    const directory = folder();
    const path = join(directory, 'out.txt');
    const error = thrown(() => writeFileAtomically(path, 'y'.repeat(95_000), { overwrite: true, io: shortWriter(4096, 4096) }));
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as KpiError).exitCode).toBe(ExitCode.DataSourceFailed);
    expect((error as Error).message).toBe(`cannot write ${path}: no space left on the device; nothing was written`);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('a write that makes no progress is a failure, not an endless loop', () => {
    const directory = folder();
    const io = { ...fs, writeSync: () => 0 };
    expect(thrown(() => writeFileAtomically(join(directory, 'a'), 'abc', { overwrite: false, io }))).toBeInstanceOf(FileWriteError);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('a failed replacement leaves the old file as it was', () => {
    const path = join(folder(), 'out.txt');
    writeFileSync(path, 'old');
    thrown(() => writeFileAtomically(path, 'new'.repeat(1000), { overwrite: true, io: shortWriter(100, 100) }));
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(join(path, '..'))).toEqual(['out.txt']);
  });

  it('new files are 0600 (unless the umask takes more away); a replaced file keeps its mode', () => {
    const directory = folder();
    const fresh = join(directory, 'fresh.txt');
    writeFileAtomically(fresh, 'a', { overwrite: true });
    expect(statSync(fresh).mode & 0o777).toBe(0o600 & ~currentUmask());
    const shared = join(directory, 'shared.txt');
    writeFileSync(shared, 'old');
    chmodSync(shared, 0o640);
    writeFileAtomically(shared, 'new', { overwrite: true });
    expect(statSync(shared).mode & 0o777).toBe(0o640);
    const secret = join(directory, 'secret.txt');
    writeFileSync(secret, 'old');
    chmodSync(secret, 0o600);
    writeFileAtomically(secret, 'new', { overwrite: true });
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  it('a snapshot written through a short writer is whole and readable, and private', () => {
    const directory = folder();
    const snapshot: SnapshotFile = { object: 'kpi.snapshot', version: 1, taken_at: 1_763_251_200, source: 't', livemode: false, products: [], prices: [], coupons: [], subscriptions: [] };
    const path = writeSnapshot(directory, snapshot, { io: shortWriter(7) });
    expect(readSnapshot(path)).toMatchObject({ taken_at: 1_763_251_200 });
    expect(statSync(path).mode & 0o777).toBe(0o600 & ~currentUmask());
    expect(readdirSync(directory)).toHaveLength(1);
  });

  it('a snapshot that does not fit: exit 1 and nothing in the folder', () => {
    const directory = folder();
    const snapshot: SnapshotFile = { object: 'kpi.snapshot', version: 1, taken_at: 1_763_251_200, source: 't', livemode: false, products: [], prices: [], coupons: [], subscriptions: [] };
    const error = thrown(() => writeSnapshot(directory, snapshot, { io: shortWriter(10, 10) }));
    expect((error as KpiError).exitCode).toBe(ExitCode.DataSourceFailed);
    expect(readdirSync(directory)).toEqual([]);
  });
});

describe('-o FILE', () => {
  it('through a symbolic link: the link stays and the file it points to is replaced whole', () => {
    const directory = folder();
    mkdirSync(join(directory, 'reports'));
    const target = join(directory, 'reports', 'mrr.txt');
    writeFileSync(target, 'last week');
    chmodSync(target, 0o640);
    const link = join(directory, 'latest.txt');
    symlinkSync(join('reports', 'mrr.txt'), link);
    writeOutputFile(link, 'this week');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('reports', 'mrr.txt'));
    expect(readFileSync(target, 'utf8')).toBe('this week');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(directory, 'reports'))).toEqual(['mrr.txt']);
  });

  it('a named pipe (or a device such as /dev/null) is written into, never replaced by a regular file', () => {
    const directory = folder();
    const pipe = join(directory, 'pipe');
    execFileSync('mkfifo', [pipe]);
    // A reader that is already there, so opening the pipe for writing does not wait.
    const reader = fs.openSync(pipe, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      writeOutputFile(pipe, 'MRR 1,234.00 USD\n');
      const received = Buffer.alloc(100);
      const count = fs.readSync(reader, received, 0, received.length, null);
      expect(received.subarray(0, count).toString('utf8')).toBe('MRR 1,234.00 USD\n');
    } finally {
      fs.closeSync(reader);
    }
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    expect(readdirSync(directory)).toEqual(['pipe']);
  });
});

describe('folders', () => {
  it('says a file is in the way, where Node says ENOENT or ENOTDIR with a syscall', () => {
    const directory = folder();
    writeFileSync(join(directory, 'file'), '');
    expect((thrown(() => createDirectory(join(directory, 'file', 'sub', 'deeper'))) as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    createDirectory(join(directory, 'a', 'b', 'c'));
    expect(statSync(join(directory, 'a', 'b', 'c')).isDirectory()).toBe(true);
    createDirectory(join(directory, 'a', 'b', 'c'));
  });
});

describe('the report history', () => {
  it('a record after a torn last line lands on its own line; the torn line is reported and skipped', () => {
    const path = join(folder(), 'history.jsonl');
    const whole = JSON.stringify({ ...RECORD, recorded_at: '2026-11-09T00:00:00.000Z' });
    writeFileSync(path, `${whole}\n{"recorded_at":"2026-11-1`);
    appendRecord(path, RECORD);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toEqual([whole, '{"recorded_at":"2026-11-1', JSON.stringify(RECORD), '']);
    const warnings: string[] = [];
    const records = readRecords(path, (warning) => warnings.push(warning));
    expect(records.map((record) => record.recorded_at)).toEqual(['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z']);
    expect(warnings).toEqual([`warning: the report history ${path} has an incomplete or damaged line (line 2); skipped`]);
  });

  it('an append that fails part way is cut back: no partial record stays', () => {
    const path = join(folder(), 'history.jsonl');
    appendRecord(path, RECORD);
    const before = readFileSync(path, 'utf8');
    const error = thrown(() => appendRecord(path, RECORD, shortWriter(20, 20)));
    expect((error as KpiError).exitCode).toBe(ExitCode.DataSourceFailed);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('a new history file is private', () => {
    const path = join(folder(), 'deep', 'history.jsonl');
    appendRecord(path, RECORD);
    expect(statSync(path).mode & 0o777).toBe(0o600 & ~currentUmask());
  });
});

describe('paths in a config file', () => {
  it('resolve against the file\'s folder, not the working directory', () => {
    const root = folder();
    mkdirSync(join(root, 'conf'));
    const file = join(root, 'conf', 'kpi.config.yaml');
    writeFileSync(file, 'data_dir: ./kpi-data\nreport:\n  history_file: history/h.jsonl\n  kpis: [{ id: mqls, name: MQLs, unit: count }]\n');
    const config = loadConfigFile(file);
    expect(config.directory).toBe(join(root, 'conf'));
    expect(config.dataDir).toBe(join(root, 'conf', 'kpi-data'));
    expect(config.report?.history_file).toBe(join(root, 'conf', 'history', 'h.jsonl'));
    writeFileSync(file, `data_dir: ${join(root, 'elsewhere')}\n`);
    expect(loadConfigFile(file).dataDir).toBe(join(root, 'elsewhere'));
  });
});
