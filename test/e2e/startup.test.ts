import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KPI_BIN } from '../support/run-kpi.js';

const RECORDER = fileURLToPath(new URL('../support/record-module-loads.mjs', import.meta.url));
/** Which compiled modules and dependencies each bundled file holds (written by the build). */
const BUNDLE: Record<string, string[]> = JSON.parse(readFileSync(new URL('../../dist/kpi-bundle.json', import.meta.url), 'utf8'));

/** The files (package-relative) a kpi run loads: what start-up costs is mostly loading them. */
function filesLoadedBy(args: string[]): string[] {
  const result = spawnSync(process.execPath, ['--import', RECORDER, KPI_BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(result.status).toBe(0);
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('module-loaded '))
    .map((line) => line.replace(/^module-loaded file:\/\/.*?\/(dist|node_modules|bin)\//, '$1/'));
}

/** The compiled modules and dependencies in what a run loads, the bundled files opened up. */
function modulesLoadedBy(args: string[]): string[] {
  return filesLoadedBy(args).flatMap((file) => {
    const chunk = /^dist\/(kpi[^/]*\.js)$/.exec(file)?.[1];
    return chunk ? BUNDLE[chunk] ?? [`${file} (not in dist/kpi-bundle.json)`] : [file];
  });
}

describe('start-up loads what the command needs', () => {
  it('kpi mrr --demo loads neither the Stripe SDK nor the other commands, their renderers or the history paths', () => {
    const loaded = modulesLoadedBy(['mrr', '--demo', '--format', 'json']);
    expect(loaded).toContain('dist/cli/commands/revenue.js');
    const unneeded = loaded.filter((module) =>
      /^node_modules\/stripe\/|^dist\/cli\/commands\/(report|okr|reconcile|metrics|snapshot|init|config|completion|help-topics|revenue-history)\.js$|^dist\/render\/html\/|^dist\/snapshots\/take-snapshot\.js$|^dist\/scoreboard\/sources\/hubspot\/hubspot-source/.test(module),
    );
    expect(unneeded).toEqual([]);
  });

  it('kpi runs from the bundle: no compiled module or dependency is loaded file by file', () => {
    const files = filesLoadedBy(['mrr', '--demo', '--format', 'json']);
    expect(files.filter((file) => !/^bin\/kpi\.js$|^dist\/kpi(-[A-Z0-9]+)?\.js$/.test(file))).toEqual([]);
  });

  it('kpi --help still lists every command (it loads them all)', () => {
    const help = spawnSync(process.execPath, [KPI_BIN, '--help'], { encoding: 'utf8' });
    for (const name of ['mrr', 'arr', 'metrics', 'report', 'okr', 'reconcile', 'init', 'config', 'completion', 'help', 'snapshot']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });
});
