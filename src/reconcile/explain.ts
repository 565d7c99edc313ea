import { formatMajorUnits } from '../money/currency.js';
import type { Cause, ReconciliationLine } from './compare.js';
import type { CouponFact, SubscriptionFact } from './customer-figures.js';

/** One sentence per customer from kpi's causes, then the subscriptions kpi read for it. */
export function explainLine(line: ReconciliationLine): string {
  const causes = line.causes.map((cause) => describeCause(cause, line));
  const subscriptions = line.subscriptions.map(describeSubscription);
  const parts = [...causes];
  if (subscriptions.length > 0) parts.push(`kpi: ${subscriptions.join('; ')}`);
  return parts.join('; ') || 'no cause kpi can see (compare the subscriptions in Stripe)';
}

function describeCause(cause: Cause, line: ReconciliationLine): string {
  const on = cause.subscription ? ` on ${cause.subscription}` : '';
  switch (cause.kind) {
    case 'not_on_list':
      return 'not on the list (Stripe drops a subscription set to cancel when it counts churn at cancellation)';
    case 'not_in_account':
      return 'kpi read no subscription of this customer (another account or mode, or a status kpi does not read)';
    case 'status_not_counted':
      return `${cause.subscription} is ${cause.detail}, a status kpi does not count`;
    case 'other_currency':
      return `kpi counts this customer in ${cause.detail.toUpperCase()}, not ${line.currency.toUpperCase()} (does the list convert currencies?)`;
    case 'coupon_not_subtracted':
      return `coupon ${describeCoupon(cause, line)}${on} not subtracted by kpi's settings (Stripe's are to subtract ${durationWord(cause, line)} discounts?)`;
    case 'coupon_subtracted':
      return `coupon ${describeCoupon(cause, line)}${on} subtracted by kpi's settings (Stripe's are to keep ${durationWord(cause, line)} discounts?)`;
    case 'list_price_rule':
      return `the handbook's list-price rule ignores coupon ${cause.detail}${on}; Stripe subtracts it`;
    case 'outside_tiers':
      return `${cause.detail}${on} outside the configured tiers: the handbook figure leaves it out, Stripe counts it`;
    case 'metered_items':
      return `metered (usage-based) ${cause.detail}${on} left out, as Stripe's MRR leaves it out`;
  }
}

function couponOf(cause: Cause, line: ReconciliationLine): CouponFact | undefined {
  return line.subscriptions.find((subscription) => subscription.id === cause.subscription)?.coupons.find((coupon) => coupon.id === cause.detail);
}

function durationWord(cause: Cause, line: ReconciliationLine): string {
  return couponOf(cause, line)?.duration === 'once' ? 'one-time' : 'repeating';
}

function describeCoupon(cause: Cause, line: ReconciliationLine): string {
  const coupon = couponOf(cause, line);
  if (!coupon) return cause.detail;
  const terms = [coupon.percentOff ? `${coupon.percentOff} % off` : 'amount off'];
  terms.push(coupon.duration === 'repeating' ? `repeating ${coupon.durationInMonths ?? '?'} months` : coupon.duration);
  if (coupon.end !== null) terms.push(`ends ${new Date(coupon.end * 1000).toISOString().slice(0, 10)}`);
  return `${coupon.id} (${terms.join(', ')})`;
}

function describeSubscription(subscription: SubscriptionFact): string {
  const intervals = subscription.intervals.join('/') || 'no recurring item';
  const figure = subscription.counted ? `${formatMajorUnits(subscription.mrr.roundHalfUp(), subscription.currency)} ${subscription.currency.toUpperCase()}` : 'not counted';
  return `${subscription.id} (${subscription.status}, ${intervals}, ${figure})`;
}
