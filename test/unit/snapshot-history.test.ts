import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateLimit, readSnapshot } from '../../src/snapshots/snapshot-store.js';

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
