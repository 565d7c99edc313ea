import { closeSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { appendLine, createDirectory, describeUnwritable, type FileIo } from '../files/atomic-file.js';

/** One recorded report: values only (never sources' settings, URLs or secrets). */
export interface RecordedReport {
  recorded_at: string;
  kpis: Record<string, { value: number | null; unit: string; currency: string | null; status: string; period_start: string | null; period_end: string | null }>;
}

const HISTORY_HINT = 'Choose another file with --history-file.';

/**
 * Finds out before anything is computed or printed whether the history can take a record:
 * a run that cannot record must fail with nothing on stdout.
 */
export function ensureRecordable(path: string): void {
  try {
    createDirectory(dirname(path));
    closeSync(openSync(path, 'a', 0o600));
  } catch (error) {
    throw new UsageError(`cannot record the report in ${path}: ${describeUnwritable(error)}`, HISTORY_HINT);
  }
}

/**
 * Appends one line of JSON, written whole and flushed, to a file opened for appending:
 * concurrent recorders never interleave within a line, a record never continues a torn
 * last line, and a failed append leaves no partial record. New files are private (0600).
 */
export function appendRecord(path: string, record: RecordedReport, io?: FileIo): void {
  try {
    createDirectory(dirname(path));
  } catch (error) {
    throw new UsageError(`cannot record the report in ${path}: ${describeUnwritable(error)}`, HISTORY_HINT);
  }
  appendLine(path, `${JSON.stringify(record)}\n`, { io });
}

/**
 * The records in a history file, oldest first; none if it does not exist yet. Lines that
 * are not whole records (torn by a crash mid-write, edited by hand) are skipped and named.
 */
export function readRecords(path: string, warn: (message: string) => void = () => {}): RecordedReport[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the report history ${path}: ${(error as Error).message}`);
  }
  const records: RecordedReport[] = [];
  const skipped: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const record = parseRecord(line);
    if (record) records.push(record);
    else skipped.push(index + 1);
  });
  if (skipped.length > 0) {
    warn(`warning: the report history ${path} has ${skipped.length === 1 ? 'an incomplete or damaged line' : 'incomplete or damaged lines'} (line ${skipped.join(', ')}); skipped`);
  }
  return records;
}

function parseRecord(line: string): RecordedReport | null {
  try {
    const parsed = JSON.parse(line) as RecordedReport | null;
    return typeof parsed?.recorded_at === 'string' && parsed.kpis !== null && typeof parsed.kpis === 'object' ? parsed : null;
  } catch {
    return null;
  }
}
