/**
 * OKR scoring by the handbook: a key result's score is its progress from start to target,
 * clamped to 0..1 (a decreasing target works the same way); milestones score 0 or 1; an
 * objective's score is the (weighted) mean of its key results. Committed OKRs aim for
 * 1.0, aspirational ones count 0.7 as a win.
 */
export type OkrType = 'committed' | 'aspirational';
export type OkrStatus = 'Not Started' | 'On-Track' | 'Off-Track' | 'Achieved' | 'Achieved Poorly';
export type Band = 'green' | 'yellow' | 'red';

export const GOAL: Record<OkrType, number> = { committed: 1.0, aspirational: 0.7 };
/** At or above this after the period, short of the goal: "Achieved Poorly". */
export const ACHIEVED_POORLY_FROM = 0.4;

export function progressScore(start: number, target: number, current: number): number {
  if (target === start) return current === target ? 1 : 0;
  return clamp((current - start) / (target - start));
}

export function weightedMean(scores: Array<{ score: number; weight: number }>): number {
  const total = scores.reduce((sum, entry) => sum + entry.weight, 0);
  if (total === 0) return 0;
  return scores.reduce((sum, entry) => sum + entry.score * entry.weight, 0) / total;
}

/** The handbook's bands: 0.7-1.0 green, 0.4-0.6 yellow, 0.0-0.3 red (scores in between go to the lower band). */
export function bandOf(score: number): Band {
  if (score >= 0.7) return 'green';
  if (score >= 0.4) return 'yellow';
  return 'red';
}

/**
 * - before there is a value to judge (`started`): Not Started; a key result measured at its
 *   start value has started, so mid-quarter it is Off-Track: not moving is the news;
 * - during the period: On-Track when the score is at least the goal scaled by the share of
 *   the period elapsed (aspirational paced to 0.7, committed to 1.0), else Off-Track;
 * - after the period: Achieved at the goal, Achieved Poorly from 0.4, else Off-Track.
 */
export function statusOf(score: number, type: OkrType, elapsed: number, started: boolean): OkrStatus {
  const goal = GOAL[type];
  if (elapsed >= 1) {
    if (score >= goal) return 'Achieved';
    return score >= ACHIEVED_POORLY_FROM ? 'Achieved Poorly' : 'Off-Track';
  }
  if (!started) return 'Not Started';
  return score >= goal * Math.max(0, elapsed) ? 'On-Track' : 'Off-Track';
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
