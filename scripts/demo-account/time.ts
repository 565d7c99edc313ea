/** Calendar helpers for billing periods, in unix seconds, UTC, Stripe-style month clamping. */

export const HOUR = 3600;
export const DAY = 86_400;

/**
 * `ts` plus a number of calendar months. Like Stripe's billing anchors, the day of month
 * is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29), and every
 * period is computed from the anchor, so clamping never drifts.
 */
export function addMonths(ts: number, months: number): number {
  const days = Math.floor(ts / DAY);
  const timeOfDay = ts - days * DAY;
  const [y, m, d] = civilFromDays(days);
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = total - Math.floor(total / 12) * 12 + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return daysFromCivil(year, month, day) * DAY + timeOfDay;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian, days since 1970-01-01):
// pure integer arithmetic, no Date objects, so they stay cheap at a million calls.
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The billing period [start, end) that contains `ref`, for periods of `stepMonths` from `anchor`. */
export function periodContaining(anchor: number, stepMonths: number, ref: number): [number, number] {
  if (ref < anchor) return [anchor, addMonths(anchor, stepMonths)];
  let k = Math.floor((ref - anchor) / (stepMonths * 30.4 * DAY));
  while (k > 0 && addMonths(anchor, k * stepMonths) > ref) k--;
  while (addMonths(anchor, (k + 1) * stepMonths) <= ref) k++;
  return [addMonths(anchor, k * stepMonths), addMonths(anchor, (k + 1) * stepMonths)];
}

export function isoDate(ts: number): string {
  return new Date(ts * 1000).toISOString();
}
