import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * KPI periods, in the report's time zone: this/last week (ISO, Monday first), this/last
 * month, this/last quarter and this year (calendar, or fiscal from a start month), the
 * last N days (ending now), and "now" for figures that are a level, not a sum (MRR).
 */
export type PeriodName = 'now' | 'this_week' | 'last_week' | 'this_month' | 'last_month' | 'this_quarter' | 'last_quarter' | 'this_year' | `last_${number}_days`;

export const PERIOD_PATTERN = /^(now|this_week|last_week|this_month|last_month|this_quarter|last_quarter|this_year|last_[1-9]\d{0,3}_days)$/;

export interface Period {
  name: string;
  /** Inclusive. */
  start: Date;
  /** Exclusive (for "now", the moment itself). */
  end: Date;
  /** The (fiscal) quarter the period's start falls in, e.g. "2026-Q4": picks per-quarter targets. */
  quarter: string;
}

export interface CalendarSettings {
  timeZone: string;
  /** Month (1-12) the fiscal year starts in; 1 means calendar quarters. */
  fiscalYearStartMonth: number;
}

export function isValidTimeZone(zone: string): boolean {
  // The default zone needs no asking: ICU's first date format costs about 15 ms, and a
  // config is checked whole at every run, `kpi mrr` included.
  if (zone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Midnight at the start of a local calendar day in the zone, as an instant. */
export function localMidnight(year: number, month: number, day: number, zone: string): Date {
  // Let dayjs normalise overflowing days and months (day 0, month 13) before reading it in the zone.
  const normalised = dayjs.utc(Date.UTC(year, month - 1, day));
  return dayjs.tz(normalised.format('YYYY-MM-DD') + ' 00:00:00', zone).toDate();
}

/** The calendar date (YYYY-MM-DD) an instant falls on in the zone. */
export function localDate(instant: Date, zone: string): string {
  return dayjs.utc(instant).tz(zone).format('YYYY-MM-DD');
}

export function resolvePeriod(name: string, now: Date, calendar: CalendarSettings): Period {
  const local = dayjs.utc(now).tz(calendar.timeZone);
  const [year, month, day] = [local.year(), local.month() + 1, local.date()];
  const weekday = (local.day() + 6) % 7; // Monday 0
  const quarterOf = (y: number, m: number) => {
    const offset = (m - calendar.fiscalYearStartMonth + 12) % 12;
    const fiscalYear = m >= calendar.fiscalYearStartMonth || calendar.fiscalYearStartMonth === 1 ? y : y - 1;
    return { index: Math.floor(offset / 3), fiscalYear, startMonth: calendar.fiscalYearStartMonth + Math.floor(offset / 3) * 3 };
  };
  const make = (start: Date, end: Date): Period => {
    const startLocal = dayjs.utc(start).tz(calendar.timeZone);
    const quarter = quarterOf(startLocal.year(), startLocal.month() + 1);
    // A fiscal year is named by the calendar year it ends in when it does not start in January.
    const label = calendar.fiscalYearStartMonth === 1 ? quarter.fiscalYear : quarter.fiscalYear + 1;
    return { name, start, end, quarter: `${label}-Q${quarter.index + 1}` };
  };
  const days = /^last_(\d+)_days$/.exec(name);
  if (days) {
    const count = Number(days[1]);
    return make(new Date(now.getTime() - count * 86_400_000), now);
  }
  const current = quarterOf(year, month);
  // The quarter's first month as a calendar (year, month), possibly in the previous year.
  const quarterStart = (shift: number) => {
    const monthIndex = year * 12 + (current.startMonth - 1) + (month < current.startMonth ? -12 : 0) + shift * 3;
    return localMidnight(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1, calendar.timeZone);
  };
  switch (name) {
    case 'now':
      return make(now, now);
    case 'this_week':
      return make(localMidnight(year, month, day - weekday, calendar.timeZone), localMidnight(year, month, day - weekday + 7, calendar.timeZone));
    case 'last_week':
      return make(localMidnight(year, month, day - weekday - 7, calendar.timeZone), localMidnight(year, month, day - weekday, calendar.timeZone));
    case 'this_month':
      return make(localMidnight(year, month, 1, calendar.timeZone), localMidnight(year, month + 1, 1, calendar.timeZone));
    case 'last_month':
      return make(localMidnight(year, month - 1, 1, calendar.timeZone), localMidnight(year, month, 1, calendar.timeZone));
    case 'this_quarter':
      return make(quarterStart(0), quarterStart(1));
    case 'last_quarter':
      return make(quarterStart(-1), quarterStart(0));
    case 'this_year': {
      const start = quarterStart(-current.index);
      return make(start, quarterStart(4 - current.index));
    }
    default:
      throw new RangeError(`unknown period "${name}"`);
  }
}

/**
 * The bounds of a quarter named like "2026-Q4", in the calendar's time zone. With a
 * fiscal year starting in another month than January, the year is the one the fiscal
 * year ends in (as `resolvePeriod` names quarters). Null for a malformed name.
 */
export function quarterBounds(label: string, calendar: CalendarSettings): { start: Date; end: Date } | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const firstYear = calendar.fiscalYearStartMonth === 1 ? year : year - 1;
  const monthIndex = firstYear * 12 + (calendar.fiscalYearStartMonth - 1) + (quarter - 1) * 3;
  const start = localMidnight(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1, calendar.timeZone);
  const end = localMidnight(Math.floor((monthIndex + 3) / 12), ((monthIndex + 3) % 12) + 1, 1, calendar.timeZone);
  return { start, end };
}
