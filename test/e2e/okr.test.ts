import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../support/run-kpi.js';

describe('kpi okr status --demo', () => {
  it("scores the demo company's OKRs from its live KPIs", async () => {
    const run = await runKpi(['okr', 'status', '--demo', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ kind: 'okr_status', period: '2026-Q4', as_of: '2026-11-16T00:00:00.000Z', elapsed: 0.5 });
    const [revenue, platform, dashboard] = document.objectives;
    // MRR from the report's KPI, at the ECB rates of 2026-11-13 (see report.test.ts): 121,868.50 USD;
    // (121868.50 - 100000) / 30000 = 0.72895
    expect(revenue.key_results[0]).toMatchObject({ current: 121868.5, basis: 'kpi', score: 0.73, status: 'On-Track', confidence: 8, confidence_trend: 'up' });
    // CARR closed 89,963 of 150,000 (the demo CRM's, 5,000 EUR x 1.0926 among it, see report.test.ts): 0.59975
    expect(revenue.key_results[1]).toMatchObject({ current: 89963, score: 0.6, status: 'On-Track' });
    // (0.72895 + 0.59975 + 1) / 3 = 0.7762
    expect(revenue).toMatchObject({ score: 0.78, status: 'On-Track', band: 'green', confidence: 7 });
    // 2290 active instances: (2290 - 2000) / 1000 = 0.29 < 0.35 (aspirational pace half-way): Off-Track
    expect(platform.key_results[0]).toMatchObject({ current: 2290, score: 0.29, status: 'Off-Track' });
    // Decreasing: 12 -> 9 on the way to 5 = 3/7
    expect(platform.key_results[1]).toMatchObject({ score: 0.43, status: 'On-Track' });
    // Roll-up: (0.5 + 1) / 2 = 0.75
    expect(dashboard.key_results[0]).toMatchObject({ basis: 'children', score: 0.75 });
  });

  it('shows an earlier moment with --as-of, and fails on off-track when asked', async () => {
    const earlier = JSON.parse((await runKpi(['okr', 'status', '--demo', '--as-of', '2026-10-13', '--format', 'json'])).stdout);
    // Before the live date the MRR key result reads its check-ins: 2026-10-12, 111000: 11000 / 30000 = 0.37
    expect(earlier.objectives[0].key_results[0]).toMatchObject({ current: 111000, basis: 'check-in', score: 0.37 });
    const failing = await runKpi(['okr', 'status', '--demo', '--fail-on', 'off-track']);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('Make Node-RED the default way to build');
    const markdown = await runKpi(['okr', 'status', '--demo', '--format', 'markdown']);
    expect(markdown.stdout).toContain('## Grow self-service revenue: 0.78, On-Track');
  });
});

