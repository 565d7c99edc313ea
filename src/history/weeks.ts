/** A calendar week: Monday 00:00 UTC to the next Monday 00:00 UTC (ISO weeks). */
export interface Week {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, exclusive. */
  end: number;
}

const DAY = 86_400;
const WEEK = 7 * DAY;

export function weekContaining(unixSeconds: number): Week {
  const day = Math.floor(unixSeconds / DAY);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday = 0.
  const weekday = (day + 3) % 7;
  const start = (day - weekday) * DAY;
  return { start, end: start + WEEK };
}

/** The `count` weeks up to and including the one containing `now`, oldest first. */
export function lastWeeks(now: number, count: number): Week[] {
  const current = weekContaining(now);
  return Array.from({ length: count }, (_, index) => {
    const start = current.start - (count - 1 - index) * WEEK;
    return { start, end: start + WEEK };
  });
}

export function isoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}
