import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_FILE } from '../../src/package-root.js';
import { KPI_BIN } from '../support/run-kpi.js';
import { loadAccountFile, startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_ciRecipeKey000000000';
let server: RunningStripeServer;

beforeAll(async () => {
  server = await startStripeServer({ account: loadAccountFile(DEMO_ACCOUNT_FILE), apiKeys: [KEY] });
});
afterAll(() => server.close());

/** The workflow's `run:` steps as the document gives them, kpi ones only (installing is the runner's business). */
function workflowCommands(): string[] {
  const doc = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');
  const block = /<!-- ci-workflow -->\n```yaml\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/ci.md has no marked workflow block');
  const workflow = parse(block[1] as string) as { jobs: Record<string, { steps: Array<{ run?: string }>; env: Record<string, string> }> };
  const job = Object.values(workflow.jobs)[0]!;
  expect(job.env.KPI_DATA_DIR).toBe('kpi-data');
  return job.steps.map((step) => step.run).filter((run): run is string => !!run && run.startsWith('kpi '));
}

function shell(command: string, cwd: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    // `kpi` as the installed binary would be: this checkout's.
    const child = spawn('/bin/sh', ['-c', command.replace(/^kpi /, `"${process.execPath}" "${KPI_BIN}" `)], {
      cwd,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...env },
      stdio: 'ignore',
    });
    child.on('close', resolve);
  });
}

describe('docs/ci.md', () => {
  it('its workflow commands work against the demo account', async () => {
    const commands = workflowCommands();
    expect(commands).toEqual([
      'kpi snapshot',
      'kpi report --format json --record --fail-on red -o report.json',
      'kpi report --only off-track --format markdown -o pre-read.md',
    ]);
    const workspace = mkdtempSync(join(tmpdir(), 'kpi-ci-'));
    // "Put your kpi.config.yaml in the repository": the demo account bills some customers in EUR.
    writeFileSync(join(workspace, 'kpi.config.yaml'), 'reporting:\n  currency: usd\n  rates: { eur: "1.08" }\n');
    const env = { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_DATA_DIR: 'kpi-data' };
    const codes: Array<number | null> = [];
    for (const command of commands) codes.push(await shell(command, workspace, env));
    // No KPI of the default scoreboard is red on a first run (ARR has no last week to grow from yet).
    expect(codes).toEqual([0, 0, 0]);
    expect(readdirSync(join(workspace, 'kpi-data', 'snapshots'))).toHaveLength(1);
    const report = JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8'));
    expect(report.kind).toBe('kpi_report');
    expect(report.kpis.find((kpi: { id: string }) => kpi.id === 'arr')).toMatchObject({ status: 'no_target', reason: expect.stringContaining('no snapshot from last week') });
    expect(readFileSync(join(workspace, 'kpi-data', 'report-history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(workspace, 'pre-read.md'))).toBe(true);
  });
});
