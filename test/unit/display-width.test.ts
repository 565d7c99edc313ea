import { describe, expect, it } from 'vitest';
import { displayWidth, fittedTableLines, shorten, wrapLine } from '../../src/render/table-fit.js';
import { makePalette } from '../../src/terminal/terminal.js';

/**
 * Emoji are drawn two columns wide by terminals, and cli-table3 pads cells counting them so:
 * if the fitting counted one, a shortened row came out a column too wide and broke the line.
 */
describe('display width of emoji', () => {
  it('counts an emoji-presentation character as two columns, also outside the CJK-era emoji blocks', () => {
    // 🚀 U+1F680 (transport), 🟢 U+1F7E2 (geometric shapes ext.), ✅ U+2705, ⭐ U+2B50, ⚡ U+26A1.
    for (const emoji of ['🚀', '🟢', '✅', '⭐', '⚡', '📈']) expect(displayWidth(emoji), emoji).toBe(2);
  });

  it('counts a sequence drawn as one picture once: skin tone, family (joined by U+200D), a flag, a text symbol asked to be emoji (U+FE0F)', () => {
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('🇩🇪')).toBe(2);
    expect(displayWidth('⚠️')).toBe(2);
    // Without U+FE0F these stay text symbols, one column: the status marks kpi draws itself.
    expect(displayWidth('✔ ✖ ▲ ⚠')).toBe(7);
  });

  it('shortens and wraps by whole pictures', () => {
    // "🚀 Launches" is 2 + 1 + 8 = 11 wide; in 6 columns: 🚀 (2), space, "La" (2) and the ellipsis.
    expect(shorten('🚀 Launches', 6, '…')).toBe('🚀 La…');
    // A family never splits in its middle.
    expect(shorten('👨‍👩‍👧👨‍👩‍👧', 3, '…')).toBe('👨‍👩‍👧…');
    expect(wrapLine('✅ done ✅ done', 7, '…')).toEqual(['✅ done', '✅ done']);
  });

  it('a table with emoji names fitted to 40 columns is at most 40 wide as cli-table3 draws it', () => {
    const lines = fittedTableLines(
      [
        { head: 'KPI', role: 'text', min: 10 },
        { head: 'Value', role: 'numeric' },
      ],
      [
        ['🚀 Launches per week across every product line', '3'],
        ['🟢 Uptime ✅ of the whole platform, weekly', '99'],
      ],
      makePalette(false),
      { width: 40, unicode: true },
    ).join('\n').split('\n');
    expect(lines.map(displayWidth)).toEqual([40, 40, 40]);
  });
});
