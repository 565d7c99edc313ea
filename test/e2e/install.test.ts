import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
    // Dev dependencies stay out of a user's install.
    const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'kpi-cli', 'node_modules'));
    expect(installed).toContain('stripe');
    expect(installed).not.toContain('vitest');
    expect(installed).not.toContain('typescript');
    // The JSON Schemas ship with it.
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'kpi-cli', 'schemas'))).toContain('kpi_report.schema.json');
  });
});
