import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { okrStatus } from '../../src/app/okr-status.js';
import type { KpiResult } from '../../src/app/kpi-report.js';
import { UsageError } from '../../src/errors.js';
import { lintOkrs } from '../../src/okr/lint.js';
import { loadOkrFile, okrFileSchema, type OkrFile } from '../../src/okr/okr-file.js';
import { bandOf, progressScore, statusOf } from '../../src/okr/scoring.js';

const UTC = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
const okrs = (input: unknown): OkrFile => okrFileSchema.parse(input);

describe('scores', () => {
  it('measures progress from start to target, clamped, in either direction', () => {
    expect(progressScore(100, 130, 121)).toBeCloseTo(0.7); // 21 / 30
    expect(progressScore(12, 5, 9)).toBeCloseTo(3 / 7); // down from 12 to 5: 3 of 7 done
    expect(progressScore(0, 10, 15)).toBe(1);
    expect(progressScore(0, 10, -5)).toBe(0);
    expect(progressScore(12, 5, 14)).toBe(0); // worse than the start
  });

  it("bands scores the handbook's way", () => {
    expect([0, 0.3, 0.39, 0.4, 0.6, 0.69, 0.7, 1].map(bandOf)).toEqual(['red', 'red', 'red', 'yellow', 'yellow', 'yellow', 'green', 'green']);
  });

  it('paces committed OKRs to 1.0 and aspirational ones to 0.7', () => {
    // Half-way through the quarter: committed needs 0.5, aspirational 0.35.
    expect(statusOf(0.5, 'committed', 0.5, true)).toBe('On-Track');
    expect(statusOf(0.49, 'committed', 0.5, true)).toBe('Off-Track');
    expect(statusOf(0.35, 'aspirational', 0.5, true)).toBe('On-Track');
    expect(statusOf(0.34, 'aspirational', 0.5, true)).toBe('Off-Track');
    expect(statusOf(0, 'committed', 0.1, false)).toBe('Not Started');
    // At the very start every started key result is on track.
    expect(statusOf(0.01, 'committed', 0, true)).toBe('On-Track');
  });

  it('judges the score as shown: 0.7 exactly is an aspirational win', () => {
    // (1.9 - 1.2) / (2.2 - 1.2) is 0.6999999999999997 in floating point.
    const file = okrs({ period: '2026-Q4', objectives: [{ title: 'O', owner: 'x', type: 'aspirational', key_results: [{ title: 'k', start: 1.2, target: 2.2, current: 1.9 }] }] });
    const report = okrStatus(file, { asOf: new Date('2027-01-05T00:00:00Z'), live: false, calendar: UTC, kpis: new Map() });
    expect(report.objectives[0]!.keyResults[0]).toMatchObject({ score: 0.7, status: 'Achieved', band: 'green' });
  });

  it('a measured key result that has not moved is Off-Track late in the quarter, not Not Started', () => {
    const file = okrs({ period: '2026-Q4', objectives: [{ title: 'O', owner: 'x', type: 'committed', key_results: [{ title: 'stuck', start: 5, target: 2, current: 6 }] }] });
    const report = okrStatus(file, { asOf: new Date('2026-12-20T00:00:00Z'), live: false, calendar: UTC, kpis: new Map() });
    expect(report.objectives[0]!.keyResults[0]).toMatchObject({ score: 0, status: 'Off-Track' });
  });

  it('after the period: Achieved, Achieved Poorly or Off-Track', () => {
    expect(statusOf(1, 'committed', 1, true)).toBe('Achieved');
    expect(statusOf(0.9, 'committed', 1.2, true)).toBe('Achieved Poorly');
    expect(statusOf(0.7, 'aspirational', 1, true)).toBe('Achieved');
    expect(statusOf(0.4, 'aspirational', 1, true)).toBe('Achieved Poorly');
    expect(statusOf(0.39, 'aspirational', 1, true)).toBe('Off-Track');
    expect(statusOf(0, 'committed', 1, false)).toBe('Off-Track');
  });
});

