import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Kpi = (args: string[]) => SpawnSyncReturns<string>;

/** Every command's help, found by walking the "Commands:" lists from the top. */
function allHelp(kpi: Kpi): string[] {
  const texts: string[] = [];
  const queue: string[][] = [[]];
  while (queue.length > 0) {
    const words = queue.shift() as string[];
    const help = kpi([...words, '--help']).stdout;
    texts.push(help);
    const commands = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
    for (const match of commands.matchAll(/^ {2}([a-z][\w-]*)/gm)) {
      if (match[1] !== 'help') queue.push([...words, match[1] as string]);
    }
  }
  return texts;
}

/**
 * The `kpi ... --demo` commands a user is shown: in the README (prose, code blocks,
 * sample markers) and in every --help. A command ends at two spaces (help examples), a
 * backtick, a quote, a shell operator or a comment.
 */
function demoCommands(texts: string[]): string[][] {
  const found = new Map<string, string[]>();
  for (const text of texts) {
    for (const match of text.matchAll(/\bkpi((?: [^\s`'"|)]+)+)/g)) {
      const words: string[] = [];
      for (const word of (match[1] as string).trim().split(' ')) {
        if (['&&', ';', '>', '|', '-->', '#'].includes(word)) break;
        words.push(word.replace(/[.,:;]$/, ''));
      }
      if (words.includes('--demo')) found.set(words.join(' '), words);
    }
  }
  return [...found.values()];
}

/**
 * What a user gets from `npm pack` then `npm install -g ./kpi-cli-<version>.tgz`: the
 * package with its runtime dependencies only, run from an unrelated directory. Slow
 * (npm installs the dependencies), so it runs once.
 */
describe('the packed package', () => {
  it('installs globally and works from any directory', { timeout: 240_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), 'kpi-pack-'));
    const npm = (args: string[], cwd: string) =>
      execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' } });
    npm(['pack', '--pack-destination', work], ROOT);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball).toMatch(/^kpi-cli-\d+\.\d+\.\d+\.tgz$/);
    const prefix = join(work, 'prefix');
    npm(['install', '--global', '--prefix', prefix, join(work, tarball as string)], work);

    const elsewhere = mkdtempSync(join(tmpdir(), 'kpi-elsewhere-'));
    const kpi = (args: string[]) => spawnSync(join(prefix, 'bin', 'kpi'), args, { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(kpi(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kpi(['--help']).stdout).toContain('Usage: kpi');
    const demo = kpi(['mrr', '--demo', '--format', 'json']);
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout).mrr_by_currency).toEqual({ eur: 167200, usd: 12004168 });

    // Everything the README and the help show with --demo runs from the installed package.
    const shown = demoCommands([readFileSync(join(ROOT, 'README.md'), 'utf8'), ...allHelp(kpi)]);
    const names = shown.map((words) => words.join(' '));
    for (const expected of ['report --demo', 'okr status --demo', 'okr lint --demo', 'config check --demo', 'arr --demo --weekly']) expect(names).toContain(expected);
    for (const words of shown) {
      const run = kpi(words);
      expect({ command: words.join(' '), status: run.status, stderr: run.stderr.includes('kpi: error') ? run.stderr : '' }).toEqual({ command: words.join(' '), status: 0, stderr: '' });
      expect(run.stdout.trim().length, words.join(' ')).toBeGreaterThan(0);
    }
    // Dev dependencies stay out of a user's install.
    const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'kpi-cli', 'node_modules'));
    expect(installed).toContain('stripe');
    expect(installed).not.toContain('vitest');
    expect(installed).not.toContain('typescript');
    // The JSON Schemas ship with it.
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'kpi-cli', 'schemas'))).toContain('kpi_report.schema.json');
  });
});
