import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import * as store from '../../src/snapshots/snapshot-store.js';

const reads = vi.hoisted(() => [] as string[]);
vi.mock('../../src/snapshots/snapshot-store.js', async (importOriginal) => {
  const actual = await importOriginal<typeof store>();
  return {
    ...actual,
    readSnapshot: (path: string, options?: Parameters<typeof actual.readSnapshot>[1]) => {
      reads.push(path);
      return actual.readSnapshot(path, options);
    },
  };
});

const { evaluateKpis, reportSetup } = await import('../../src/cli/commands/report.js');

const metricKpi = (id: string, metric: string) => `
    - id: ${id}
      name: ${id}
      unit: ${metric === 'quick_ratio' ? 'count' : 'percent'}
      period: last_28_days
      currency: usd
      source: { type: stripe, metric: ${metric} }
`;

describe('period metrics in a report', () => {
  it('read the two snapshots of a period once, however many KPIs use that period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-period-reads-'));
    const config = join(dir, 'kpi.config.yaml');
    writeFileSync(config, `report:\n  kpis:\n${metricKpi('nrr', 'nrr')}${metricKpi('grr', 'grr')}${metricKpi('quick', 'quick_ratio')}`);
    const context = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: dir, now: () => new Date('2026-11-20T00:00:00Z') };
    const flags = { demo: true, config };
    const setup = reportSetup(flags, context);
    const report = await evaluateKpis(setup, flags, context, []);
    expect(report.results.map((result) => result.status)).toEqual(['no_target', 'no_target', 'no_target']);

    // The demo's last_28_days runs from 2026-10-19 to 2026-11-16: three KPIs, one pair of snapshots.
    const pair = setup.snapshots.filter((snapshot) => ['2026-10-19', '2026-11-16'].includes(new Date(snapshot.takenAt * 1000).toISOString().slice(0, 10)));
    expect(pair).toHaveLength(2);
    for (const snapshot of pair) expect(reads.filter((path) => path === snapshot.path)).toHaveLength(1);
  });
});