describe('OKR status over a quarter', () => {
  const file = okrs({
    period: '2026-Q4',
    objectives: [
      {
        title: 'Revenue',
        owner: 'Ana',
        type: 'committed',
        key_results: [
          { title: 'MRR', kpi: 'mrr', start: 100000, target: 130000, check_ins: [{ date: '2026-10-20', value: 106000, confidence: 6 }, { date: '2026-11-20', value: 112000, confidence: 7 }] },
          { title: 'Churn down', start: 5, target: 2, current: 4, as_of: '2026-11-01', weight: 2 },
          { title: 'Launch', milestone: true, done: false },
        ],
      },
      {
        title: 'Platform',
        owner: 'Bo',
        type: 'aspirational',
        key_results: [
          { id: 'company', title: 'Company KR' },
          { title: 'Team A', parent: 'company', start: 0, target: 10, current: 10 },
          { title: 'Team B', parent: 'company', start: 0, target: 10, current: 2, weight: 3 },
        ],
      },
    ],
  });
  const mrr = new Map<string, KpiResult>([['mrr', { id: 'mrr', unit: 'money', currency: 'usd', value: 12_100_000 } as KpiResult]]);
  const at = (date: string, live = false) => okrStatus(file, { asOf: new Date(date), live, calendar: UTC, kpis: mrr });

  it('at the start of the quarter nothing has moved', () => {
    const report = at('2026-10-01T00:00:00Z');
    expect(report.elapsed).toBe(0);
    const [revenue] = report.objectives;
    // No check-in yet, churn measured later: both not started; the milestone is not done.
    expect(revenue!.keyResults.map((kr) => kr.status)).toEqual(['Not Started', 'Not Started', 'Not Started']);
    expect(revenue!.status).toBe('Not Started');
  });

  it('in the middle, from check-ins, current values and children', () => {
    // 2026-11-16 is 46 of 92 days in: elapsed 0.5.
    const report = at('2026-11-16T00:00:00Z');
    expect(report.elapsed).toBe(0.5);
    const [revenue, platform] = report.objectives;
    // MRR from the 2026-10-20 check-in: (106000 - 100000) / 30000 = 0.2 < 0.5: Off-Track.
    expect(revenue!.keyResults[0]).toMatchObject({ score: 0.2, status: 'Off-Track', basis: 'check-in', confidence: 6 });
    // Churn 5 -> 4 of the way to 2: 1/3 = 0.33.
    expect(revenue!.keyResults[1]).toMatchObject({ score: 0.33, status: 'Off-Track', basis: 'current' });
    // Objective: (0.2 x 1 + 0.333 x 2 + 0 x 1) / 4 = 0.2167
    expect(revenue!.score).toBe(0.22);
    expect(revenue!.band).toBe('red');
    // Company KR from its children, weighted: (1 x 1 + 0.2 x 3) / 4 = 0.4; aspirational pace 0.35: On-Track.
    expect(platform!.keyResults[0]).toMatchObject({ score: 0.4, basis: 'children', status: 'On-Track' });
  });

  it('uses the live KPI value today, and confidence trends', () => {
    const report = at('2026-11-25T00:00:00Z', true);
    // 121,000.00 USD live: (121000 - 100000) / 30000 = 0.7
    expect(report.objectives[0]!.keyResults[0]).toMatchObject({ current: 121000, score: 0.7, basis: 'kpi', confidence: 7, confidenceTrend: 'up' });
  });

  it('after the quarter: Achieved, Achieved Poorly, Off-Track', () => {
    const report = at('2027-01-05T00:00:00Z');
    expect(report.elapsed).toBeGreaterThan(1);
    const [revenue, platform] = report.objectives;
    // MRR from the last check-in (112000): 12000 / 30000 = 0.4, short of 1.0 but at 0.4: Achieved Poorly.
    // Churn 0.33 and the unlaunched milestone: Off-Track.
    expect(revenue!.keyResults.map((kr) => kr.status)).toEqual(['Achieved Poorly', 'Off-Track', 'Off-Track']);
    // Team A reached its target: Achieved; Company KR 0.4: Achieved Poorly (aspirational).
    expect(platform!.keyResults[1]!.status).toBe('Achieved');
    expect(platform!.keyResults[0]!.status).toBe('Achieved Poorly');
  });
});

