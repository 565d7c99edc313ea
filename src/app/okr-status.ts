import type { KpiResult } from './kpi-report.js';
import type { CheckIn, KeyResult, OkrFile } from '../okr/okr-file.js';
import { bandOf, progressScore, statusOf, weightedMean, type Band, type OkrStatus, type OkrType } from '../okr/scoring.js';
import { minorUnitExponent } from '../money/currency.js';
import { quarterBounds, type CalendarSettings } from '../scoreboard/periods.js';
import { UsageError } from '../errors.js';
import { parentCycles } from '../okr/lint.js';
import { compareText } from '../text-order.js';

/** A score that cannot be known: the key result's linked KPI could not be read. */
export type ScoreStatus = OkrStatus | 'n/a';

export interface KeyResultView {
  id: string | null;
  title: string;
  milestone: boolean;
  start: number | null;
  target: number | null;
  current: number | null;
  /** Where `current` came from. */
  basis: 'kpi' | 'current' | 'check-in' | 'children' | 'milestone' | null;
  /** null (status n/a) when the linked KPI's source failed: unknown, not 0. */
  score: number | null;
  status: ScoreStatus;
  band: Band | null;
  confidence: number | null;
  confidenceTrend: 'up' | 'down' | 'flat' | null;
  parent: string | null;
  /** Why a value is missing (a KPI that could not be read). */
  note: string | null;
}

export interface ObjectiveView {
  title: string;
  owner: string;
  type: OkrType;
  /** The weighted mean of the key results whose score is known; null when none is. */
  score: number | null;
  status: ScoreStatus;
  band: Band | null;
  /** Some key result's score is unknown, so `score` leaves it out. */
  incomplete: boolean;
  confidence: number | null;
  keyResults: KeyResultView[];
}

export interface OkrStatusReport {
  period: string;
  start: Date;
  end: Date;
  asOf: Date;
  /** Share of the period gone by at `asOf` (above 1 after it). */
  elapsed: number;
  objectives: ObjectiveView[];
}

/**
 * Scores the OKRs at `asOf`. Live KPI values describe now, and "this quarter" is now's
 * quarter: they stand for the OKRs only when asked about now (within a day) and the OKR
 * quarter is not over; otherwise check-ins do. `liveKpis` is asked only then.
 */
export async function scoreOkrs(
  file: OkrFile,
  moments: { asOf: Date; now: Date; calendar: CalendarSettings },
  liveKpis: (wanted: ReadonlySet<string>) => Promise<readonly KpiResult[]>,
): Promise<OkrStatusReport> {
  const { asOf, now, calendar } = moments;
  const bounds = quarterBounds(file.period, calendar);
  const live = Math.abs(asOf.getTime() - now.getTime()) <= 86_400_000 && bounds !== null && now < bounds.end;
  const wanted = new Set(file.objectives.flatMap((objective) => objective.key_results.map((kr) => kr.kpi).filter((id): id is string => !!id)));
  const kpis = new Map<string, KpiResult>();
  if (live && wanted.size > 0) {
    for (const result of await liveKpis(wanted)) kpis.set(result.id, result);
  }
  return okrStatus(file, { asOf, live, calendar, kpis });
}

/**
 * Scores every key result and objective at `asOf`. A key result's value is, in order:
 * its linked KPI's live value (when `asOf` is today), its `current` value (if measured by
 * then), or its latest check-in by then; a key result without one of its own but with
 * children (key results naming it as `parent`) takes their mean score. A linked KPI whose
 * source failed makes the score unknown (n/a) rather than 0; a KPI without a configured
 * source is not a failure, so its key result falls back to `current` and check-ins.
 */
