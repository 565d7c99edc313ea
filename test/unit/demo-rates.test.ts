import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, KpiError } from '../../src/errors.js';
import { ecbRatesFromFile } from '../../src/rates/ecb-rates.js';
import { parseEcbXml } from '../../src/rates/ecb-xml.js';
import { demoRatesXml } from '../../scripts/generate-demo-rates.js';

const DEMO_RATES = join(import.meta.dirname, '../../fixtures/demo/ecb-rates.xml');

describe('the demo rates file', () => {
  const text = readFileSync(DEMO_RATES, 'utf8');
  const days = parseEcbXml(text, DEMO_RATES);

  it('is what the committed script writes, and says it is illustrative', () => {
    expect(text).toBe(demoRatesXml());
    expect(text).toContain('NOT data published by the European Central Bank');
  });

  it('has every business day from 2026-09-01 to 2026-11-30 with USD, GBP, CHF and JPY', () => {
    // Weekdays: September 4 + 3 weeks of 5 + 3 = 22 (Tue 1 to Fri 4, 7-25, 28-30), October 2 + 4 weeks of 5 = 22, November 4 weeks of 5 + Monday 30 = 21.
    expect(days).toHaveLength(22 + 22 + 21);
    expect(days[0]?.date).toBe('2026-09-01');
    expect(days.at(-1)?.date).toBe('2026-11-30');
    for (const day of days) {
      expect(new Date(`${day.date}T00:00:00Z`).getUTCDay() % 6).not.toBe(0);
      expect(Object.keys(day.perEur)).toEqual(expect.arrayContaining(['usd', 'gbp', 'chf', 'jpy']));
      expect(Number(day.perEur.usd)).toBeGreaterThanOrEqual(1.07);
      expect(Number(day.perEur.usd)).toBeLessThanOrEqual(1.1);
    }
  });

  it('moves USD between weeks: no two Fridays alike', () => {
    const fridays = days.filter((day) => new Date(`${day.date}T00:00:00Z`).getUTCDay() === 5).map((day) => day.perEur.usd);
    expect(fridays).toHaveLength(13);
    expect(new Set(fridays).size).toBe(13);
  });

  it('answers a weekend with the Friday before, and a date before it with exit 1', async () => {
    const rates = ecbRatesFromFile(DEMO_RATES);
    expect((await rates.dayFor('2026-11-29')).date).toBe('2026-11-27');
    const failure = await rates.dayFor('2026-08-31').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KpiError);
    expect((failure as KpiError).exitCode).toBe(ExitCode.DataSourceFailed);
    expect((failure as KpiError).message).toBe(`the rates file ${DEMO_RATES} has no rates on or before 2026-08-31 (it starts on 2026-09-01)`);
  });

  it('a missing rates file is exit 1 naming it', async () => {
    const failure = await ecbRatesFromFile('no-such-rates.xml').dayFor('2026-10-01').catch((error: unknown) => error);
    expect((failure as KpiError).exitCode).toBe(ExitCode.DataSourceFailed);
    expect((failure as KpiError).message).toBe('cannot read no-such-rates.xml: file not found');
  });
});
