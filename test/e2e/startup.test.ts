import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KPI_BIN } from '../support/run-kpi.js';

const LOADER = fileURLToPath(new URL('../../dist/cli/load-bundle.cjs', import.meta.url));

interface Coverage {
  result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }>;
}

/**
 * What a kpi run executes, by V8's coverage: the bundle wraps each module in a function
 * named after it (package-relative, e.g. dist/cli/commands/report.js) that runs on the
 * module's first import. `bundled` lists every module in the bundle, `ran` those whose
 * code ran, `scripts` the files loaded outside it (the Stripe SDK would be one).
 */
function executedBy(args: string[]): { bundled: string[]; ran: string[]; scripts: string[] } {
  const directory = mkdtempSync(join(tmpdir(), 'kpi-coverage-'));
  try {
    const result = spawnSync(process.execPath, [KPI_BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NODE_V8_COVERAGE: directory } });
    expect(result.status).toBe(0);
    const scripts = readdirSync(directory).flatMap((name) => (JSON.parse(readFileSync(join(directory, name), 'utf8')) as Coverage).result);
    const bundle = scripts.find((script) => script.url.endsWith('/dist/kpi.cjs'));
    expect(bundle).toBeDefined();
    const modules = bundle!.functions
      .filter((fn) => /(^|\/)(dist|node_modules)\/.*\.[cm]?js$/.test(fn.functionName))
      .map((fn) => ({ name: fn.functionName.replace(/^.*?(?=(dist|node_modules)\/)/, ''), ran: fn.ranges[0]!.count > 0 }));
    return {
      bundled: modules.map((module) => module.name),
      ran: modules.filter((module) => module.ran).map((module) => module.name),
      scripts: scripts.map((script) => script.url).filter((url) => url.startsWith('file:')).map((url) => url.replace(/^file:\/\/.*?\/(bin|dist|node_modules)\//, '$1/')),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('start-up runs what the command needs', () => {
  it('kpi mrr --demo runs neither the Stripe SDK nor the other commands, their renderers or the history paths', () => {
    const { bundled, ran, scripts } = executedBy(['mrr', '--demo', '--format', 'json']);
    expect(ran).toContain('dist/cli/commands/revenue.js');
    const unneeded = /^node_modules\/stripe\/|^dist\/cli\/commands\/(report|okr|reconcile|metrics|snapshot|init|config|completion|help-topics|revenue-history)\.js$|^dist\/render\/html\/|^dist\/snapshots\/take-snapshot\.js$|^dist\/scoreboard\/sources\/hubspot\/hubspot-source/;
    // Each of those is in the bundle as a module of its own: had it become part of start-up, it would not be.
    for (const module of ['dist/cli/commands/report.js', 'dist/cli/commands/revenue-history.js', 'dist/render/html/page.js', 'dist/snapshots/take-snapshot.js']) {
      expect(bundled).toContain(module);
    }
    expect(ran.filter((module) => unneeded.test(module))).toEqual([]);
    expect(scripts.filter((script) => !/^bin\/kpi\.js$|^dist\/cli\/load-bundle\.cjs$|^dist\/kpi\.cjs$/.test(script))).toEqual([]);
  });

  it("the bundle runs with the build's code cache", () => {
    const result = spawnSync(process.execPath, ['--eval', `process.stdout.write(require(${JSON.stringify(LOADER)}).loadBundle().codeCache);`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('used');
  });

  it('kpi --help still lists every command (it loads them all)', () => {
    const help = spawnSync(process.execPath, [KPI_BIN, '--help'], { encoding: 'utf8' });
    for (const name of ['mrr', 'arr', 'metrics', 'report', 'okr', 'reconcile', 'init', 'config', 'completion', 'help', 'snapshot']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });
});
