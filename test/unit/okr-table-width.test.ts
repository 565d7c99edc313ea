import { describe, expect, it } from 'vitest';
import { okrStatus } from '../../src/app/okr-status.js';
import { loadOkrFile } from '../../src/okr/okr-file.js';
import { DEMO_OKR_FILE } from '../../src/package-root.js';
import { renderOkrTable } from '../../src/render/okr.js';
import { displayWidth, wrapLine } from '../../src/render/table-fit.js';
import { makePalette } from '../../src/terminal/terminal.js';

/** The demo's OKRs from their check-ins (not live), as `kpi okr status --demo` shows them on 2026-11-16. */
const report = okrStatus(loadOkrFile(DEMO_OKR_FILE), { asOf: new Date('2026-11-16T00:00:00Z'), live: false, calendar: { timeZone: 'UTC', fiscalYearStartMonth: 1 }, kpis: new Map() });
const table = (width: number) => renderOkrTable(report, makePalette(false), { width, unicode: true }).trimEnd().split('\n');

describe('kpi okr status fits a narrow terminal', () => {
  it.each([60, 80, 120, 200])('at %i columns every line fits and every progress text is there in full', (width) => {
    const lines = table(width);
    expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
    // A wrapped cell's continuation is never lost as a line of nothing but an ellipsis.
    expect(lines.filter((line) => line.trim() === '…')).toEqual([]);
    // Progress words survive wrapping: each one appears somewhere.
    const words = lines.join(' ').split(/\s+/);
    for (const objective of report.objectives) {
      for (const kr of objective.keyResults) {
        if (kr.current !== null && kr.target !== null) expect(words, kr.title).toContain(`${kr.target.toLocaleString('en-US')}`);
      }
    }
  });

  it('at 60 columns hides Owner, then Confidence, and says so', () => {
    // Objective 28 at the least, Score 5, Status 11 ("Not Started"), Progress 10, three gaps
    // of 2: 60; with Confidence (10 and a gap) it would be 72.
    const lines = table(60);
    expect(lines[2]).toBe('Objective / key result        Score  Status       Progress');
    expect(lines.slice(-2).join(' ')).toBe('columns Owner, Confidence hidden to fit 60 columns; --wide shows all');
    // Progress breaks at spaces into lines of at most 10: "120,500 of" / "130,000" / "(from" / "100,000)".
    expect(lines.slice(4, 8).map((line) => line.trim().split(/ {2,}/).at(-1))).toEqual(['120,500 of', '130,000', '(from', '100,000)']);
  });
});

describe('wrapping a line whose indentation leaves no room', () => {
  it('starts the continuation at the left edge instead of losing its text', () => {
    // 12 spaces of indentation at 10 columns: nothing would be left for the words.
    expect(wrapLine(`${' '.repeat(12)}130,000 (from 100,000)`, 10, '…')).toEqual(['130,000', '(from', '100,000)']);
  });
});
