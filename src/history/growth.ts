import { Rational } from '../money/rational.js';

/**
 * Week-over-week growth in percent, exact until rounded to two decimals (half-up).
 * Null when there is nothing to compare with: a missing week, or a zero last week.
 */
export function growthPercent(previous: bigint | null | undefined, current: bigint | null | undefined): number | null {
  if (previous === null || previous === undefined || current === null || current === undefined || previous === 0n) return null;
  const percent = Rational.of(current - previous).times(100).dividedBy(Rational.of(previous));
  return Number(percent.times(100).roundHalfUp()) / 100;
}

/** Whether a week met the target: its growth at or above it; null when growth is unknown. */
export function metTarget(growth: number | null, targetPercent: number): boolean | null {
  return growth === null ? null : growth >= targetPercent;
}
