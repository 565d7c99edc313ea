import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { selectHistory, type HistoryEntry } from '../../src/history/snapshot-selection.js';
import { accountFingerprint } from '../../src/snapshots/snapshot-format.js';
import { inflateLimit, listHistory, readSnapshot, writeSnapshot } from '../../src/snapshots/snapshot-store.js';

const MiB = 1024 * 1024;

describe('reading a snapshot: bounds', () => {
  it('refuses a gzip bomb once it inflates past the limit, with the file named', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kpi-bomb-')), 'snapshot-20261116T000000Z-00000000.json.gz');
    // 80 MiB of zeros compress to about 80 KB: the limit for that size is the 64 MiB floor.
    const bomb = gzipSync(Buffer.alloc(80 * MiB));
    expect(bomb.length).toBeLessThan(MiB);
    writeFileSync(path, bomb);
    expect(() => readSnapshot(path)).toThrow(`snapshot ${path} inflates to more than 64 MiB`);
  });

  it('allows real snapshots their size: 50 x the gzip, between 64 and 512 MiB', () => {
    expect(inflateLimit(80_000)).toBe(64 * MiB);
    // 100,000 subscriptions: ~11 MB of gzip, ~110 MB of JSON; 50 x 11 MB = 550 MB, capped at 512 MiB.
    expect(inflateLimit(11_000_000)).toBe(512 * MiB);
    expect(inflateLimit(2 * MiB)).toBe(100 * MiB);
  });
});

describe('choosing the snapshots of one account', () => {
  const entry = (path: string, takenAt: number, account: string | null, fingerprint: string | null, livemode = true): HistoryEntry => ({ path, takenAt, namedAt: takenAt, livemode, account, fingerprint });

  it('recognises an old snapshot without an account by its fingerprint, and leaves out other accounts and modes', () => {
    const selection = selectHistory([
      entry('new', 300, 'acct_A', 'fp_a'),
      entry('old', 100, null, 'fp_a'), // written before kpi recorded accounts
      entry('restricted', 200, 'fp_a', 'fp_a'),
      entry('foreign', 250, 'acct_B', 'fp_b'),
      entry('test-mode', 260, 'acct_A', 'fp_a_test', false),
    ]);
    expect(selection.snapshots.map((snapshot) => snapshot.path)).toEqual(['old', 'restricted', 'new']);
    expect(selection.ignored.map((ignored) => [ignored.entry.path, ignored.reason])).toEqual([
      ['foreign', 'other-account'],
      // The same Stripe id decides: the account's own test mode (its prices, so its fingerprint, differ).
      ['test-mode', 'other-mode'],
    ]);
  });

  it('tells a test-mode snapshot of the same account by its mode', () => {
    const selection = selectHistory([entry('live', 300, 'acct_A', 'fp_a'), entry('test', 200, 'acct_A', 'fp_a', false)]);
    expect(selection.ignored.map((ignored) => ignored.reason)).toEqual(['other-mode']);
  });

  it('orders by taken_at, not by name, and reports a name that disagrees', () => {
    const renamed = { ...entry('b-renamed', 100, 'acct_A', 'fp_a'), namedAt: 500 };
    const selection = selectHistory([entry('a', 200, 'acct_A', 'fp_a'), renamed]);
    expect(selection.snapshots.map((snapshot) => snapshot.path)).toEqual(['b-renamed', 'a']);
    expect(selection.misnamed).toEqual([renamed]);
  });
});

describe('listing the history of a folder', () => {
  it('reads new snapshots by their header and old ones (no account) whole, recognised by their prices', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-headers-'));
    const demo = readSnapshot(listHistory('fixtures/demo-snapshots').at(-1)!.path);
    const { account: _account, account_fingerprint: _fingerprint, ...old } = demo;
    writeSnapshot(directory, { ...old, taken_at: demo.taken_at - 7 * 86_400 });
    writeSnapshot(directory, demo);
    const [older, newer] = listHistory(directory);
    expect(older).toMatchObject({ takenAt: demo.taken_at - 7 * 86_400, account: null, fingerprint: accountFingerprint(demo.prices), livemode: false });
    expect(newer).toMatchObject({ takenAt: demo.taken_at, account: demo.account, fingerprint: demo.account_fingerprint });
    expect(newer!.fingerprint).toMatch(/^fp_[0-9a-f]{16}$/);
    expect(selectHistory([older!, newer!]).snapshots).toHaveLength(2);
  });
});
