import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_OKR_FILE } from '../../src/package-root.js';
import { runKpi } from '../support/run-kpi.js';

const work = mkdtempSync(join(tmpdir(), 'kpi-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { KPI_DATA_DIR: work };

describe('--format html', () => {
  it('writes a whole page to stdout for the commands that offer it', async () => {
    for (const args of [['report', '--demo'], ['arr', '--demo', '--weekly'], ['okr', 'status', '--demo']]) {
      const run = await runKpi([...args, '--format', 'html'], { env });
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(run.stdout.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(run.stdout.trimEnd().endsWith('</html>')).toBe(true);
    }
  });

  it('is a usage error where there is no page, naming the flag and what works', async () => {
    const arr = await runKpi(['arr', '--demo', '--format', 'html'], { env });
    expect(arr.code).toBe(2);
    expect(arr.stdout).toBe('');
    expect(arr.stderr).toContain('--format html works with --weekly');
    const mrr = await runKpi(['mrr', '--demo', '--format', 'html'], { env });
    expect(mrr.code).toBe(2);
    expect(mrr.stdout).toBe('');
    expect(mrr.stderr).toMatch(/--format.*html.*invalid|Allowed choices are table, json, csv, tsv/s);
  });

  it('takes --okrs only with --format html, and reads the OKR file before anything else', async () => {
    const okrsElsewhere = await runKpi(['report', '--demo', '--okrs', DEMO_OKR_FILE], { env });
    expect(okrsElsewhere.code).toBe(2);
    expect(okrsElsewhere.stdout).toBe('');
    expect(okrsElsewhere.stderr).toContain('--okrs works with --format html');
    const missing = await runKpi(['report', '--demo', '--format', 'html', '--okrs', join(work, 'nope.yaml')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('nope.yaml');
  });

  it('-o writes the page to the file and nothing to stdout', async () => {
    const file = join(work, 'report.html');
    const run = await runKpi(['report', '--demo', '--format', 'html', '-o', file, '--okrs', DEMO_OKR_FILE], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('id="okrs"');
    expect(page).toContain('class="chart waterfall"');
  });
});

describe("the README's pictures (npm run docs)", () => {
  it('are PNGs of the sizes the script draws', () => {
    const size = (file: string) => {
      const png = readFileSync(new URL(`../../${file}`, import.meta.url));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    };
    // The laptop picture is the whole page, 1280 wide; the phone one its first screen.
    expect(size('docs/report-demo.png').width).toBe(1280);
    expect(size('docs/report-demo-phone.png')).toEqual({ width: 390, height: 844 });
  });
});
