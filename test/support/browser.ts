import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package puts it here; KPI_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.KPI_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The system's Chromium, headless, with everything that phones home switched off. A missing
 * browser is a failure that says how to install it, never a skipped test.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}. Install it (Debian: apt-get install chromium fonts-dejavu-core) or point KPI_CHROMIUM at a Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
