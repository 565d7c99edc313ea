import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OKR_FILE } from '../../src/package-root.js';
import { launchChromium } from '../support/browser.js';
import { runKpi } from '../support/run-kpi.js';

/**
 * Every piece of text on the demo report (status words, score bands, notes, chart labels)
 * against the background it sits on, in each colour scheme on screen and on paper: at least
 * 4.5:1, WCAG's AA for body text. Run `npm run build` first.
 */

let work: string;
let file: string;
let browser: Browser | null = null;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kpi-contrast-'));
  file = join(work, 'report.html');
  const run = await runKpi(['report', '--demo', '--okrs', DEMO_OKR_FILE, '--format', 'html', '-o', file], { env: { KPI_DATA_DIR: join(work, 'data') } });
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs in the page: the text colour of each element with text of its own, its background, and their contrast ratio. */
function lowContrastTexts(): Array<{ element: string; ratio: number }> {
  type Rgb = [number, number, number];
  // The page's own globals: this project compiles without the DOM's types.
  const page = globalThis as unknown as {
    document: { querySelectorAll(selector: string): Iterable<PageElement> };
    getComputedStyle(element: PageElement): { color: string; fill: string; backgroundColor: string; display: string; visibility: string };
  };
  interface PageElement {
    tagName: string;
    className: unknown;
    parentElement: PageElement | null;
    childNodes: Iterable<{ nodeType: number; textContent: string | null }>;
    closest(selector: string): PageElement | null;
  }
  const rgba = (text: string): [number, number, number, number] | null => {
    const match = /rgba?\(([^)]+)\)/.exec(text);
    if (!match) return null;
    const parts = match[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
  };
  const luminance = (colour: Rgb) => {
    const [r, g, b] = colour.map((value) => (value / 255 <= 0.03928 ? value / 255 / 12.92 : ((value / 255 + 0.055) / 1.055) ** 2.4)) as Rgb;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element: PageElement | null): Rgb => {
    for (let at = element; at; at = at.parentElement) {
      const colour = rgba(page.getComputedStyle(at).backgroundColor);
      if (colour && colour[3] > 0) return [colour[0], colour[1], colour[2]];
    }
    return [255, 255, 255];
  };
  const found: Array<{ element: string; ratio: number }> = [];
  for (const element of page.document.querySelectorAll('body *')) {
    // A <title> inside an SVG is its accessible name, never drawn.
    if (element.tagName.toLowerCase() === 'title') continue;
    if (![...element.childNodes].some((node) => node.nodeType === 3 && (node.textContent ?? '').trim() !== '')) continue;
    const style = page.getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const inSvg = element.closest('svg') !== null;
    const text = rgba(inSvg ? style.fill : style.color);
    if (!text) continue;
    const [light, dark] = [luminance([text[0], text[1], text[2]]), luminance(background(inSvg ? element.closest('svg') : element))].sort((a, b) => b - a) as [number, number];
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < 4.5) found.push({ element: `${element.tagName}.${String(element.className)}`, ratio: Math.round(ratio * 100) / 100 });
  }
  return found;
}

describe('kpi report --demo --format html: contrast', { timeout: 120_000 }, () => {
  it.each([
    { colorScheme: 'light', media: 'screen' },
    { colorScheme: 'dark', media: 'screen' },
    { colorScheme: 'light', media: 'print' },
    // Printed from a laptop in dark mode: the paper is white, so the colours must be the light ones.
    { colorScheme: 'dark', media: 'print' },
  ] as const)('every text is at least 4.5:1 against its background ($colorScheme, $media)', async ({ colorScheme, media }) => {
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.emulateMedia({ media, colorScheme });
      expect(await page.evaluate(lowContrastTexts)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
