import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWTH_FLAGS, heapGrowthFlags } from '../../src/runtime/heap-growth.js';

describe('heap growth during long reads', () => {
  it('sets both flags unless node was given heap settings of its own', () => {
    expect(heapGrowthFlags([], undefined)).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=200']);
    expect(heapGrowthFlags(['--enable-source-maps'], '--no-warnings')).toEqual(HEAP_GROWTH_FLAGS);
    expect(heapGrowthFlags(['--max-old-space-size=4096'], undefined)).toEqual([]);
    expect(heapGrowthFlags([], '--no-warnings --max-semi-space-size=8')).toEqual([]);
    // V8 takes underscores for dashes.
    expect(heapGrowthFlags(['--max_semi_space_size=8'], undefined)).toEqual([]);
    expect(heapGrowthFlags([], '--heap-growing-percent=50')).toEqual([]);
  });

  it('names flags this Node version knows: setting them prints nothing and the process goes on', () => {
    // An unknown flag is not an exception: V8 prints "Error: unrecognized flag" on stderr.
    const script = `const v8 = require('node:v8'); for (const flag of ${JSON.stringify(HEAP_GROWTH_FLAGS)}) v8.setFlagsFromString(flag); const a = []; for (let i = 0; i < 2e5; i++) a.push({ i }); process.stdout.write(String(a.length));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('200000');
    expect(result.status).toBe(0);
    // The check above would pass for a flag it cannot see: one that is unknown does print.
    const unknown = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('--no-such-heap-flag=1')`], { encoding: 'utf8' });
    expect(unknown.stderr).toMatch(/unrecognized flag/);
  });
});
