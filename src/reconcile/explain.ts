import { isoDate } from '../history/weeks.js';
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
      return 'not on the list';
    case 'not_in_account':
      return 'kpi read no subscription of this customer (another account or mode, or a status kpi does not read)';
    case 'status_not_counted':
      return `${cause.subscription} is ${cause.detail}, a status kpi does not count`;
    case 'other_currency':
      return `kpi counts this customer in ${cause.detail.toUpperCase()}, not ${line.currency.toUpperCase()} (does the list convert currencies?)`;
    case 'scheduled_to_end':
      return describeSetToEnd(cause, line);
    case 'coupon_not_subtracted':
      return `coupon ${describeCoupon(cause, line)}${on}: ${settingsIn(cause)} keep it${line.difference > 0n ? `; the list subtracted it: ${advice(cause)}` : ''}`;
    case 'coupon_subtracted':
      return `coupon ${describeCoupon(cause, line)}${on}: ${settingsIn(cause)} subtract it${line.difference < 0n ? `; the list kept it: ${advice(cause)}` : ''}`;
    case 'list_price_rule':
      return `the handbook's list-price rule ignores coupon ${cause.detail}${on}; Stripe subtracts it`;
    case 'outside_tiers':
      return `${cause.detail}${on} outside the configured tiers: the handbook figure leaves it out, Stripe counts it`;
    case 'metered_items':
      return `metered (usage-based) ${cause.detail}${on} left out, as Stripe's MRR leaves it out`;
  }
}

/**
 * With the Stripe measure the setting is Stripe's churn setting, so the sentence can say
 * which value the list's account has; the handbook counts a subscription until it ends.
 */
function describeSetToEnd(cause: Cause, line: ReconciliationLine): string {
  const subscription = line.subscriptions.find((candidate) => candidate.id === cause.subscription);
  const when = subscription?.setToEnd?.atPeriodEnd ? `at period end on ${cause.detail}` : `on ${cause.detail}`;
  const start = `${cause.subscription} set to cancel ${when}`;
  if (cause.setting === null) return `${start}: the handbook figure counts it until it ends${line.difference > 0n ? "; the list left it out (Stripe's churn counted at cancellation)" : ''}`;
  if (subscription?.droppedAsSetToEnd) return `${start}: ${settingsIn(cause)} no longer count it${line.difference < 0n ? `; the list still counts it: ${advice(cause)}` : ''}`;
  return `${start}: ${settingsIn(cause)} count it until then${line.difference > 0n ? `; the list left it out: ${advice(cause)}` : ''}`;
}

/** "Stripe's settings in kpi.config (stripe_settings.subtract_repeating: false)", or the handbook rules'. */
function settingsIn(cause: Cause): string {
  const whose = cause.setting?.startsWith('stripe_settings.') ? "Stripe's settings" : 'the handbook rules';
  return `${whose} in kpi.config (${cause.setting})`;
}

/** "set subtract_repeating: true if your account does": the other value of the cause's setting. */
function advice(cause: Cause): string {
  const [path = '', value = ''] = (cause.setting ?? '').split(': ');
  const other = { true: 'false', false: 'true', at_cancellation: 'at_period_end', at_period_end: 'at_cancellation' }[value] ?? value;
  const name = path.slice(path.indexOf('.') + 1);
  return path.startsWith('stripe_settings.') ? `set ${name}: ${other} if your account does` : 'compare with --measure stripe, which follows stripe_settings';
}

function couponOf(cause: Cause, line: ReconciliationLine): CouponFact | undefined {
  return line.subscriptions.find((subscription) => subscription.id === cause.subscription)?.coupons.find((coupon) => coupon.id === cause.detail);
}

function describeCoupon(cause: Cause, line: ReconciliationLine): string {
  const coupon = couponOf(cause, line);
  if (!coupon) return cause.detail;
  const terms = [coupon.percentOff ? `${coupon.percentOff} % off` : 'amount off'];
  terms.push(coupon.duration === 'repeating' ? `repeating ${coupon.durationInMonths ?? '?'} months` : coupon.duration);
  if (coupon.end !== null) terms.push(`ends ${isoDate(coupon.end)}`);
  return `${coupon.id} (${terms.join(', ')})`;
}

function describeSubscription(subscription: SubscriptionFact): string {
  const intervals = subscription.intervals.join('/') || 'no recurring item';
  const figure = subscription.droppedAsSetToEnd ? 'set to end, not counted' : subscription.counted ? `${formatMajorUnits(subscription.mrr.roundHalfUp(), subscription.currency)} ${subscription.currency.toUpperCase()}` : 'not counted';
  return `${subscription.id} (${subscription.status}, ${intervals}, ${figure})`;
}