describe('kpi okr status with a KPI that cannot be read', () => {
  const directory = mkdtempSync(join(tmpdir(), 'kpi-okr-failing-'));
  writeFileSync(
    join(directory, 'kpi.config.yaml'),
    `report:
  kpis:
    - { id: goal, name: Goal, unit: count, source: { type: value, value: 30 } }
    - { id: active, name: Active, unit: count, source: { type: json, location: missing-stats.json, pointer: /active } }
`,
  );
  writeFileSync(
    join(directory, 'okrs.yaml'),
    `period: 2026-Q4
objectives:
  - title: Grow
    owner: Ana
    type: committed
    key_results:
      - { title: Active users, kpi: active, start: 0, target: 100, check_ins: [{ date: 2026-11-01, value: 90, confidence: 9 }] }
      - { title: Goal reached, kpi: goal, start: 0, target: 60 }
`,
  );
  const env = { KPI_NOW: '2026-11-16T00:00:00Z', KPI_DATA_DIR: directory };

  it('shows the key result as n/a, scores the objective from the rest, and exits 1 after printing', async () => {
    const run = await runKpi(['okr', 'status', '--format', 'json', '--fail-on', 'off-track'], { cwd: directory, env });
    // A failed source wins over --fail-on's 3, as in kpi report.
    expect(run.code).toBe(1);
    const [grow] = JSON.parse(run.stdout).objectives;
    expect(grow.key_results[0]).toMatchObject({ score: null, status: 'n/a', band: null, current: null, basis: 'kpi' });
    expect(grow.key_results[0].note).toMatch(/^KPI "active" could not be read: cannot read missing-stats\.json/);
    // Goal 30 of 60 from 0: 0.5; the objective is that alone: 0.5 at half the quarter (pace 0.5): On-Track.
    expect(grow.key_results[1]).toMatchObject({ score: 0.5, status: 'On-Track' });
    expect(grow).toMatchObject({ score: 0.5, status: 'On-Track', incomplete: true });
    expect(run.stderr).toMatch(/^kpi: warning: Active users is n\/a: KPI "active" could not be read: /m);
    const table = await runKpi(['okr', 'status'], { cwd: directory, env });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^Grow\s+Ana \(committed\)\s+0\.50 \(incomplete\)\s+On-Track/m);
    expect(table.stdout).toMatch(/^ {2}Active users\s+n\/a\s+n\/a\s+9\/10\s+n\/a$/m);
    const markdown = await runKpi(['okr', 'status', '--format', 'markdown'], { cwd: directory, env });
    expect(markdown.stdout).toContain('## Grow: 0.50 (incomplete), On-Track');
    expect(markdown.stdout).toContain('| Active users | n/a | n/a | 9/10 | n/a |');
    const csv = await runKpi(['okr', 'status', '--format', 'csv'], { cwd: directory, env });
    expect(csv.stdout.split('\r\n').slice(0, 3)).toEqual([
      'period,objective,owner,type,key_result,score,status,band,confidence,current,target,start,incomplete',
      '2026-Q4,Grow,Ana,committed,,0.5,On-Track,yellow,9,,,,true',
      '2026-Q4,Grow,Ana,committed,Active users,,n/a,,9,,100,0,',
    ]);
  });

  it('refuses key results whose parents go round in a circle (exit 2)', async () => {
    const file = join(directory, 'circle.yaml');
    writeFileSync(
      file,
      'period: 2026-Q4\nobjectives:\n  - title: O\n    owner: Ana\n    type: committed\n    key_results:\n' +
        '      - { id: a, title: A, parent: b }\n      - { id: b, title: B, parent: a }\n      - { title: C, start: 0, target: 1 }\n',
    );
    const status = await runKpi(['okr', 'status', file], { cwd: directory, env });
    expect(status.code).toBe(2);
    expect(status.stdout).toBe('');
    expect(status.stderr).toContain('objectives[0].key_results[0]: its parents lead back to it: a -> b -> a');
    const lint = await runKpi(['okr', 'lint', file], { cwd: directory, env });
    expect(lint.code).toBe(2);
    expect(lint.stdout).toContain('error: objectives[0].key_results[0]: its parents lead back to it: a -> b -> a');
  });
});

describe('kpi okr lint', () => {
  it('passes the demo and fails a file with errors (exit 2), showing warnings', async () => {
    expect((await runKpi(['okr', 'lint', '--demo'])).code).toBe(0);
    const directory = mkdtempSync(join(tmpdir(), 'kpi-okr-lint-'));
    writeFileSync(join(directory, 'okrs.yaml'), 'period: 2026-Q4\nobjectives:\n  - title: Grow\n    owner: Ana\n    type: committed\n    key_results:\n      - { title: MRR, kpi: mrrr, start: 1, target: 2 }\n');
    const run = await runKpi(['okr', 'lint'], { cwd: directory });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('error: objectives[0].key_results[0]: refers to KPI "mrrr", which the report configuration does not define');
    expect(run.stdout).toContain('warning: objectives[0]: has 1 key result; the handbook asks for 3 to 5');
    expect(run.stdout).toContain('1 error, 1 warning');
  });

  it('says how to name the file when there is none', async () => {
    const run = await runKpi(['okr', 'status'], { cwd: mkdtempSync(join(tmpdir(), 'kpi-okr-none-')) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no OKR file given and no okrs.yaml in the working directory');
  });
});
