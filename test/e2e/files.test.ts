import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../src/scoreboard/history.js';
import { readSnapshot } from '../../src/snapshots/snapshot-store.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { runKpi } from '../support/run-kpi.js';
import { loadAccountFile, startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * The files kpi writes, through the built binary. Running as root (as CI does), real small
 * and read-only file systems are mounted; a root run where mounting fails is a failure, not
 * a skip, so the disk-full cases are never silently left out where they can be tested.
 */
const KEY = 'rk_test_filesKey000000000000';
const DEMO_ACCOUNT = fileURLToPath(new URL('../../fixtures/demo-account.json', import.meta.url));
const DEMO_SNAPSHOTS = fileURLToPath(new URL('../../fixtures/demo-snapshots', import.meta.url));
const isRoot = process.getuid?.() === 0;
const mounted: string[] = [];

function mountTmpfs(options: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'kpi-mount-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', directory]);
  mounted.push(directory);
  return directory;
}

/** Fills a file system until exactly `free` bytes are left for new data. */
function fillUntil(directory: string, free: number): void {
  const available = () => {
    const stats = statfsSync(directory);
    return stats.bavail * stats.bsize;
  };
  writeFileSync(join(directory, 'filler'), Buffer.alloc(available() - free));
  expect(available()).toBe(free);
}

const scratch = () => mkdtempSync(join(tmpdir(), 'kpi-files-'));
const modeOf = (path: string) => statSync(path).mode & 0o777;
/** What the test process creates with a requested 0600 (the binary inherits its umask). */
const privateMode = () => {
  const probe = join(scratch(), 'probe');
  writeFileSync(probe, '', { mode: 0o600 });
  return modeOf(probe);
};

const VALUE_KPIS = 'report:\n  kpis:\n    - { id: goal, name: Goal, unit: count, source: { type: value, value: 10 } }\n';

let server: RunningStripeServer;
beforeAll(async () => {
  server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [KEY] });
});
afterAll(() => {
  server.close();
  for (const directory of mounted) execFileSync('umount', [directory]);
});
const live = () => ({ STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url });

