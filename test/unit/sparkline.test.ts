import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/render/charts/sparkline.js';
import { renderKpiReportDelimited, renderKpiReportMarkdown, renderKpiReportTable, type ReportView } from '../../src/render/kpi-report.js';
import type { KpiResult } from '../../src/app/kpi-report.js';
import { makePalette } from '../../src/terminal/terminal.js';

describe('sparkline', () => {
  it('gives each value its place between the smallest and the largest, in eighths', () => {
    // 1..8: (v - 1) / 7 x 7 = v - 1, one level each.
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    // 0, 10, 5: levels 0, 7 and 3.5 -> 4 (half up).
    expect(sparkline([0, 10, 5])).toBe('▁█▅');
    // 100, 101, 103: (1 / 3) x 7 = 2.33 -> 2; not scaled from zero, so small moves show.
    expect(sparkline([100, 101, 103])).toBe('▁▃█');
  });

  it('scales negative values from the smallest to the largest', () => {
    // -2, 0, 2: levels 0, 3.5 -> 4, 7.
    expect(sparkline([-2, 0, 2])).toBe('▁▅█');
    expect(sparkline([-5, -10])).toBe('█▁');
  });

  it('draws equal values as a flat middle line, one value as one character, nothing as nothing', () => {
    expect(sparkline([7, 7, 7])).toBe('▄▄▄');
    expect(sparkline([42])).toBe('▄');
    expect(sparkline([])).toBe('');
  });

  it('has five ASCII levels _.-~^ with - as the middle', () => {
    // 0, 10, 5 on 5 levels: 0, 4 and 2.
    expect(sparkline([0, 10, 5], false)).toBe('_^-');
    // 0, 1, 2, 3, 4: one level each.
    expect(sparkline([0, 1, 2, 3, 4], false)).toBe('_.-~^');
    expect(sparkline([3, 3], false)).toBe('--');
  });
});

describe('the report trend column', () => {
  const result = (more: Partial<KpiResult>): KpiResult => ({
    id: 'mqls',
    name: 'MQLs',
    unit: 'count',
    currency: null,
    period: { name: 'now', start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-16T00:00:00Z') },
    source: 'value',
    value: 8,
    target: 10,
    direction: 'higher',
    status: 'red',
    reason: null,
    note: null,
    trend: null,
    history: [],
    ...more,
  }) as KpiResult;
  const view = (results: KpiResult[]): ReportView => ({ report: { generatedAt: new Date('2026-11-16T00:00:00Z'), timeZone: 'UTC', results, reads: [] }, onlyOffTrack: false });
  const withHistory = result({
    // Recorded 2, 4, 6, then this run's 8: levels (v - 2) / 6 x 7 = 0, 2.33 -> 2, 4.67 -> 5, 7.
    history: [
      { recordedAt: '2026-10-26T00:00:00Z', value: 2 },
      { recordedAt: '2026-11-02T00:00:00Z', value: 4 },
      { recordedAt: '2026-11-09T00:00:00Z', value: 6 },
    ],
    trend: { direction: 'up', previous: 6, recordedAt: '2026-11-09T00:00:00Z' },
  });

  it('shows the recorded values and this run as a sparkline, then the arrow and the last value', () => {
    const table = renderKpiReportTable(view([withHistory]), makePalette(false));
    expect(table).toContain('▁▃▆█ ↑ from 6');
    expect(renderKpiReportMarkdown(view([withHistory]))).toContain('| ▁▃▆█ ↑ from 6 |');
  });

  it('is ASCII with an ASCII screen: levels _.-~^ and the direction in a word', () => {
    // 2, 4, 6, 8 on 5 levels: 0, 1.33 -> 1, 2.67 -> 3, 4.
    const table = renderKpiReportTable(view([withHistory]), makePalette(false), { width: null, unicode: false });
    expect(table).toContain('_.~^ up from 6');
    expect(table).toContain('x RED');
    expect(table).toMatch(/^[\x00-\x7f]*$/);
  });

  it('is empty without history, and CSV keeps the direction word', () => {
    const table = renderKpiReportTable(view([result({})]), makePalette(false));
    expect(table.split('\n')[3]).toMatch(/^✖ RED\s+MQLs\s+8\s+10\s+now$/);
    expect(renderKpiReportDelimited(view([withHistory]), 'csv').split('\r\n')[1]).toContain(',up,');
  });
});
