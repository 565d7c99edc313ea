import { Rational } from '../money/rational.js';
import type { Recurrence } from '../billing/model.js';

/**
 * The factor that turns one billing period's amount into a monthly amount.
 *
 * Stripe documents "yearly / 12" only; for the rest we use the usual calendar averages
 * (52 weeks and 365 days a year) and divide by `interval_count`, so a quarterly price
 * (month x 3) counts a third of its amount each month.
 */
export function monthlyFactor(recurrence: Pick<Recurrence, 'interval' | 'intervalCount'>): Rational {
  const count = recurrence.intervalCount;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`interval_count must be a positive integer, got ${count}`);
  }
  switch (recurrence.interval) {
    case 'month':
      return Rational.of(1, count);
    case 'year':
      return Rational.of(1, 12 * count);
    case 'week':
      return Rational.of(52, 12 * count);
    case 'day':
      return Rational.of(365, 12 * count);
  }
}