describe('a linked KPI that cannot be read', () => {
  const file = okrs({
    period: '2026-Q4',
    objectives: [
      {
        title: 'Revenue',
        owner: 'Ana',
        type: 'committed',
        key_results: [
          { title: 'MRR', kpi: 'mrr', start: 100000, target: 130000, check_ins: [{ date: '2026-11-09', value: 120000, confidence: 8 }] },
          { title: 'Deals', kpi: 'deals', start: 0, target: 10, check_ins: [{ date: '2026-11-09', value: 4, confidence: 6 }] },
          { title: 'Churn down', start: 5, target: 2, current: 4, weight: 2 },
        ],
      },
      { title: 'Only MRR', owner: 'Bo', type: 'committed', key_results: [{ title: 'MRR again', kpi: 'mrr', start: 0, target: 1 }] },
      {
        title: 'Roll-up',
        owner: 'Cy',
        type: 'committed',
        key_results: [
          { id: 'all', title: 'All teams' },
          { title: 'Team MRR', parent: 'all', kpi: 'mrr', start: 0, target: 1 },
          { title: 'Team B', parent: 'all', start: 0, target: 10, current: 6 },
        ],
      },
    ],
  });
  const kpis = new Map<string, KpiResult>([
    ['mrr', { id: 'mrr', unit: 'money', currency: 'usd', value: null, status: 'error', reason: 'Stripe rejected the API key (401)' } as KpiResult],
    ['deals', { id: 'deals', unit: 'count', currency: null, value: null, status: 'not_configured', reason: 'no source configured' } as KpiResult],
  ]);
  const report = okrStatus(file, { asOf: new Date('2026-11-16T00:00:00Z'), live: true, calendar: UTC, kpis });
  const [revenue, onlyMrr, rollUp] = report.objectives;

  it('makes the key result n/a, not 0 or Not Started, and says why', () => {
    // The 2026-11-09 check-in (120000) is not taken for today's value: the source failed.
    expect(revenue!.keyResults[0]).toMatchObject({ score: null, status: 'n/a', band: null, current: null, basis: 'kpi' });
    expect(revenue!.keyResults[0]!.note).toBe('KPI "mrr" could not be read: Stripe rejected the API key (401)');
  });

  it('scores the objective from the other key results and marks it incomplete', () => {
    // Deals: KPI not configured, so its check-in stands: 4 / 10 = 0.4. Churn 5 -> 4 of the way to 2: 1/3.
    // Without MRR: (0.4 x 1 + 0.3333 x 2) / 3 = 1.0667 / 3 = 0.3556 -> 0.36; pace half-way 0.5: Off-Track.
    expect(revenue!.keyResults[1]).toMatchObject({ score: 0.4, basis: 'check-in' });
    expect(revenue).toMatchObject({ score: 0.36, status: 'Off-Track', band: 'red', incomplete: true });
    // Nothing known at all: the objective is n/a too.
    expect(onlyMrr).toMatchObject({ score: null, status: 'n/a', band: null, incomplete: true });
    // A roll-up takes the children it knows: Team B 0.6 alone.
    expect(rollUp!.keyResults[0]).toMatchObject({ score: 0.6, basis: 'children', note: '1 of its key results is n/a and left out' });
    // Objective: All teams 0.6 and Team B 0.6, Team MRR left out: 0.6, incomplete.
    expect(rollUp).toMatchObject({ score: 0.6, incomplete: true });
  });

  it('objectives whose key results are all known are complete', () => {
    const fine = okrStatus(file, { asOf: new Date('2026-11-16T00:00:00Z'), live: false, calendar: UTC, kpis });
    expect(fine.objectives.map((objective) => objective.incomplete)).toEqual([false, false, false]);
  });
});

