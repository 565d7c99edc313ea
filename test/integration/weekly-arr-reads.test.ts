import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weeklyArr } from '../../src/app/weekly-arr.js';
import { loadConfig } from '../../src/config/load.js';
import type { SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { AS_OF } from '../support/account-builder.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';

const WEEK = 7 * 86_400;
const config = loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'kpi-no-config-')) });

function snapshotAt(takenAt: number): Promise<SnapshotFile> {
  return takeSnapshot(new AccountFileReader({ ...HANDWORKED_ACCOUNT, as_of: takenAt }), { takenAt, source: 'test', livemode: false });
}

describe('weekly ARR with --backfill', () => {
  it('reads the newest snapshot once, though it gives its own week and the reconstructed ones', async () => {
    // Snapshots three weeks apart: the two weeks between them have none and are reconstructed
    // from the newest, which also closes the current week.
    const files = new Map([
      ['old', await snapshotAt(AS_OF - 3 * WEEK)],
      ['new', await snapshotAt(AS_OF)],
    ]);
    const loads: string[] = [];
    const series = await weeklyArr(config, {
      now: new Date(AS_OF * 1000),
      weeks: 4,
      backfill: true,
      snapshots: [...files].map(([path, file]) => ({ path, takenAt: file.taken_at })),
      load: (snapshot) => {
        loads.push(snapshot.path);
        return files.get(snapshot.path)!;
      },
    });
    expect(series.rows.map((row) => row.basis)).toEqual(['snapshot', 'reconstructed', 'reconstructed', 'snapshot']);
    expect(loads.sort()).toEqual(['new', 'old']);
  });
});
