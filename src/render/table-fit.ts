/**
 * Fitting human tables and lines into the terminal's width. Pure: the width comes from the
 * `Screen` the terminal module decided, and `null` means "do not fit" (piped output, a file,
 * `--wide`), so scripts always see every column in full.
 */
import type { Palette, Screen } from '../terminal/terminal.js';
import { newTable, tableText } from './table-style.js';

/**
 * How a column may give way: `numeric` is never shortened (a cut amount would lie) and aligns
 * right; `text` is shortened with an ellipsis down to `min` display columns; `wrap` is prose
 * broken into more lines instead, down to `min`; `keep` is never shortened (short codes). Any column with a `drop` priority may be
 * hidden whole, lowest number first.
 */
export interface FitColumn {
  head: string;
  role: 'numeric' | 'text' | 'wrap' | 'keep';
  /** For `text` and `wrap`: the narrowest it may become. */
  min?: number;
  drop?: number;
}

export interface FittedTable {
  columns: FitColumn[];
  rows: string[][];
  /** Heads of the columns dropped to fit, in the order they were dropped. */
  hidden: string[];
}

/** Where nothing is fitted: the full table, as for piped output. */
export const UNFITTED: Screen = { width: null, unicode: true };

/** The gap cli-table3 leaves between columns with `PLAIN_CHARS`. */
export const COLUMN_GAP = 2;

// Colour codes (SGR) are invisible; the terminal module's palette only ever writes these.
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Terminal columns a string takes: colour codes take none, combining marks none, East Asian
 * wide characters two (the ranges of Unicode's East_Asian_Width W/F that occur in names and
 * text), and so does an emoji: one drawn as a picture by default, or a sequence of them
 * (skin tone, a family joined by U+200D, a flag, a symbol followed by U+FE0F). cli-table3
 * pads cells counting emoji so too; a column counted narrower would break the line.
 */
export function displayWidth(text: string): number {
  const plain = text.replace(ANSI, '');
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let width = 0;
  for (const picture of pictures(plain)) width += picture.width;
  return width;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;
/**
 * Made on first use: a segmenter loads ICU's break rules, about 14 ms that a run measuring
 * no text beyond printable ASCII (JSON, CSV, many tables) need not pay at start-up.
 */
let graphemes: Intl.Segmenter | undefined;

/** What a terminal draws as one thing (a character with its combining marks, an emoji sequence) and its width. */
function* pictures(text: string): Generator<{ text: string; width: number }> {
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    if (EMOJI.test(segment)) {
      yield { text: segment, width: 2 };
      continue;
    }
    let width = 0;
    for (const char of segment) width += charWidth(char.codePointAt(0)!);
    yield { text: segment, width };
  }
}

