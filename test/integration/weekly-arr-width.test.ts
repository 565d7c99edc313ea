import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import { displayWidth } from '../../src/render/table-fit.js';

/** `kpi arr --demo --weekly` in this process, stdout a terminal `columns` wide (piped when undefined). */
async function weekly(columns?: number): Promise<string[]> {
  let text = '';
  const stdout = { isTTY: columns !== undefined, columns, write: (chunk: string) => ((text += chunk), true) };
  const stderr = { isTTY: false, write: () => true };
  const context = { stdout, stderr, env: { NO_COLOR: '1', LANG: 'C.UTF-8', KPI_DATA_DIR: '/nonexistent-kpi-dir' }, cwd: '/nonexistent-kpi-dir', now: () => new Date('2026-11-16T00:00:00Z') } as unknown as CliContext;
  expect(await run(['node', 'kpi', 'arr', '--demo', '--weekly'], context)).toBe(0);
  return text.trimEnd().split('\n');
}

const header = (lines: string[]) => lines.find((line) => line.startsWith('Week '))!.split(/ {2,}/);

describe('kpi arr --weekly fits the terminal', () => {
  it('piped: every column, and lines wider than 80 kept whole', async () => {
    const lines = await weekly();
    expect(header(lines)).toEqual(['Week', 'Basis', 'ARR', 'Growth', 'FX', 'Target', 'Met']);
    expect(Math.max(...lines.map(displayWidth))).toBeGreaterThan(80);
  });

  it('at 80 columns hides Target (the same on every row, named in the heading) and wraps the note', async () => {
    // Week 23, Basis 8, ARR 16, Growth 6, FX 10, Target 6, Met 3 and six gaps of 2: 84; without Target 76.
    const lines = await weekly(80);
    expect(lines.filter((line) => displayWidth(line) > 80)).toEqual([]);
    expect(header(lines)).toEqual(['Week', 'Basis', 'ARR', 'Growth', 'FX', 'Met']);
    expect(lines).toContain('column Target hidden to fit 80 columns; --wide shows all');
  });

  it('at 60 columns hides Target, then FX, then Basis', async () => {
    // 84 - 8 (Target) - 12 (FX) - 10 (Basis) = 54.
    const lines = await weekly(60);
    expect(lines.filter((line) => displayWidth(line) > 60)).toEqual([]);
    expect(header(lines)).toEqual(['Week', 'ARR', 'Growth', 'Met']);
    expect(lines.join(' ')).toContain('columns Target, FX, Basis hidden to fit 60 columns; --wide shows all');
  });
});
