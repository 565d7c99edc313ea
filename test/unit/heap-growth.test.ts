import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlags } from '../../src/runtime/heap-growth.js';

const GIB = 1024 ** 3;
const BOTH = ['--semi-space-growth-factor=1', '--heap-growing-percent=200'];

describe('heap growth during long reads', () => {
  it('sets both flags where V8 would let the old generation grow fourfold', () => {
    expect(heapGrowthFlags([], undefined, 4 * GIB)).toEqual(BOTH);
    expect(heapGrowthFlags(['--enable-source-maps'], '--no-warnings', 3 * GIB)).toEqual(BOTH);
    // Under 2 GB of old generation (the limit counts 48 MB of young generation too) V8
    // grows it by 1.3 to 2 at most: three times would be more.
    expect(heapGrowthFlags([], undefined, 2 * GIB + 48 * 1024 ** 2)).toEqual(BOTH);
    expect(heapGrowthFlags([], undefined, 2 * GIB + 48 * 1024 ** 2 - 1)).toEqual(['--semi-space-growth-factor=1']);
    // --max-old-space-size=2000 gives a limit of exactly 2048 MiB: an old generation under 2 GB.
    expect(heapGrowthFlags([], undefined, 2 * GIB)).toEqual(['--semi-space-growth-factor=1']);
  });

  it('sets none on a V8 whose flags were not checked (an unknown flag would print on every run)', () => {
    expect(heapGrowthFlags([], undefined, 4 * GIB, '11.3.244.8-node.38')).toEqual(BOTH);
    expect(heapGrowthFlags([], undefined, 4 * GIB, '13.6.233.10-node.28')).toEqual(BOTH);
    expect(heapGrowthFlags([], undefined, 4 * GIB, '14.1.0')).toEqual([]);
    expect(heapGrowthFlags([], undefined, 4 * GIB, '10.2.154.26-node.26')).toEqual([]);
  });

  it("leaves each part of the heap to a setting someone gave node for it, and only that part", () => {
    expect(heapGrowthFlags(['--max-old-space-size=4096'], undefined, 4 * GIB)).toEqual(['--semi-space-growth-factor=1']);
    expect(heapGrowthFlags([], '--no-warnings --max-old-space-size=4096', 4 * GIB)).toEqual(['--semi-space-growth-factor=1']);
    expect(heapGrowthFlags(['--optimize-for-size'], undefined, 4 * GIB)).toEqual(['--semi-space-growth-factor=1']);
    expect(heapGrowthFlags(['--initial-old-space-size=64'], undefined, 4 * GIB)).toEqual(['--semi-space-growth-factor=1']);
    expect(heapGrowthFlags(['--max-semi-space-size=8'], undefined, 4 * GIB)).toEqual(['--heap-growing-percent=200']);
    expect(heapGrowthFlags([], ' --max-semi-space-size=8  --max-old-space-size=512 ', 4 * GIB)).toEqual([]);
    // V8 takes underscores for dashes.
    expect(heapGrowthFlags(['--max_semi_space_size=8', '--max_old_space_size=900'], undefined, 4 * GIB)).toEqual([]);
    // A flag's name inside another argument is not the flag.
    expect(heapGrowthFlags(['--require', '/opt/x--max-heap-size-guard.cjs'], '--import=./--max-old-space-size.mjs', 4 * GIB)).toEqual(BOTH);
  });

  it('keeps the young generation from growing once set, where it grows without (this Node version)', () => {
    // Objects that live a little while (a window of 20,000) make V8 grow the young
    // generation under churn; new_space's size is both semispaces.
    const script = (flags: string[]) =>
      `const v8 = require('node:v8'); for (const flag of ${JSON.stringify(flags)}) v8.setFlagsFromString(flag);` +
      `const window = new Array(2e4); for (let i = 0; i < 3e6; i++) window[i % 2e4] = { i, s: 'x' + i };` +
      `const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');` +
      `process.stdout.write(String(space.space_size));`;
    const run = (flags: string[]) => {
      const result = spawnSync(process.execPath, ['-e', script(flags)], { encoding: 'utf8' });
      // An unknown flag is no exception: V8 prints "Error: unrecognized flag" on stderr.
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return Number(result.stdout) / 1024 ** 2;
    };
    const MB_AT_START = 2; // V8 starts with two semispaces of 1 MB
    // Without the flag it grows to its limit here (two of 16 MB).
    expect(run([])).toBeGreaterThan(4 * MB_AT_START);
    expect(run(['--semi-space-growth-factor=1'])).toBeLessThanOrEqual(MB_AT_START);
    // Both flags are known to this V8: setting them prints nothing.
    expect(run(BOTH)).toBeLessThanOrEqual(MB_AT_START);
    // The stderr check above sees an unknown flag: this one prints.
    const unknown = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--no-such-heap-flag=1')`], { encoding: 'utf8' });
    expect(unknown.stderr).toMatch(/unrecognized flag/);
  });
});
