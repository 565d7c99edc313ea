/**
 * `npm run docs`: the README's pictures of the demo's HTML report, at a laptop's and a
 * phone's width. The demo is frozen in time, so the same code draws the same pictures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runKpi } from '../test/support/run-kpi.js';
import { launchChromium } from '../test/support/browser.js';

const VIEWS = [
  // The whole page at a laptop's width; the first screen on a phone.
  { file: 'docs/report-demo.png', width: 1280, height: 800, fullPage: true },
  { file: 'docs/report-demo-phone.png', width: 390, height: 844, fullPage: false },
] as const;

const work = mkdtempSync(join(tmpdir(), 'kpi-docs-'));
try {
  const page = join(work, 'report.html');
  // An empty data directory: no report history of this machine's makes it into the picture.
  const run = await runKpi(['report', '--demo', '--format', 'html', '-o', page, '--okrs', 'fixtures/demo/okrs.yaml'], { env: { KPI_DATA_DIR: work } });
  if (run.code !== 0) throw new Error(`kpi report failed (${run.code}): ${run.stderr}`);
  const browser = await launchChromium();
  try {
    for (const view of VIEWS) {
      const context = await browser.newContext({ viewport: { width: view.width, height: view.height }, colorScheme: 'light', deviceScaleFactor: 1 });
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(page).href);
      await tab.screenshot({ path: view.file, fullPage: view.fullPage });
      await context.close();
      console.log(`wrote ${view.file}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
