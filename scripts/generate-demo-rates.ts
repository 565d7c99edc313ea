/**
 * Writes the demo's euro reference rates, fixtures/demo/ecb-rates.xml, deterministically:
 *
 *   npx tsx scripts/generate-demo-rates.ts
 *
 * Every business day (Monday to Friday; there is no TARGET holiday in the span) from
 * 2026-09-01 to 2026-11-30, in the shape of ECB's eurofxref-hist.xml. The values are
 * ILLUSTRATIVE, not rates the European Central Bank published: each currency drifts from a
 * plausible start to a plausible end with a weekly swing and a little daily noise, so that
 * conversions in the demo move between weeks. Integer arithmetic only, so every machine
 * writes the same bytes.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addDays, daysBetween, type EcbDay } from '../src/rates/ecb-day.js';
import { formatEcbXml } from '../src/rates/ecb-xml.js';

export const DEMO_RATES_FIRST = '2026-09-01';
export const DEMO_RATES_LAST = '2026-11-30';
export const DEMO_RATES_COMMENT =
  'Illustrative euro reference rates for the kpi demo, 2026-09-01 to 2026-11-30, in the format of ECB eurofxref-hist.xml. Written by scripts/generate-demo-rates.ts. NOT data published by the European Central Bank.';

interface Drift {
  code: string;
  /** Decimal places ECB prints for this currency. */
  places: number;
  /** Rates in units of the last decimal place. */
  start: number;
  end: number;
  weeklySwing: number;
  dailyNoise: number;
}

/** USD per EUR runs about 1.072 to 1.098: the demo bills EUR and USD, so that is the rate that matters. */
const DRIFTS: Drift[] = [
  { code: 'usd', places: 4, start: 10760, end: 10940, weeklySwing: 30, dailyNoise: 10 },
  { code: 'jpy', places: 2, start: 16050, end: 16380, weeklySwing: 60, dailyNoise: 25 },
  { code: 'gbp', places: 5, start: 84620, end: 83810, weeklySwing: 180, dailyNoise: 60 },
  { code: 'chf', places: 4, start: 9410, end: 9330, weeklySwing: 25, dailyNoise: 8 },
  { code: 'cad', places: 4, start: 14830, end: 15120, weeklySwing: 40, dailyNoise: 12 },
  { code: 'aud', places: 4, start: 16390, end: 16610, weeklySwing: 45, dailyNoise: 15 },
];

/** One week up, the next down, in varying steps: the pattern repeats every eight weeks. */
const WEEK_PATTERN = [0, 2, 1, -1, -2, 0, 2, -1];

export function demoRateDays(): EcbDay[] {
  const dates: string[] = [];
  for (let date = DEMO_RATES_FIRST; date <= DEMO_RATES_LAST; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(date);
  }
  const random = mulberry32(13);
  return dates.map((date, index) => {
    // Calendar weeks from Monday 31 August, so a swing lasts Monday to Friday.
    const week = Math.floor(daysBetween('2026-08-31', date) / 7);
    const perEur: Record<string, string> = {};
    for (const drift of DRIFTS) {
      const trend = drift.start + Math.trunc(((drift.end - drift.start) * index) / (dates.length - 1));
      const swing = (drift.weeklySwing * (WEEK_PATTERN[week % WEEK_PATTERN.length] as number)) / 2;
      const noise = (random() % (2 * drift.dailyNoise + 1)) - drift.dailyNoise;
      perEur[drift.code] = decimal(Math.trunc(trend + swing + noise), drift.places);
    }
    return { date, perEur };
  });
}

export function demoRatesXml(): string {
  return formatEcbXml(demoRateDays(), { comment: DEMO_RATES_COMMENT, sender: 'kpi demo (illustrative, not the European Central Bank)' });
}

function decimal(units: number, places: number): string {
  const digits = String(units).padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** A small seeded generator of unsigned 32-bit integers (Math.random cannot be seeded). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return (value ^ (value >>> 14)) >>> 0;
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures/demo/ecb-rates.xml');
  writeFileSync(out, demoRatesXml());
  process.stderr.write(`wrote ${demoRateDays().length} business days of illustrative rates\n`);
}