export function okrStatus(file: OkrFile, options: { asOf: Date; live: boolean; calendar: CalendarSettings; kpis: ReadonlyMap<string, KpiResult> }): OkrStatusReport {
  const cycles = parentCycles(file);
  if (cycles.length > 0) {
    throw new UsageError(`OKR key results roll up in a circle:\n${cycles.map((finding) => `  ${finding.path}: ${finding.message}`).join('\n')}`, 'Fix the "parent" of one of them; `kpi okr lint` lists every problem.');
  }
  const bounds = quarterBounds(file.period, options.calendar);
  if (!bounds) throw new UsageError(`OKR period "${file.period}" is not a quarter like "2026-Q4"`, 'Run `kpi okr lint` for every problem of the file.');
  const elapsed = (options.asOf.getTime() - bounds.start.getTime()) / (bounds.end.getTime() - bounds.start.getTime());
  const day = options.asOf.toISOString().slice(0, 10);

  const all = file.objectives.flatMap((objective) => objective.key_results.map((kr) => ({ objective, kr })));
  const scores = new Map<KeyResult, Scored>();
  // `visiting` guards against circles that duplicate ids hide from `parentCycles`.
  const scoreOf = (kr: KeyResult, visiting = new Set<KeyResult>()): Scored => {
    const known = scores.get(kr);
    if (known) return known;
    let result: Scored;
    if (kr.milestone) {
      result = { score: kr.done ? 1 : 0, current: null, basis: 'milestone', note: null };
    } else {
      const value = valueOf(kr, day, options);
      const target = typeof kr.target === 'number' ? kr.target : null;
      const children = all.filter((entry) => kr.id !== undefined && entry.kr.parent === kr.id && !visiting.has(entry.kr));
      if (value.failed) {
        result = { score: null, current: null, basis: 'kpi', note: value.note };
      } else if (value.current !== null && kr.start !== undefined && target !== null) {
        result = { score: progressScore(kr.start, target, value.current), current: value.current, basis: value.basis, note: value.note };
      } else if (children.length > 0) {
        visiting.add(kr);
        const rolledUp = knownMean(children.map((entry) => ({ score: scoreOf(entry.kr, visiting).score, weight: entry.kr.weight ?? 1 })));
        const unknownNote = rolledUp.unknown > 0 ? `${rolledUp.unknown} of its key results ${rolledUp.unknown === 1 ? 'is' : 'are'} n/a and left out` : null;
        result = { score: rolledUp.score, current: null, basis: 'children', note: [value.note, unknownNote].filter((note) => note !== null).join('; ') || null };
      } else {
        result = { score: 0, current: value.current, basis: value.basis, note: value.note };
      }
    }
    scores.set(kr, result);
    return result;
  };

  const objectives = file.objectives.map((objective): ObjectiveView => {
    const keyResults = objective.key_results.map((kr): KeyResultView => {
      const scored = scoreOf(kr);
      const confidence = confidenceAt(kr.check_ins, day);
      const shown = scored.score === null ? null : round(scored.score);
      return {
        id: kr.id ?? null,
        title: kr.title,
        milestone: kr.milestone ?? false,
        start: kr.start ?? null,
        target: typeof kr.target === 'number' ? kr.target : null,
        current: scored.current,
        basis: scored.basis,
        score: shown,
        // Judged on the score as shown, so 0.70 is 0.70 however the division came out;
        // a key result with a measured value has started, even if it has not moved yet:
        // measured and not moving mid-quarter is Off-Track, not Not Started.
        status: shown === null ? 'n/a' : statusOf(shown, objective.type, elapsed, shown > 0 || scored.current !== null || scored.basis === 'children'),
        band: shown === null ? null : bandOf(shown),
        confidence: confidence.latest,
        confidenceTrend: confidence.trend,
        parent: kr.parent ?? null,
        note: scored.note,
      };
    });
    const mean = knownMean(objective.key_results.map((kr) => ({ score: scoreOf(kr).score, weight: kr.weight ?? 1 })));
    const score = mean.score === null ? null : round(mean.score);
    const confidences = keyResults.map((kr) => kr.confidence).filter((value): value is number => value !== null);
    return {
      title: objective.title,
      owner: objective.owner,
      type: objective.type,
      score,
      status: score === null ? 'n/a' : statusOf(score, objective.type, elapsed, score > 0 || keyResults.some((kr) => kr.status !== 'Not Started' && kr.status !== 'n/a')),
      band: score === null ? null : bandOf(score),
      incomplete: mean.unknown > 0,
      confidence: confidences.length > 0 ? round(confidences.reduce((sum, value) => sum + value, 0) / confidences.length) : null,
      keyResults,
    };
  });
  return { period: file.period, start: bounds.start, end: bounds.end, asOf: options.asOf, elapsed: round(elapsed), objectives };
}

interface Scored {
  score: number | null;
  current: number | null;
  basis: KeyResultView['basis'];
  note: string | null;
}

/** The weighted mean of the scores that are known, and how many were not. */
function knownMean(scores: Array<{ score: number | null; weight: number }>): { score: number | null; unknown: number } {
  const known = scores.filter((entry): entry is { score: number; weight: number } => entry.score !== null);
  return { score: known.length > 0 ? weightedMean(known) : null, unknown: scores.length - known.length };
}

function valueOf(
  kr: KeyResult,
  day: string,
  options: { live: boolean; kpis: ReadonlyMap<string, KpiResult> },
): { current: number | null; basis: KeyResultView['basis']; note: string | null; failed: boolean } {
  if (kr.kpi !== undefined && options.live) {
    const kpi = options.kpis.get(kr.kpi);
    if (kpi && kpi.value !== null) {
      // KPIs keep money in minor units; OKRs are written in major units.
      const value = kpi.unit === 'money' && kpi.currency ? kpi.value / 10 ** minorUnitExponent(kpi.currency) : kpi.value;
      return { current: value, basis: 'kpi', note: null, failed: false };
    }
    const reason = kpi ? (kpi.reason ?? 'no value') : 'unknown KPI';
    // A source that failed says nothing about progress; an older check-in would pass for today's value.
    if (kpi?.status === 'error') return { current: null, basis: 'kpi', note: `KPI "${kr.kpi}" could not be read: ${reason}`, failed: true };
    return { ...fallbackValue(kr, day), note: `KPI "${kr.kpi}": ${reason}`, failed: false };
  }
  return { ...fallbackValue(kr, day), note: null, failed: false };
}

function fallbackValue(kr: KeyResult, day: string): { current: number | null; basis: KeyResultView['basis'] } {
  if (kr.current !== undefined && (kr.as_of === undefined || kr.as_of <= day)) return { current: kr.current, basis: 'current' };
  const checkIn = [...kr.check_ins].filter((entry) => entry.date <= day && entry.value !== undefined).sort((a, b) => compareText(a.date, b.date)).at(-1);
  return checkIn ? { current: checkIn.value as number, basis: 'check-in' } : { current: null, basis: null };
}

function confidenceAt(checkIns: CheckIn[], day: string): { latest: number | null; trend: 'up' | 'down' | 'flat' | null } {
  const until = [...checkIns].filter((entry) => entry.date <= day).sort((a, b) => compareText(a.date, b.date));
  const latest = until.at(-1)?.confidence ?? null;
  const previous = until.at(-2)?.confidence;
  if (latest === null || previous === undefined) return { latest, trend: null };
  return { latest, trend: latest > previous ? 'up' : latest < previous ? 'down' : 'flat' };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
