import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** One recorded report: values only (never sources' settings, URLs or secrets). */
export interface RecordedReport {
  recorded_at: string;
  kpis: Record<string, { value: number | null; unit: string; currency: string | null; status: string; period_start: string | null; period_end: string | null }>;
}

/**
 * Appends one line of JSON in a single write to a file opened for appending: concurrent
 * recorders never interleave within a line, and a reader never sees half a record it
 * would trust (a torn last line is skipped when reading).
 */
export function appendRecord(path: string, record: RecordedReport): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, `${JSON.stringify(record)}\n`, { encoding: 'utf8', flag: 'a' });
  } catch (error) {
    throw new UsageError(`cannot record the report in ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'Choose another file with --history-file.');
  }
}

/** The records in a history file, oldest first; none if it does not exist yet. */
export function readRecords(path: string): RecordedReport[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the report history ${path}: ${(error as Error).message}`);
  }
  const records: RecordedReport[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as RecordedReport;
      if (typeof parsed.recorded_at === 'string' && parsed.kpis && typeof parsed.kpis === 'object') records.push(parsed);
    } catch {
      // A line torn by a crash mid-write: not a record.
    }
  }
  return records;
}
