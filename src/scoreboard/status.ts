/**
 * Where a KPI stands. `no_value` (the figure is undefined, e.g. a quick ratio without
 * losses), `no_target` and `not_configured` are not failures; `error` is.
 */
export type KpiStatus = 'green' | 'yellow' | 'red' | 'no_value' | 'no_target' | 'not_configured' | 'error';

export const OFF_TRACK: ReadonlySet<KpiStatus> = new Set(['red', 'yellow']);

/**
 * Green when the target is reached; yellow when short of it by at most `yellowWithinPercent`
 * of the target; red beyond. "Short" depends on the direction: below the target when
 * higher is better, above it when lower is better. The band is a share of the target, so a
 * target of 0 has none: anything short of 0 is red.
 */
export function statusOf(value: number, target: number, direction: 'higher' | 'lower', yellowWithinPercent: number): 'green' | 'yellow' | 'red' {
  const slack = Math.abs(target) * (yellowWithinPercent / 100);
  if (direction === 'higher') {
    if (value >= target) return 'green';
    return value >= target - slack ? 'yellow' : 'red';
  }
  if (value <= target) return 'green';
  return value <= target + slack ? 'yellow' : 'red';
}

export type TrendDirection = 'up' | 'down' | 'flat';

export function trendOf(previous: number | null | undefined, current: number | null): TrendDirection | null {
  if (previous === null || previous === undefined || current === null) return null;
  return current > previous ? 'up' : current < previous ? 'down' : 'flat';
}

/** The worst status that `--fail-on` cares about: red for "red", red or yellow for "yellow". */
export function failsOn(statuses: Iterable<KpiStatus>, level: 'red' | 'yellow'): boolean {
  for (const status of statuses) {
    if (status === 'red' || (level === 'yellow' && status === 'yellow')) return true;
  }
  return false;
}
