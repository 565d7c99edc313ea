import { stringify } from 'csv-stringify/sync';
import { formatMajorUnits } from '../money/currency.js';

export type Delimited = 'csv' | 'tsv';

/** A cell: text is guarded against formula injection, numbers stay numbers. */
export type Cell = string | number | { number: string };

/** An amount as a number cell in major units ("1234.50"). */
export function moneyCell(minorUnits: bigint, currency: string): Cell {
  return { number: formatMajorUnits(minorUnits, currency) };
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula; a leading apostrophe makes them show it as text. Only text cells get it, so
 * amounts stay numeric.
 */
function guardText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * RFC 4180 for CSV (comma, CRLF, quotes where needed); the same with tabs for TSV. A text
 * with a line break of any kind (a lone CR too, which the stringifier would leave bare) is
 * quoted, so a reader gets the exact text back and the row is not split.
 */
export function renderDelimited(format: Delimited, header: string[], rows: Cell[][]): string {
  const cells = rows.map((row) =>
    row.map((cell) => (typeof cell === 'string' ? guardText(cell) : typeof cell === 'number' ? String(cell) : cell.number)),
  );
  return stringify([header, ...cells], { delimiter: format === 'csv' ? ',' : '\t', record_delimiter: format === 'csv' ? '\r\n' : '\n', quoted_match: /[\r\n]/ });
}