describe.runIf(isRoot)('a nearly full or read-only file system (root: real mounts)', () => {
  it('-o that does not fit: exit 1 naming the file, nothing under its name, no temporary file, nothing on stdout', async () => {
    const directory = mountTmpfs('size=64k');
    // One page left: the --explain output of the demo is far larger (about 95 KB), so the first write is short.
    fillUntil(directory, 4096);
    const file = join(directory, 'out.txt');
    const run = await runKpi(['mrr', '--demo', '--explain', '-o', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot write ${file}: no space left on the device; nothing was written`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(directory)).toEqual(['filler']);
  });

  it('a snapshot that does not fit: exit 1, no snapshot or temporary file left, and the weekly history still reads', async () => {
    const directory = mountTmpfs('size=192k');
    mkdirSync(join(directory, 'snapshots'));
    const earlier = ['snapshot-20261109T000000Z-d66834b1.json.gz', 'snapshot-20261116T000000Z-af40659f.json.gz'];
    for (const name of earlier) copyFileSync(join(DEMO_SNAPSHOTS, name), join(directory, 'snapshots', name));
    // One page left; the demo account's snapshot is about 50 KB, so its write is short.
    fillUntil(directory, 4096);
    const demo = await startStripeServer({ account: loadAccountFile(DEMO_ACCOUNT), apiKeys: [KEY] });
    try {
      const run = await runKpi(['snapshot', '--data-dir', directory], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: demo.url }, timeoutMs: 120_000 });
      expect(run.stderr).toContain(`no space left on the device; nothing was written`);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
    } finally {
      demo.close();
    }
    expect(readdirSync(join(directory, 'snapshots')).sort()).toEqual(earlier);
    // The demo figures: 1,527,128.10 then 1,540,500.10 USD ARR; a truncated third snapshot would fail the whole series.
    const weekly = await runKpi(['arr', '--weekly', '--weeks', '2', '--data-dir', directory, '--format', 'csv'], { env: { KPI_NOW: '2026-11-18T00:00:00Z' } });
    expect(weekly.code).toBe(0);
    expect(weekly.stdout).toContain('2026-11-09,2026-11-15,snapshot,1540500.10,usd,0.88,10,no');
  }, 180_000);

  it('a read-only data directory says "not writable", not ENOENT', async () => {
    const readOnly = mountTmpfs('ro,size=16k');
    const run = await runKpi(['snapshot', '--data-dir', join(readOnly, 'sub')], { env: live() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot save snapshots in ${join(readOnly, 'sub', 'snapshots')}: not writable (read-only file system)`);
    expect(run.stderr).not.toContain('ENOENT');
  });

  it('report --record into a read-only place: exit 2 and nothing on stdout', async () => {
    const readOnly = mountTmpfs('ro,size=16k');
    const config = join(scratch(), 'kpi.config.yaml');
    writeFileSync(config, VALUE_KPIS);
    const run = await runKpi(['report', '--config', config, '--record', '--history-file', join(readOnly, 'history.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot record the report in ${join(readOnly, 'history.jsonl')}: not writable (read-only file system)`);
  });
});

describe('files kpi writes', () => {
  it('report --record with a history file that cannot be written: exit 2, stdout empty', async () => {
    const directory = scratch();
    const config = join(directory, 'kpi.config.yaml');
    writeFileSync(config, VALUE_KPIS);
    writeFileSync(join(directory, 'a-file'), '');
    // A path under a file fails even for root (ENOTDIR), where chmod would not.
    const history = join(directory, 'a-file', 'history.jsonl');
    const run = await runKpi(['report', '--config', config, '--record', '--history-file', history]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot record the report in ${history}: a file is in the way`);
  });

  it('report --record -o into a place that cannot take the file: exit 2, and the failed run is not recorded', async () => {
    const directory = scratch();
    const config = join(directory, 'kpi.config.yaml');
    writeFileSync(config, VALUE_KPIS);
    writeFileSync(join(directory, 'a-file'), '');
    const history = join(directory, 'history.jsonl');
    const output = join(directory, 'a-file', 'report.txt');
    const run = await runKpi(['report', '--config', config, '--record', '--history-file', history, '-o', output]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`cannot write ${output}: a file is in the way`);
    expect(readRecords(history)).toEqual([]);
  });

  it('a torn last history line is reported and skipped; the next record gets its own line', async () => {
    const directory = scratch();
    const config = join(directory, 'kpi.config.yaml');
    writeFileSync(config, VALUE_KPIS);
    const history = join(directory, 'history.jsonl');
    writeFileSync(history, '{"recorded_at":"2026-11-0');
    const run = await runKpi(['report', '--config', config, '--record', '--history-file', history, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`kpi: warning: the report history ${history} has an incomplete or damaged line (line 1); skipped`);
    const lines = readFileSync(history, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('{"recorded_at":"2026-11-0');
    expect(JSON.parse(lines[1]!).kpis.goal.value).toBe(10);
    expect(lines[2]).toBe('');
  });

  it('new snapshots, history and -o files are private; -o keeps an existing file\'s mode', async () => {
    const directory = scratch();
    const snapshot = await runKpi(['snapshot', '--data-dir', directory], { env: live() });
    expect(snapshot.code).toBe(0);
    expect(readSnapshot(snapshot.stdout.trim()).subscriptions).toHaveLength(19);
    expect(modeOf(snapshot.stdout.trim())).toBe(privateMode());

    const config = join(directory, 'kpi.config.yaml');
    writeFileSync(config, VALUE_KPIS);
    const history = join(directory, 'history.jsonl');
    expect((await runKpi(['report', '--config', config, '--record', '--history-file', history])).code).toBe(0);
    expect(modeOf(history)).toBe(privateMode());

    const fresh = join(directory, 'fresh.json');
    expect((await runKpi(['mrr', '--demo', '--format', 'json', '-o', fresh])).code).toBe(0);
    expect(modeOf(fresh)).toBe(privateMode());
    for (const mode of [0o600, 0o644]) {
      const existing = join(directory, `existing-${mode.toString(8)}.json`);
      writeFileSync(existing, 'old');
      chmodSync(existing, mode);
      expect((await runKpi(['mrr', '--demo', '--format', 'json', '-o', existing])).code).toBe(0);
      expect(modeOf(existing)).toBe(mode);
      expect(JSON.parse(readFileSync(existing, 'utf8')).kind).toBe('mrr');
    }
  });

  it('data_dir and report.history_file resolve against the config file\'s folder, wherever kpi runs', async () => {
    const root = scratch();
    mkdirSync(join(root, 'conf'));
    mkdirSync(join(root, 'work'));
    writeFileSync(join(root, 'conf', 'kpi.config.yaml'), `data_dir: ./kpi-data\n${VALUE_KPIS}`);
    const byDataDir = await runKpi(['report', '--config', '../conf/kpi.config.yaml', '--record'], { cwd: join(root, 'work') });
    expect(byDataDir.code).toBe(0);
    expect(existsSync(join(root, 'conf', 'kpi-data', 'report-history.jsonl'))).toBe(true);

    writeFileSync(join(root, 'conf', 'kpi.config.yaml'), `${VALUE_KPIS}  history_file: history.jsonl\n`);
    const byHistoryFile = await runKpi(['report', '--config', '../conf/kpi.config.yaml', '--record'], { cwd: join(root, 'work') });
    expect(byHistoryFile.code).toBe(0);
    expect(existsSync(join(root, 'conf', 'history.jsonl'))).toBe(true);
    expect(readdirSync(join(root, 'work'))).toEqual([]);
  });

  // okrs.yaml would shadow okrs.yml: it is the file okr status reads first.
  it.each([
    ['kpi.config.yml', 'kpi.config.yml already exists: a kpi.config.yaml beside it would leave several configuration files'],
    ['okrs.yml', 'okrs.yml already exists: an okrs.yaml beside it would be read instead of it'],
  ])('kpi init next to a %s refuses, even with --force, and writes nothing', async (existing, refusal) => {
    const directory = scratch();
    writeFileSync(join(directory, existing), 'version: 1\n');
    for (const args of [['init'], ['init', '--force']]) {
      const run = await runKpi(args, { cwd: directory });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(refusal);
    }
    expect(readdirSync(directory)).toEqual([existing]);
  });
});