describe('parents', () => {
  const withParents = (keyResults: unknown[]) => okrs({ period: '2026-Q4', objectives: [{ title: 'O', owner: 'x', type: 'committed', key_results: keyResults }] });
  const circle = withParents([
    { id: 'a', title: 'A', parent: 'b', start: 0, target: 1 },
    { id: 'b', title: 'B', parent: 'a', start: 0, target: 1 },
    { id: 'c', title: 'C', parent: 'a', start: 0, target: 1 },
  ]);
  const own = withParents([{ id: 'a', title: 'A', parent: 'a', start: 0, target: 1, current: 1 }]);

  it('lint finds a circle of parents once, and a key result that is its own parent', () => {
    const errors = (file: OkrFile) => lintOkrs(file, new Set(), UTC).filter((finding) => finding.level === 'error').map((finding) => `${finding.path}: ${finding.message}`);
    expect(errors(circle)).toEqual(['objectives[0].key_results[0]: its parents lead back to it: a -> b -> a']);
    expect(errors(own)).toEqual(['objectives[0].key_results[0]: a key result cannot be its own parent']);
  });

  it('status refuses them as usage errors (exit 2)', () => {
    for (const file of [circle, own]) {
      const status = () => okrStatus(file, { asOf: new Date('2026-11-16T00:00:00Z'), live: false, calendar: UTC, kpis: new Map() });
      expect(status).toThrow(UsageError);
      expect(status).toThrow(/objectives\[0\]\.key_results\[0\]: (its parents lead back to it: a -> b -> a|a key result cannot be its own parent)/);
    }
  });
});

describe('lint', () => {
  const kpis = new Set(['mrr']);
  it('checks the handbook checklist', () => {
    const findings = lintOkrs(
      okrs({
        period: '2026-Q5',
        objectives: [
          { title: 'A', owner: 'x', type: 'committed', key_results: [{ title: 'k', start: 1, target: 1 }, { title: 'K', start: 0, target: 'lots' }] },
          { title: 'a', owner: 'y', type: 'aspirational', key_results: [{ title: 'one', kpi: 'nope', start: 0, target: 1 }, { title: 'two', parent: 'ghost', start: 0, target: 1, current: 0 }, { title: 'three', start: 0, target: 2, current: 1 }, { title: 'four', milestone: true }] },
        ],
      }),
      kpis,
      UTC,
    );
    const text = findings.map((finding) => `${finding.level} ${finding.path}: ${finding.message}`);
    expect(text).toEqual([
      'error period: "2026-Q5" is not a quarter like "2026-Q4"',
      'warning objectives[0]: has 2 key results; the handbook asks for 3 to 5',
      'error objectives[0].key_results[0]: start and target are both 1: there is nothing to achieve',
      'warning objectives[0].key_results[0]: no "current" value, "kpi" or check-in value yet: it counts as not started',
      'error objectives[0].key_results[1]: the title "K" is used twice in this objective (also objectives[0].key_results[0])',
      'error objectives[0].key_results[1]: every key result is a number: give a numeric "target" (or mark it "milestone: true")',
      'warning objectives[0].key_results[1]: no "current" value, "kpi" or check-in value yet: it counts as not started',
      'error objectives[1]: the title "a" is used twice (also objectives[0])',
      'error objectives[1].key_results[0]: refers to KPI "nope", which the report configuration does not define',
      'error objectives[1].key_results[1]: its parent "ghost" is not the id of any key result',
    ]);
  });

  it('refuses malformed files with the path of the problem', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kpi-okr-'));
    const path = join(directory, 'okrs.yaml');
    writeFileSync(path, 'period: 2026-Q4\nobjectives:\n  - title: X\n    owner: Y\n    type: stretch\n    key_results:\n      - title: Z\n        check_ins: [{ date: 2026-11-01, confidence: 11 }]\n');
    let error: unknown;
    try {
      loadOkrFile(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`OKR file ${path} is invalid`);
    expect((error as Error).message).toMatch(/objectives\[0\]\.type: Invalid option/);
    expect((error as Error).message).toMatch(/objectives\[0\]\.key_results\[0\]\.check_ins\[0\]\.confidence: confidence is 1 to 10/);
    writeFileSync(path, 'period: [unclosed');
    expect(() => loadOkrFile(path)).toThrow(/is not valid YAML/);
  });
});