function charWidth(code: number): number {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

export function ellipsisFor(screen: Pick<Screen, 'unicode'>): string {
  return screen.unicode ? '…' : '...';
}

/**
 * The text cut to at most `width` display columns, ending in the ellipsis when cut. Colour
 * codes are kept (also those after the cut, so a colour that was opened is closed again).
 */
export function shorten(text: string, width: number, ellipsis: string): string {
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(ellipsis);
  if (room < 0) return ellipsis.slice(0, Math.max(0, width));
  let kept = '';
  let used = 0;
  let cut = false;
  for (const piece of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (piece.startsWith('\x1b[')) {
      kept += piece;
      continue;
    }
    if (cut) continue;
    for (const picture of pictures(piece)) {
      if (used + picture.width > room) {
        kept += ellipsis;
        cut = true;
        break;
      }
      kept += picture.text;
      used += picture.width;
    }
  }
  return kept;
}

/** A cell's width: its widest line (cells may hold several lines). */
function cellWidth(cell: string): number {
  return Math.max(0, ...cell.split('\n').map(displayWidth));
}

function columnWidths(columns: readonly FitColumn[], rows: readonly string[][]): number[] {
  return columns.map((column, index) => Math.max(displayWidth(column.head), ...rows.map((row) => cellWidth(row[index] ?? ''))));
}

function totalWidth(widths: readonly number[]): number {
  return widths.reduce((sum, width) => sum + width, 0) + COLUMN_GAP * Math.max(0, widths.length - 1);
}

/** The narrowest a column can be made: shortenable text down to its minimum, the rest as they are. */
function narrows(column: FitColumn): boolean {
  return column.role === 'text' || column.role === 'wrap';
}

function narrowest(column: FitColumn, width: number): number {
  return narrows(column) ? Math.min(width, column.min ?? width) : width;
}

/** Whether the table fits `width` with its text columns shortened, without hiding any column. */
export function fitsWithoutHiding(columns: readonly FitColumn[], rows: readonly (readonly (string | number)[])[], width: number | null): boolean {
  if (width === null) return true;
  const widths = columnWidths(columns, rows.map((row) => row.map((cell) => String(cell))));
  return totalWidth(columns.map((column, index) => narrowest(column, widths[index]!))) <= width;
}

/**
 * The table made to fit `width`: droppable columns are hidden in priority order only while
 * the table could not fit even with every text column at its minimum; then text columns are
 * shortened, the widest first, until the rows fit. A table that cannot fit even so comes back
 * as narrow as it gets (numbers are never cut). `width === null` returns the table unchanged.
 */
export function fitTable(columns: readonly FitColumn[], rows: readonly (readonly (string | number)[])[], width: number | null, ellipsis: string): FittedTable {
  let kept = columns.map((column, index) => ({ column, index }));
  const text = rows.map((row) => row.map((cell) => String(cell)));
  if (width === null) return { columns: [...columns], rows: text, hidden: [] };

  const droppable = kept.filter(({ column }) => column.drop !== undefined).sort((a, b) => a.column.drop! - b.column.drop!);
  const hidden: string[] = [];
  for (const candidate of droppable) {
    if (fitsWithoutHiding(kept.map(({ column }) => column), text.map((row) => kept.map(({ index }) => row[index] ?? '')), width)) break;
    kept = kept.filter((entry) => entry !== candidate);
    hidden.push(candidate.column.head);
  }

  const allWidths = columnWidths(columns, text);
  const widths = kept.map(({ index }) => allWidths[index]!);
  let excess = totalWidth(widths) - width;
  while (excess > 0) {
    let widest = -1;
    kept.forEach(({ column }, position) => {
      if (!narrows(column) || widths[position]! <= (column.min ?? 0)) return;
      if (widest === -1 || widths[position]! > widths[widest]!) widest = position;
    });
    if (widest === -1) break;
    widths[widest]! -= 1;
    excess -= 1;
  }

  const fit = (cell: string, position: number) => {
    const { column } = kept[position]!;
    if (column.role === 'wrap' && cellWidth(cell) > widths[position]!) return wrapLine(cell.split('\n').join(' '), widths[position]!, ellipsis).join('\n');
    return narrows(column) ? cell.split('\n').map((line) => shorten(line, widths[position]!, ellipsis)).join('\n') : cell;
  };
  return {
    columns: kept.map(({ column }, position) => ({ ...column, head: fit(column.head, position) })),
    rows: text.map((row) => kept.map(({ index }, position) => fit(row[index] ?? '', position))),
    hidden,
  };
}

/** "columns Trend, Period hidden to fit 80 columns; --wide shows all", or nothing. */
export function hiddenColumnsNote(hidden: readonly string[], width: number | null): string[] {
  if (hidden.length === 0 || width === null) return [];
  return [`column${hidden.length === 1 ? '' : 's'} ${hidden.join(', ')} hidden to fit ${width} columns; --wide shows all`];
}

/**
 * A fitted table as text lines (headings in the palette's heading style, numeric columns
 * right-aligned), followed by the note on hidden columns (dim) when any were hidden.
 */
export function fittedTableLines(columns: readonly FitColumn[], rows: readonly (readonly (string | number)[])[], palette: Palette, screen: Screen): string[] {
  const fitted = fitTable(columns, rows, screen.width, ellipsisFor(screen));
  const numeric = fitted.columns.flatMap((column, index) => (column.role === 'numeric' ? [index] : []));
  const table = newTable(fitted.columns.map((column) => column.head), palette, numeric);
  table.push(...fitted.rows);
  return [tableText(table), ...hiddenColumnsNote(fitted.hidden, screen.width).map((note) => palette.dim(note))];
}

/**
 * A line broken at spaces into lines of at most `width` display columns; continuation lines
 * keep the first line's indentation (unless it takes more than half the line). A word longer
 * than a line is broken inside (nothing of it is lost). Colour codes count as nothing (a colour open across a break carries over, as
 * terminals keep attributes across lines).
 */
export function wrapLine(line: string, width: number | null, ellipsis: string): string[] {
  if (width === null || displayWidth(line) <= width) return [line];
  const leading = /^ */.exec(line.replace(ANSI, ''))![0];
  // An indentation that leaves less than half the line (a table cell's continuation when the
  // table is wider than the screen) is dropped: the words start at the left edge instead of
  // being broken into slivers or cut down to an ellipsis.
  const indent = leading.length * 2 <= width ? leading : '';
  const room = Math.max(1, width - indent.length);
  const lines: string[] = [];
  let current = '';
  for (const word of line.trimStart().split(' ').flatMap((whole) => breakWord(whole, room))) {
    const candidate = current ? `${current} ${word}` : `${indent}${word}`;
    if (current && displayWidth(candidate) > width) {
      lines.push(current);
      current = `${indent}${word}`;
    } else current = candidate;
  }
  lines.push(current);
  // Only a wide character in a room of one column can still pass the width.
  return lines.map((part) => shorten(part, width, ellipsis));
}

/** A word in pieces of at most `room` display columns (colour codes stay with the piece they precede). */
function breakWord(word: string, room: number): string[] {
  if (displayWidth(word) <= room) return [word];
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const part of word.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      piece += part;
      continue;
    }
    for (const picture of pictures(part)) {
      if (used + picture.width > room && used > 0) {
        pieces.push(piece);
        piece = '';
        used = 0;
      }
      piece += picture.text;
      used += picture.width;
    }
  }
  pieces.push(piece);
  return pieces;
}

/** Every line of a rendered text fitted to the screen by `wrapLine` (tables already fit; prose wraps). */
export function fitLines(text: string, screen: Screen): string {
  if (screen.width === null) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, screen.width, ellipsisFor(screen)))
    .join('\n');
}

/** Every line cut to the screen with the ellipsis: for lines built by hand whose ends are detail. */
export function shortenLines(lines: readonly string[], screen: Screen): string[] {
  const width = screen.width;
  return width === null ? [...lines] : lines.map((line) => shorten(line, width, ellipsisFor(screen)));
}
