import Table from 'cli-table3';
import type { Palette } from '../terminal/terminal.js';

/** Borderless, aligned columns: readable in a terminal and still tidy when pasted. */
export const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
};

/** A borderless table; numeric columns align right. */
export function newTable(head: string[], palette: Palette, numericColumns: number[]): Table.Table {
  return new Table({
    head: head.map((title) => palette.heading(title)),
    chars: PLAIN_CHARS,
    // cli-table3 colours headings and borders itself unless told not to.
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: head.map((_, index) => (numericColumns.includes(index) ? 'right' : 'left')),
  });
}

/** The table as text, without the padding cli-table3 leaves at the end of lines. */
export function tableText(table: Table.Table): string {
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
