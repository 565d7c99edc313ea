import { isAbsolute, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import dayjs from 'dayjs';
import { minorUnitExponent } from '../../money/currency.js';
import { Rational } from '../../money/rational.js';
import type { KpiSource } from '../kpi-config.js';
import { formatBytes, readFileWithin } from './bounded-read.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type CsvSource = Extract<KpiSource, { type: 'csv' }>;

/**
 * Counts rows or sums a column of a CSV export (a CRM's deals or contacts), keeping rows
 * that match the equality filters and, with a date column, fall in the period. Rows that
 * cannot be read (a bad amount or date) are left out and counted in the note.
 */
export function readCsvSource(source: CsvSource, context: SourceContext): SourcedValue {
  const path = isAbsolute(source.file) ? source.file : join(context.baseDir, source.file);
  const { text, bytes } = readFileWithin(path, source.file, context.maxBodyBytes);
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { bom: true, columns: (header: string[]) => header.map((name) => name.trim()), skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new SourceError(`${source.file} is not valid CSV: ${(error as Error).message}`);
  }
  const columns = new Set(Object.keys(rows[0] ?? {}));
  for (const column of [...Object.keys(source.where), source.sum, source.date_column]) {
    if (column && rows.length > 0 && !columns.has(column)) {
      throw new SourceError(`${source.file} has no column "${column}" (columns: ${[...columns].join(', ')})`);
    }
  }

  const unreadable: number[] = [];
  let count = 0;
  let total = Rational.ZERO;
  rows.forEach((row, index) => {
    const line = index + 2; // the header is line 1
    if (!Object.entries(source.where).every(([column, wanted]) => (row[column] ?? '') === wanted)) return;
    if (source.date_column) {
      const when = parseDate(row[source.date_column] ?? '', context.calendar.timeZone);
      if (!when) return void unreadable.push(line);
      if (when < context.period.start || when >= context.period.end) return;
    }
    if (source.sum) {
      const amount = parseAmount(row[source.sum] ?? '');
      if (!amount) return void unreadable.push(line);
      total = total.plus(amount);
    }
    count += 1;
  });

  const read = `${rows.length} row${rows.length === 1 ? '' : 's'} (${formatBytes(bytes)}) from ${source.file}`;
  const note = unreadable.length > 0 ? `${unreadable.length} row${unreadable.length === 1 ? '' : 's'} of ${source.file} could not be read (line ${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''})` : undefined;
  if (!source.sum) return { value: count, note, read };
  if (context.kpi.unit === 'money') {
    const currency = context.kpi.currency as string;
    const minor = total.times(10 ** minorUnitExponent(currency)).roundHalfUp();
    return { value: Number(minor), currency, note, read };
  }
  return { value: Number(total.times(100).roundHalfUp()) / 100, note, read };
}

/**
 * "$1,234.50", "1 234.50 USD", "€ 99", "(1,000.00)" (negative): a "." decimal point;
 * commas, spaces and apostrophes group thousands; currency signs and codes are ignored.
 */
export function parseAmount(text: string): Rational | null {
  let cleaned = text.trim();
  let negative = false;
  if (/^\(.*\)$/.test(cleaned)) {
    negative = true;
    cleaned = cleaned.slice(1, -1);
  }
  cleaned = cleaned.replace(/[A-Za-z]{3}$|^[A-Za-z]{3}/g, '').replace(/[$€£¥₹]/g, '').trim();
  // Thousands separators must group by three: "1,5" or "1.234,50" (a decimal comma) is not read as a number.
  const grouped = cleaned.replace(/[\s'’]/g, ',');
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(grouped)) return null;
  const value = Rational.parseDecimal(grouped.replace(/,/g, ''));
  return negative ? value.negate() : value;
}

/** ISO dates and timestamps; a date or time without a zone is read in the report's time zone. */
function parseDate(text: string, zone: string): Date | null {
  const trimmed = text.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(trimmed);
  if (!date) return null;
  // 2026-11-31 is no date (not the 1st of December).
  const [, year, month, day] = date.map(Number);
  const check = new Date(Date.UTC(year!, month! - 1, day));
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day) return null;
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed.slice(10))) {
    const date = new Date(trimmed);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const local = dayjs.tz(trimmed.length === 10 ? `${trimmed} 00:00:00` : trimmed.replace('T', ' '), zone);
  return local.isValid() ? local.toDate() : null;
}
