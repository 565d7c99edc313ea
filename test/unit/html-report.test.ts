import { describe, expect, it } from 'vitest';
import type { KpiResult } from '../../src/app/kpi-report.js';
import type { MovementLine, MovementsReport } from '../../src/app/mrr-movements.js';
import type { OkrStatusReport } from '../../src/app/okr-status.js';
import type { WeeklyArrSeries } from '../../src/app/weekly-arr.js';
import type { RevenueReport } from '../../src/revenue/revenue-report.js';
import { escapeHtml } from '../../src/render/html/escape.js';
import { renderKpiReportHtml } from '../../src/render/html/kpi-report.js';
import { renderOkrHtml } from '../../src/render/html/okr.js';
import { renderWeeklyArrHtml } from '../../src/render/html/weekly-arr.js';

const SCRIPT = '<script>window.__pwned=1</script>';
const BREAKOUT = '"><img src=x onerror="window.__pwned=1">';

const period = { name: 'last_week', start: new Date('2026-11-09T00:00:00Z'), end: new Date('2026-11-16T00:00:00Z') } as KpiResult['period'];

function kpi(overrides: Partial<KpiResult>): KpiResult {
  return {
    id: 'k',
    name: 'K',
    unit: 'count',
    currency: null,
    period,
    source: 'value',
    value: 8,
    target: 10,
    direction: 'higher',
    status: 'red',
    reason: null,
    note: null,
    trend: null,
    history: [],
    ...overrides,
  };
}

const week = (start: string) => ({ start: Date.parse(`${start}T00:00:00Z`) / 1000, end: Date.parse(`${start}T00:00:00Z`) / 1000 + 7 * 86_400 });
const arr = (usd: bigint) => ({ reportingCurrency: 'usd', amount: { byCurrency: { usd }, total: usd } }) as unknown as RevenueReport;

/** Two weeks of ARR: 1,000.00 USD then 1,050.00 USD (5 % growth against a 10 % target). */
const weekly: WeeklyArrSeries = {
  targetPercent: 10,
  reconstructedFrom: { path: `snapshots/${SCRIPT}.json.gz`, takenAt: 0 },
  constantCurrency: null,
  rows: [
    { week: week('2026-11-02'), basis: 'snapshot', snapshot: null, report: arr(100_000n), growthPercent: null, growthPercentByCurrency: {}, met: null, metByCurrency: {}, rates: null, fx: null },
    { week: week('2026-11-09'), basis: 'reconstructed', snapshot: null, report: arr(105_000n), growthPercent: 5, growthPercentByCurrency: {}, met: false, metByCurrency: {}, rates: null, fx: null },
  ],
};

const parts = (amounts: Record<string, bigint>) =>
  Object.fromEntries(['new', 'reactivation', 'expansion', 'contraction', 'churn'].map((kind) => [kind, { amount: amounts[kind] ?? 0n, customers: amounts[kind] ? 1 : 0, subscriptions: 0 }])) as MovementLine['parts'];

/** 1,000.00 + 200.00 new - 50.00 churn = 1,150.00 USD. */
const movements: MovementsReport = {
  generatedAt: new Date('2026-11-16T00:00:00Z'),
  from: { requested: new Date('2026-11-09T00:00:00Z'), snapshot: 'a', takenAt: new Date('2026-11-09T00:00:00Z') },
  to: { requested: new Date('2026-11-16T00:00:00Z'), snapshot: 'b', takenAt: new Date('2026-11-16T00:00:00Z') },
  lines: [{ tier: BREAKOUT, group: 'self-service', currency: 'usd', start: 100_000n, end: 115_000n, parts: parts({ new: 20_000n, churn: -5_000n }) }],
  totals: [{ tier: 'Total', group: 'self-service', currency: 'usd', start: 100_000n, end: 115_000n, parts: parts({ new: 20_000n, churn: -5_000n }) }],
  converted: null,
};

const okrs: OkrStatusReport = {
  period: '2026-Q4',
  start: new Date('2026-10-01T00:00:00Z'),
  end: new Date('2027-01-01T00:00:00Z'),
  asOf: new Date('2026-11-16T00:00:00Z'),
  elapsed: 0.5,
  objectives: [
    {
      title: SCRIPT,
      owner: BREAKOUT,
      type: 'committed',
      score: 0.45,
      status: 'Off-Track',
      band: 'yellow',
      incomplete: false,
      confidence: 6,
      keyResults: [
        { id: 'kr', title: BREAKOUT, milestone: false, start: 0, target: 10, current: 2, basis: 'current', score: 0.2, status: 'Off-Track', band: 'red', confidence: null, confidenceTrend: null, parent: null, note: SCRIPT },
      ],
    },
  ],
};

