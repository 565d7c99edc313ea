import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_FILE, DEMO_OKR_FILE } from '../../src/package-root.js';
import { launchChromium } from '../support/browser.js';
import { runKpi } from '../support/run-kpi.js';

/**
 * The HTML pages as a reader gets them: written by the built binary, opened from disk in
 * a real headless Chromium (run `npm run build` first, like the e2e tests).
 */

let work: string;
/** Launched by the first test that opens a page: without Chromium every such test fails, saying why, none is skipped. */
let browser: Promise<Browser> | null = null;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kpi-browser-'));
});

afterAll(async () => {
  await browser?.then((launched) => launched.close(), () => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A run of kpi with an empty data directory, so no history of this machine's gets in. */
async function kpi(args: string[], expectedCode = 0): Promise<string> {
  const run = await runKpi(args, { env: { KPI_DATA_DIR: join(work, 'data') } });
  expect(run.code, run.stderr).toBe(expectedCode);
  return run.stdout;
}

async function htmlFile(name: string, args: string[], expectedCode = 0): Promise<string> {
  const file = join(work, name);
  await kpi([...args, '--format', 'html', '-o', file], expectedCode);
  return file;
}

interface Opened {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  close(): Promise<void>;
}

/** Opens a file with every console error and every request recorded (none may leave the page). */
async function open(file: string, viewport = { width: 1280, height: 800 }): Promise<Opened> {
  const context = await (await (browser ??= launchChromium())).newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, consoleErrors, requests, close: () => context.close() };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How the pages write minor units: grouped, two decimals, the code in capitals (both demo currencies have 2). */
const money = (minor: number, currency: string) => `${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency.toUpperCase()}`;
const signed = (minor: number, currency: string) => `${minor > 0 ? '+' : ''}${money(minor, currency)}`;

async function cellTexts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

interface WeeklyJson {
  target_growth_percent: number;
  weeks: Array<{ week_start: string; currency: string | null; arr: number | null; arr_by_currency: Record<string, number> | null }>;
}

/** What each currency's chart must show, worked out from the JSON of the same command. */
function expectedWeekly(json: WeeklyJson): Map<string, Array<number | null>> {
  const series = new Map<string, Array<number | null>>();
  const currencies = new Set(json.weeks.flatMap((week) => (week.currency ? [week.currency] : Object.keys(week.arr_by_currency ?? {}))));
  for (const currency of [...currencies].sort()) {
    series.set(currency, json.weeks.map((week) => (week.currency === currency ? week.arr : week.currency === null ? (week.arr_by_currency?.[currency] ?? null) : null)));
  }
  return series;
}

async function checkWeeklyCharts(page: Page, json: WeeklyJson): Promise<void> {
  const expected = expectedWeekly(json);
  expect(await page.locator('figure.weekly-arr').count()).toBe(expected.size);
  for (const [currency, values] of expected) {
    const figure = `figure.weekly-arr[data-currency="${currency}"]`;
    // One bar per week with a figure, a target point per week from the first figure on.
    expect(await page.locator(`${figure} svg rect.bar`).count()).toBe(values.filter((value) => value !== null).length);
    const first = values.findIndex((value) => value !== null);
    expect(await page.locator(`${figure} svg circle.target-point`).count()).toBe(values.length - first);
    expect(await page.locator(`${figure} svg[role="img"] title`).count()).toBe(1);
    // The text alternative states each week's ARR as the JSON has it.
    expect(await cellTexts(page, `${figure} td.arr`)).toEqual(values.map((value) => (value === null ? '–' : money(value, currency))));
  }
}

describe('kpi arr --demo --weekly --format html', { timeout: 120_000 }, () => {
  it.each([
    // The demo's config converts EUR and USD to USD at ECB rates: one chart, in USD, 8 weeks.
    { config: 'the demo config (ECB rates)', yaml: null, currencies: ['usd'] },
    // Without a reporting currency: a chart for EUR and one for USD, 8 weeks each.
    { config: 'a config without reporting', yaml: 'version: 1\n', currencies: ['eur', 'usd'] },
  ])('with $config: loads with no console error and no request, draws a bar per week and states every figure', async ({ yaml, currencies }) => {
    const configArgs: string[] = [];
    if (yaml !== null) {
      const config = join(work, 'no-reporting.yaml');
      writeFileSync(config, yaml);
      configArgs.push('--config', config);
    }
    const file = await htmlFile(`arr-${currencies.join('-')}.html`, ['arr', '--demo', '--weekly', ...configArgs]);
    const json = JSON.parse(await kpi(['arr', '--demo', '--weekly', ...configArgs, '--format', 'json'])) as WeeklyJson;
    expect([...expectedWeekly(json).keys()]).toEqual(currencies);
    expect(json.weeks).toHaveLength(8);
    const opened = await open(file);
    try {
      await checkWeeklyCharts(opened.page, json);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await opened.close();
    }
  });
});

describe('kpi okr status --demo --format html', { timeout: 120_000 }, () => {
  it('shows each objective and key result with its score and band as in the JSON', async () => {
    const file = await htmlFile('okrs.html', ['okr', 'status', '--demo']);
    const json = JSON.parse(await kpi(['okr', 'status', '--demo', '--format', 'json'])) as {
      objectives: Array<{ score: number | null; band: string | null; key_results: Array<{ score: number | null; band: string | null }> }>;
    };
    const opened = await open(file);
    try {
      const expected = json.objectives.flatMap((objective) => [objective, ...objective.key_results]).map((item) => (item.score === null ? 'n/a' : `${item.score.toFixed(2)}`) + (item.band ? ` (${item.band})` : ''));
      const shown = (await cellTexts(opened.page, 'td.score')).map((text) => text.replace(' (incomplete)', ''));
      expect(shown).toEqual(expected);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await opened.close();
    }
  });
});

describe('kpi report --demo --format html', { timeout: 120_000 }, () => {
  let file: string;
  beforeAll(async () => {
    file = await htmlFile('report.html', ['report', '--demo', '--okrs', DEMO_OKR_FILE]);
  }, 120_000);

  it('puts the off-track KPIs first, draws the weekly ARR, the movements and the OKRs, with no console error or request', async () => {
    const report = JSON.parse(await kpi(['report', '--demo', '--format', 'json'])) as { kpis: Array<{ name: string; status: string }> };
    // The report's ARR chart is `kpi arr --weekly` under the demo company's config (one reporting currency).
    const weekly = JSON.parse(await kpi(['arr', '--demo', '--config', DEMO_CONFIG_FILE, '--weekly', '--format', 'json'])) as WeeklyJson;
    // The last period: the newest demo snapshot (2026-11-16) and the one a week before.
    const movements = JSON.parse(await kpi(['mrr', '--demo', '--config', DEMO_CONFIG_FILE, '--from', '2026-11-09', '--to', '2026-11-16', '--format', 'json'])) as {
      converted: { currency: string; fx_adjustment: number; total: { start_mrr: number; end_mrr: number; movements: Record<string, { mrr: number }> } } | null;
    };
    const opened = await open(file);
    try {
      const { page } = opened;
      const offTrack = report.kpis.filter((kpi) => ['red', 'yellow', 'error'].includes(kpi.status)).map((kpi) => kpi.name);
      expect(offTrack.length).toBeGreaterThan(0);
      expect((await cellTexts(page, '#attention td.kpi-name')).sort()).toEqual([...offTrack].sort());
      expect(await cellTexts(page, '#on-track td.kpi-name')).toEqual(report.kpis.filter((kpi) => !offTrack.includes(kpi.name)).map((kpi) => kpi.name));
      // Status in words and symbols, not colour alone.
      expect(await cellTexts(page, '#attention td.status')).toEqual(expect.arrayContaining(['✖ RED', '▲ YELLOW']));

      await checkWeeklyCharts(page, weekly);

      const total = movements.converted!.total;
      const currency = movements.converted!.currency;
      // The two snapshots convert at different ECB days (2026-11-09 00:00 at 2026-11-06's 1.0922,
      // 2026-11-16 00:00 at 2026-11-13's 1.0926): the EUR end amount at the end rate minus at the
      // start rate is 1,672.00 x (1.0926 - 1.0922) = 0.6688 -> +0.67 USD, a step of its own.
      expect(movements.converted!.fx_adjustment).toBe(67);
      // Start, new, reactivation, expansion, contraction, churn, FX, end.
      expect(await page.locator('figure.waterfall svg rect.step').count()).toBe(8);
      expect(await cellTexts(page, 'figure.waterfall td.amount')).toEqual([
        money(total.start_mrr, currency),
        ...['new', 'reactivation', 'expansion', 'contraction', 'churn'].map((kind) => signed(total.movements[kind]!.mrr, currency)),
        '+0.67 USD',
        money(total.end_mrr, currency),
      ]);
      expect(await page.locator('#okrs td.objective').count()).toBe(3);

      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await opened.close();
    }
  });

  it.each([
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ])('takes a screenshot at $width x $height', async (viewport) => {
    const opened = await open(file, viewport);
    try {
      const png = await opened.page.screenshot();
      expect(pngSize(png)).toEqual(viewport);
      // A blank page compresses to a few hundred bytes; text and charts make it kilobytes.
      expect(png.length).toBeGreaterThan(10_000);
      // Nothing sticks out sideways on a phone but the tables meant to scroll.
      const overflow = await opened.page.evaluate(() => {
        // The page's own globals: this project compiles without the DOM's types.
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBe(0);
    } finally {
      await opened.close();
    }
  });
});

describe('a hostile config and OKR file', { timeout: 120_000 }, () => {
  it('shows planted markup as text: nothing runs and no element is made from it', async () => {
    const script = '<script>window.__pwned=1</script>';
    const breakout = '"><img src=x onerror="window.__pwned=1">';
    const config = join(work, 'hostile.yaml');
    // A row the CSV source cannot read makes a note naming the file, planted markup and all.
    const csv = `${breakout}.csv`;
    writeFileSync(join(work, csv), 'id,at\nc-1,2026-11-10\nc-2,not a date\n');
    writeFileSync(
      config,
      [
        'version: 1',
        'report:',
        '  time_zone: UTC',
        '  kpis:',
        `    - { id: planted_script, name: ${JSON.stringify(script)}, unit: count, source: { type: value, value: 3 }, target: 10 }`,
        `    - { id: planted_note, name: rows, unit: count, period: last_week, source: { type: csv, file: ${JSON.stringify(csv)}, date_column: at }, target: 1 }`,
        // A source that fails: its reason names the file, planted markup and all.
        `    - { id: planted_img, name: ${JSON.stringify(breakout)}, unit: count, source: { type: json, location: ${JSON.stringify(`missing${breakout}.json`)}, pointer: /a }, target: 5 }`,
      ].join('\n'),
    );
    const okrs = join(work, 'hostile-okrs.yaml');
    writeFileSync(okrs, ['period: 2026-Q4', 'objectives:', `  - title: ${JSON.stringify(script)}`, `    owner: ${JSON.stringify(breakout)}`, '    type: committed', '    key_results:', `      - { title: ${JSON.stringify(breakout)}, start: 0, target: 10, current: 2 }`].join('\n'));
    // Exit 1: the failing source; the page is still written.
    const file = await htmlFile('hostile.html', ['report', '--config', config, '--okrs', okrs], 1);
    expect(readFileSync(file, 'utf8')).not.toContain('<script');
    const opened = await open(file);
    try {
      const { page } = opened;
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(0);
      expect(await cellTexts(page, 'td.kpi-name')).toEqual(expect.arrayContaining([script, breakout]));
      expect(await cellTexts(page, 'td.objective')).toEqual([script]);
      const text = await page.locator('body').innerText();
      expect(text).toContain(`missing${breakout}.json`);
      expect(text).toContain(`1 row of ${csv} could not be read`);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await opened.close();
    }
  });
});
