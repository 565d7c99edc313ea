import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, writeSnapshot } from '../../src/snapshots/snapshot-store.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'rk_test_historyKey0000000000';
// A full secret key may read GET /v1/account; the restricted one gets Stripe's 403.
const SECRET_KEY = 'sk_test_historyKey0000000000';
let server: RunningStripeServer;
let dataDir: string;
const live = () => ({ STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url });

beforeAll(async () => {
  server = await startStripeServer({ account: HANDWORKED_ACCOUNT, apiKeys: [KEY, SECRET_KEY] });
  dataDir = mkdtempSync(join(tmpdir(), 'kpi-history-'));
});
afterAll(() => server.close());

describe('kpi snapshot', () => {
  it('two processes at the same moment lose nothing', async () => {
    const [first, second] = await Promise.all([
      runKpi(['snapshot', '--data-dir', dataDir], { env: live() }),
      runKpi(['snapshot', '--data-dir', dataDir], { env: live() }),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const paths = [first.stdout.trim(), second.stdout.trim()];
    expect(new Set(paths).size).toBe(2);
    expect(readdirSync(join(dataDir, 'snapshots')).sort()).toEqual(paths.map((path) => path.split('/').at(-1)).sort());
    for (const path of paths) expect(readSnapshot(path).subscriptions).toHaveLength(19);
    expect(first.stderr).toContain('saved 19 subscriptions');
  });

  it('computes from a snapshot exactly what the live run gives', async () => {
    const snapshot = await runKpi(['snapshot', '--data-dir', dataDir], { env: live() });
    const [fromSnapshot, fromStripe] = await Promise.all([
      runKpi(['mrr', '--snapshot', snapshot.stdout.trim(), '--format', 'json']),
      runKpi(['mrr', '--format', 'json'], { env: live() }),
    ]);
    const figures = (text: string) => {
      const { generated_at: _g, as_of: _a, source: _s, ...rest } = JSON.parse(text);
      return rest;
    };
    expect(fromSnapshot.code).toBe(0);
    expect(figures(fromSnapshot.stdout)).toEqual(figures(fromStripe.stdout));
    expect(JSON.parse(fromSnapshot.stdout).mrr).toBe(419_200);
  });

  it('refuses a damaged snapshot with the file named and nothing on stdout', async () => {
    const bad = join(dataDir, 'bad.json.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    const run = await runKpi(['mrr', '--snapshot', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`kpi: error: snapshot ${bad} is damaged or truncated`);
  });
});

describe('kpi arr --weekly', () => {
  it('shows the bundled demo series with growth against the 10 % target', async () => {
    const run = await runKpi(['arr', '--demo', '--weekly', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.kind).toBe('arr_weekly');
    expect(document.target_growth_percent).toBe(10);
    const weeks = document.weeks as Array<{ week_start: string; basis: string; arr_by_currency: Record<string, number>; growth_percent_by_currency: Record<string, number | null>; met_target_by_currency: Record<string, boolean | null> }>;
    // The demo is frozen at its last snapshot, Monday 2026-11-16 00:00, which closes the week of
    // 2026-11-09; the week it opens has no snapshot yet, so the series ends the week before.
    expect(weeks.map((week) => week.week_start)).toEqual(['2026-09-21', '2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']);
    expect(weeks.every((week) => week.basis === 'snapshot')).toBe(true);
    // Growth recomputed here from the ARR figures: (this - last) / last x 100, to two decimals.
    for (let index = 1; index < weeks.length; index++) {
      const [previous, current] = [weeks[index - 1]!.arr_by_currency.usd!, weeks[index]!.arr_by_currency.usd!];
      const expected = Math.round(((current - previous) / previous) * 10_000) / 100;
      expect(weeks[index]!.growth_percent_by_currency.usd).toBeCloseTo(expected, 2);
      expect(weeks[index]!.met_target_by_currency.usd).toBe(expected >= 10);
    }
    expect(weeks[0]!.growth_percent_by_currency.usd).toBeNull();
  });

  it('shows weeks without a snapshot as missing, and reconstructs them only when asked', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-weeks-'));
    const snapshotsDir = join(directory, 'snapshots');
    const now = Math.floor(Date.now() / 1000);
    const file = readSnapshot((await runKpi(['snapshot', '--data-dir', directory], { env: live() })).stdout.trim());
    // A second snapshot three weeks ago (the same data, dated back), nothing in between.
    writeSnapshot(snapshotsDir, { ...file, taken_at: now - 21 * 86_400 });
    const plain = JSON.parse((await runKpi(['arr', '--weekly', '--weeks', '4', '--data-dir', directory, '--format', 'json'])).stdout);
    expect(plain.weeks.map((week: { basis: string }) => week.basis)).toEqual(['snapshot', 'missing', 'missing', 'snapshot']);
    expect(plain.weeks[1].arr).toBeNull();

    const backfilled = await runKpi(['arr', '--weekly', '--weeks', '4', '--backfill', '--data-dir', directory, '--format', 'csv']);
    expect(backfilled.code).toBe(0);
    const rows = backfilled.stdout.trim().split('\r\n').slice(1).map((line) => line.split(','));
    expect(rows.map((row) => row[2])).toEqual(['snapshot', 'reconstructed', 'reconstructed', 'snapshot']);
    // The hand-worked account's ARR: 12 x 4,192.00 self-service MRR = 50,304.00, plus the yearly
    // enterprise subscription (#18) in its other-recurring group at 20,000.00 a year: 70,304.00
    expect(rows[3]![3]).toBe('70304.00');
  });

  it('refuses --weeks without --weekly, which would silently show today\'s ARR', async () => {
    const run = await runKpi(['arr', '--demo', '--weeks', '4']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--weeks works with --weekly');
  });

  it('says so when there are no snapshots at all', async () => {
    const run = await runKpi(['arr', '--weekly', '--data-dir', mkdtempSync(join(tmpdir(), 'kpi-empty-'))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no snapshots in .*snapshots/);
    expect(run.stderr).toContain('kpi snapshot');
  });
});

describe('history of one account', () => {
  const weekly = async (directory: string, extra: string[] = []) => {
    const run = await runKpi(['arr', '--weekly', '--weeks', '3', '--data-dir', directory, '--format', 'json', ...extra]);
    return { run, document: run.code === 0 ? JSON.parse(run.stdout) : null };
  };

  it('records the account: its id with a key that may read it, else a fingerprint; both are one account', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-account-'));
    const secretRun = await runKpi(['snapshot', '--data-dir', directory], { env: { STRIPE_API_KEY: SECRET_KEY, STRIPE_API_BASE: server.url } });
    const restrictedRun = await runKpi(['snapshot', '--data-dir', directory], { env: live() });
    const withSecret = readSnapshot(secretRun.stdout.trim());
    const withRestricted = readSnapshot(restrictedRun.stdout.trim());
    expect(secretRun.stderr).toContain('(account acct_1KpiTestServer0001)');
    expect(restrictedRun.stderr).toContain(`(account ${withRestricted.account})`);
    expect(withSecret.account).toBe('acct_1KpiTestServer0001');
    expect(withRestricted.account).toMatch(/^fp_[0-9a-f]{16}$/);
    expect(withRestricted.account_fingerprint).toBe(withRestricted.account);
    expect(withSecret.account_fingerprint).toBe(withRestricted.account);
    // A week earlier, from the restricted key: the same account by its fingerprint, so it is used.
    writeSnapshot(join(directory, 'snapshots'), { ...withRestricted, taken_at: withRestricted.taken_at - 7 * 86_400 });
    const { run, document } = await weekly(directory);
    expect(run.code).toBe(0);
    expect(document.account).toEqual({ id: 'acct_1KpiTestServer0001', livemode: false });
    expect(document.ignored_snapshots).toEqual([]);
    expect(document.weeks.map((week: { basis: string }) => week.basis)).toEqual(['missing', 'snapshot', 'snapshot']);
  });

  it('leaves out snapshots of another account or mode, says how many, and --account picks another', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-accounts-'));
    const snapshots = join(directory, 'snapshots');
    const file = readSnapshot((await runKpi(['snapshot', '--data-dir', directory], { env: { STRIPE_API_KEY: SECRET_KEY, STRIPE_API_BASE: server.url } })).stdout.trim());
    const week = 7 * 86_400;
    // Last week: only a live-mode snapshot and one of another account. Two weeks ago: ours.
    writeSnapshot(snapshots, { ...file, taken_at: file.taken_at - week, livemode: true });
    writeSnapshot(snapshots, { ...file, taken_at: file.taken_at - week + 60, account: 'acct_1Foreign', account_fingerprint: 'fp_00000000000000ff', subscriptions: file.subscriptions.slice(0, 2) });
    writeSnapshot(snapshots, { ...file, taken_at: file.taken_at - 2 * week });
    const { run, document } = await weekly(directory);
    expect(run.code).toBe(0);
    // Without the filter, last week would be the foreign account's 2 subscriptions: a collapse, then a jump.
    expect(document.weeks.map((row: { basis: string }) => row.basis)).toEqual(['snapshot', 'missing', 'snapshot']);
    expect(document.ignored_snapshots.map((ignored: { reason: string; account: string; livemode: boolean }) => [ignored.reason, ignored.account, ignored.livemode])).toEqual([
      ['other_mode', 'acct_1KpiTestServer0001', true],
      ['other_account', 'acct_1Foreign', false],
    ]);
    expect(run.stderr).toContain('kpi: note: history of acct_1KpiTestServer0001 (test mode): ignored 2 snapshots (1 of another account, 1 of live mode); choose the account with --account');

    const movements = await runKpi(['mrr', '--from', new Date((file.taken_at - 2 * week) * 1000).toISOString(), '--data-dir', directory, '--format', 'json']);
    expect(movements.code).toBe(0);
    const moved = JSON.parse(movements.stdout);
    // Same account, same data at both ends: nothing moved, nobody churned.
    expect(moved.ignored_snapshots).toHaveLength(2);
    expect(moved.totals[0].movements.churn).toEqual({ mrr: 0, customers: 0, subscriptions: 0 });
    expect(moved.totals[0].change).toBe(0);

    const foreign = await weekly(directory, ['--account', 'acct_1Foreign']);
    expect(foreign.run.code).toBe(0);
    // Its only snapshot is last week's: the series ends there, as it does without a snapshot this week.
    expect(foreign.document.weeks.map((row: { basis: string }) => row.basis)).toEqual(['missing', 'missing', 'snapshot']);
    expect(foreign.document.ignored_snapshots).toHaveLength(3);

    const unknown = await weekly(directory, ['--account', 'acct_1Nobody']);
    expect(unknown.run.code).toBe(2);
    expect(unknown.run.stdout).toBe('');
    expect(unknown.run.stderr).toContain('--account acct_1Nobody: no snapshot of that account');
    expect(unknown.run.stderr).toContain('acct_1Foreign (test mode)');
  });

  it('kpi report grows ARR only from last week\'s snapshot of the same account', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-report-accounts-'));
    const env = { STRIPE_API_KEY: SECRET_KEY, STRIPE_API_BASE: server.url };
    const file = readSnapshot((await runKpi(['snapshot', '--data-dir', directory], { env })).stdout.trim());
    writeSnapshot(join(directory, 'snapshots'), { ...file, taken_at: file.taken_at - 7 * 86_400, account: 'acct_1Foreign', account_fingerprint: 'fp_00000000000000ff' });
    const run = await runKpi(['report', '--data-dir', directory, '--format', 'json'], { env, cwd: directory });
    expect(run.code).toBe(0);
    const arr = JSON.parse(run.stdout).kpis.find((kpi: { id: string }) => kpi.id === 'arr');
    // Last week's only snapshot is another account's: no target to grow from, rather than a wrong one.
    expect(arr.target).toBeNull();
    expect(arr.reason).toContain('no snapshot from last week');
    expect(run.stderr).toContain('ignored 1 snapshot (1 of another account)');
  });

  it('orders snapshots by the time inside them and reports a file renamed to another time', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-renamed-'));
    const snapshots = join(directory, 'snapshots');
    const file = readSnapshot((await runKpi(['snapshot', '--data-dir', directory], { env: live() })).stdout.trim());
    const weekAgo = writeSnapshot(snapshots, { ...file, taken_at: file.taken_at - 14 * 86_400 });
    // A copy of the two-week-old snapshot, renamed to seven days ago: it is still two weeks old.
    const stamp = new Date((file.taken_at - 7 * 86_400) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    const renamed = join(snapshots, `snapshot-${stamp}-0badc0de.json.gz`);
    copyFileSync(weekAgo, renamed);
    const { run, document } = await weekly(directory);
    expect(run.code).toBe(0);
    expect(document.weeks.map((row: { basis: string }) => row.basis)).toEqual(['snapshot', 'missing', 'snapshot']);
    expect(document.misnamed_snapshots).toEqual([
      { path: renamed, named_at: new Date((file.taken_at - 7 * 86_400) * 1000).toISOString(), taken_at: new Date((file.taken_at - 14 * 86_400) * 1000).toISOString() },
    ]);
    expect(run.stderr).toContain(`kpi: warning: snapshot ${renamed} is named for`);
  });
});

describe('kpi mrr --from --to', () => {
  it('splits the demo change into movements that add up exactly, win-backs as reactivation', async () => {
    const run = await runKpi(['mrr', '--demo', '--from', '2026-10-12', '--to', '2026-11-16', '--format', 'json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.kind).toBe('mrr_movements');
    for (const line of [...document.tiers, ...document.totals]) {
      const parts = Object.values(line.movements as Record<string, { mrr: number }>).reduce((sum, part) => sum + part.mrr, 0);
      expect(parts).toBe(line.end_mrr - line.start_mrr);
    }
    const usd = document.totals.find((line: { currency: string }) => line.currency === 'usd');
    // The three demo customers who left in late September and came back in October.
    expect(usd.movements.reactivation.customers).toBe(3);
    expect(usd.movements.new.mrr).toBeGreaterThan(0);
    expect(usd.movements.churn.mrr).toBeLessThan(0);
    // Each tier's end is rounded on its own: the tiers add up to the total within half a cent each.
    // Self-service tiers only: the Enterprise group (ARR only) has its own line, outside the totals.
    const tiersUsd = document.tiers.filter((line: { currency: string; group: string }) => line.currency === 'usd' && line.group === 'self-service');
    expect(document.tiers.filter((line: { group: string }) => line.group === 'other-recurring').map((line: { tier: string }) => line.tier)).toEqual(['Enterprise']);
    const tierSum = tiersUsd.reduce((sum: number, line: { end_mrr: number }) => sum + line.end_mrr, 0);
    expect(Math.abs(tierSum - usd.end_mrr)).toBeLessThanOrEqual(tiersUsd.length / 2);
    // The demo's end figure is the --demo MRR: 120,041.68 USD.
    expect(usd.end_mrr).toBe(12_004_168);
  });

  it('refuses dates without snapshots', async () => {
    const run = await runKpi(['mrr', '--demo', '--from', '2025-01-01', '--to', '2026-11-16']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no snapshot at or before --from 2025-01-01T23:59:59.999Z');
    expect(run.stderr).toContain('The oldest one there was taken 2026-09-14T00:00:00.000Z');
  });
});