describe('escapeHtml', () => {
  it('leaves no character that opens a tag, ends an attribute or starts an entity', () => {
    expect(escapeHtml(`a & b <c> "d" 'e'`)).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('shows bidi overrides, isolates and invisible characters as visible escapes, as the terminal does', () => {
    // "MRR" followed by a right-to-left override would reverse what follows it on the page.
    expect(escapeHtml('MRR\u202e)SU( latoT')).toBe('MRR\\u202e)SU( latoT');
    expect(escapeHtml('a\u2066b\u2069c\u200bd\u00ade')).toBe('a\\u2066b\\u2069c\\u200bd\\xade');
    // Emoji sequences keep their zero-width joiners; a note's line breaks stay.
    expect(escapeHtml('👩\u200d💻 line\nnext')).toBe('👩\u200d💻 line\nnext');
  });
});

describe('HTML pages', () => {
  const page = renderKpiReportHtml({
    view: {
      report: {
        generatedAt: new Date('2026-11-16T00:00:00Z'),
        timeZone: 'UTC',
        reads: [],
        results: [
          kpi({ id: 'a', name: SCRIPT, note: BREAKOUT, history: [{ recordedAt: '2026-11-02T00:00:00Z', value: 6 }, { recordedAt: '2026-11-09T00:00:00Z', value: 7 }] }),
          kpi({ id: 'b', name: BREAKOUT, status: 'error', value: null, reason: SCRIPT }),
          kpi({ id: 'c', name: 'Green one', status: 'green', value: 12 }),
        ],
      },
      onlyOffTrack: false,
    },
    weekly,
    movements,
    movementsOmitted: null,
    okrs,
  });
  const pages = { report: page, weekly: renderWeeklyArrHtml(weekly, new Date('2026-11-16T00:00:00Z')), okrs: renderOkrHtml(okrs) };

  it.each(Object.entries(pages))('%s: planted markup in names, notes, reasons, titles and paths stays text', (_, html) => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // The planted text shows (escaped) as text; what must never appear is a real attribute.
    expect(html).not.toMatch(/\son\w+="/i);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta name="viewport"');
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/(?:src|href)="|url\(|@import|https?:\/\//i);
  });

  it('puts the red and failed KPIs above the green ones, with word and symbol, and a sparkline of history then now', () => {
    const attention = page.slice(page.indexOf('id="attention"'), page.indexOf('id="on-track"'));
    expect(attention).toContain('✖ RED');
    expect(attention).toContain('? n/a');
    expect(attention).not.toContain('Green one');
    expect(page.slice(page.indexOf('id="on-track"'))).toContain('✔ GREEN');
    // History 6, 7 and the current 8: three points, stated in the text beside the line.
    expect(attention).toContain('<span class="spark-text">6 → 7 → 8</span>');
    expect(attention.match(/<polyline class="spark" points="([^"]*)"/)?.[1]?.split(' ')).toHaveLength(3);
  });

  it('states the numbers each chart draws next to it', () => {
    // Target path: 1,000.00, then 1,000.00 x 1.1 = 1,100.00.
    expect(page).toMatch(/1,000\.00 USD<\/td><td class="number">1,000\.00 USD/);
    expect(page).toMatch(/1,050\.00 USD<\/td><td class="number">1,100\.00 USD/);
    expect(page.match(/<rect class="bar"/g)).toHaveLength(2);
    // Waterfall: start, 5 movements, end = 7 steps; the amounts signed.
    expect(page.match(/<rect class="step /g)).toHaveLength(7);
    expect(page).toContain('+200.00 USD');
    expect(page).toContain('-50.00 USD');
    expect(page).toContain('1,150.00 USD');
    expect(page).toContain('0.45 (yellow)');
    expect(page).toContain('class="number score band-red"');
  });

  it('says why there are no movements instead of a chart', () => {
    const without = renderKpiReportHtml({ view: { report: { generatedAt: new Date(0), timeZone: 'UTC', reads: [], results: [] }, onlyOffTrack: false }, weekly, movements: null, movementsOmitted: 'MRR movements need two snapshots about a week apart; there is only one.', okrs: null });
    expect(without).toContain('there is only one');
    expect(without).not.toContain('class="chart waterfall"');
    expect(without).not.toContain('id="okrs"');
  });
});
