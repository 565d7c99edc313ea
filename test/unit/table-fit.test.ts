import { describe, expect, it } from 'vitest';
import { displayWidth, fitTable, fittedTableLines, shorten, wrapLine, type FitColumn } from '../../src/render/table-fit.js';
import { makePalette } from '../../src/terminal/terminal.js';

const plain = makePalette(false);

// Product 54 wide ("Starter plan for small teams, billed yearly in advance"), MRR 8 ("1,234.00"),
// Owner 5, Comment 24 ("renewal due next quarter"); with 3 gaps of 2 the full table is
// 54 + 8 + 5 + 24 + 6 = 97 columns.
const COLUMNS: FitColumn[] = [
  { head: 'Product', role: 'text', min: 30 },
  { head: 'MRR', role: 'numeric' },
  { head: 'Owner', role: 'keep', drop: 2 },
  { head: 'Comment', role: 'text', min: 20, drop: 1 },
];
const ROWS = [
  ['Starter plan for small teams, billed yearly in advance', '1,234.00', 'Alice', 'renewal due next quarter'],
  ['Pro', '56.00', 'Bob', 'ok'],
];
const lines = (width: number | null) => fittedTableLines(COLUMNS, ROWS, plain, { width, unicode: true }).join('\n').split('\n');

describe('fitting a table to the screen', () => {
  const full = [
    'Product                                                      MRR  Owner  Comment',
    'Starter plan for small teams, billed yearly in advance  1,234.00  Alice  renewal due next quarter',
    'Pro                                                        56.00  Bob    ok',
  ];

  it('leaves a table that fits alone, at 200 and 120 columns (97 wide)', () => {
    expect(lines(200)).toEqual(full);
    expect(lines(120)).toEqual(full);
    expect(lines(null)).toEqual(full);
  });

  it('at 80 columns shortens the widest text column only: 97 - 80 = 17, Product 54 -> 37 (36 characters and the ellipsis)', () => {
    const fitted = lines(80);
    expect(fitted).toEqual([
      'Product                                     MRR  Owner  Comment',
      'Starter plan for small teams, billed…  1,234.00  Alice  renewal due next quarter',
      'Pro                                       56.00  Bob    ok',
    ]);
    expect(Math.max(...fitted.map(displayWidth))).toBe(80);
  });

  it('at 60 columns drops Comment first (the narrowest possible, 30 + 8 + 5 + 20 + 6 = 69, is over 60), then shortens Product 54 - (71 - 60) = 43', () => {
    expect(lines(60)).toEqual([
      'Product                                           MRR  Owner',
      'Starter plan for small teams, billed yearl…  1,234.00  Alice',
      'Pro                                             56.00  Bob',
      'column Comment hidden to fit 60 columns; --wide shows all',
    ]);
  });

  it('with ties, shortens the first of the widest text columns, one column at a time', () => {
    // 24 + 24 + 2 = 50 into 45: A 23, B 23, A 22, B 22, A 21.
    const fitted = fitTable(
      [{ head: 'A', role: 'text', min: 3 }, { head: 'B', role: 'text', min: 3 }],
      [['a'.repeat(24), 'b'.repeat(24)]],
      45,
      '...',
    );
    expect(fitted.rows[0]).toEqual([`${'a'.repeat(18)}...`, `${'b'.repeat(19)}...`]);
  });

  it('never shortens a number, even when the table cannot fit', () => {
    const fitted = fitTable([{ head: 'Amount', role: 'numeric' }], [['1,234,567.89 USD']], 5, '…');
    expect(fitted.rows).toEqual([['1,234,567.89 USD']]);
  });
});

describe('display width and shortening', () => {
  it('counts display columns: colour codes none, East Asian wide characters two', () => {
    expect(displayWidth('\x1b[1mabc\x1b[22m')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('→ ✔')).toBe(3);
  });

  it('shortens with … or ..., keeps colour codes (closing ones too), and cuts wide characters whole', () => {
    expect(shorten('abcdefgh', 5, '…')).toBe('abcd…');
    expect(shorten('abcdefgh', 5, '...')).toBe('ab...');
    expect(shorten('\x1b[1mabcdefgh\x1b[22m', 5, '…')).toBe('\x1b[1mabcd…\x1b[22m');
    // 日本語 is 6 wide; 4 columns leave room for 3 plus the ellipsis: one wide character (2).
    expect(shorten('日本語', 4, '…')).toBe('日…');
    expect(shorten('abc', 5, '…')).toBe('abc');
  });

  it('wraps prose at spaces, keeping the indentation', () => {
    expect(wrapLine('  one two three four', 10, '…')).toEqual(['  one two', '  three', '  four']);
    expect(wrapLine('short', 10, '…')).toEqual(['short']);
    expect(wrapLine('one two three four', null, '…')).toEqual(['one two three four']);
  });

  it('breaks a word longer than a line inside it, losing nothing', () => {
    // 10 columns less the 2 of indentation leave 8 for "sub_1P0snNTfCy" (14): 8 + 6.
    expect(wrapLine('  see sub_1P0snNTfCy now', 10, '…')).toEqual(['  see', '  sub_1P0s', '  nNTfCy', '  now']);
  });

  it('a wrap column breaks its text into more lines instead of shortening it', () => {
    // "because of a coupon x" is 21 wide; Id 2 + gap 2 + 21 = 25 into 18 leaves Why 14:
    // "because of a" (12; with " coupon" it would be 19), then "coupon x".
    const fitted = fitTable([{ head: 'Id', role: 'keep' }, { head: 'Why', role: 'wrap', min: 8 }], [['c1', 'because of a coupon x']], 18, '…');
    expect(fitted.rows).toEqual([['c1', 'because of a\ncoupon x']]);
  });
});
