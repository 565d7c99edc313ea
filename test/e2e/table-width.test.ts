import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

describe('piped output keeps full-width rows', () => {
  const LONG = 'Net revenue retention of self-service customers who moved from Starter to Pro within their first ninety days, in EU + US';
  const directory = mkdtempSync(join(tmpdir(), 'kpi-e2e-width-'));
  const config = join(directory, 'kpi.config.json');
  writeFileSync(config, JSON.stringify({ report: { kpis: [{ id: 'long', name: LONG, unit: 'count', source: { type: 'value', value: 7 }, target: 10 }] } }));

  it('a 120-character KPI name appears whole, and the period column stays, when stdout is not a terminal', async () => {
    expect(LONG).toHaveLength(120);
    const run = await runKpi(['report', '--config', config], { env: { KPI_DATA_DIR: directory, COLUMNS: '80' } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(LONG);
    expect(run.stdout).toMatch(/^Status +KPI +Value +Target +Trend +Period$/m);
    expect(run.stdout).not.toContain('hidden to fit');
  });

  it('--help names --wide', async () => {
    const run = await runKpi(['report', '--help']);
    expect(run.stdout).toContain('--wide');
    expect(run.stdout).toContain('full-width rows, no shortening');
  });
});
