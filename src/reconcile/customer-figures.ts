import type { CouponDuration, Recurrence, Subscription, SubscriptionStatus } from '../billing/model.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import type { ChurnTiming, KpiConfig } from '../config/schema.js';
import { formatMajorUnits } from '../money/currency.js';
import { percentText, Rational } from '../money/rational.js';
import { stripeCountsSubscription } from '../rules/difference-causes.js';
import { discountCounts, type DiscountPolicy } from '../rules/discounts.js';
import { evaluateSubscription } from '../rules/subscription-mrr.js';
import { customerKey } from './external-list.js';

/**
 * What kpi compares with the list: `stripe` is its Stripe-definition figure over every
 * recurring product of the account (what Stripe's export holds); `handbook` is the
 * configured self-service tiers by their own rules.
 */
export type ReconcileMeasure = 'stripe' | 'handbook';

/** Which discounts the Stripe-definition figure subtracts: Stripe's settings as `stripe_settings:` mirrors them. */
function stripeDefinitionPolicy(config: KpiConfig, asOf: number): DiscountPolicy {
  return { countRepeating: config.stripeSettings.countRepeating, countOnce: config.stripeSettings.countOnce, asOf };
}

function handbookPolicy(config: KpiConfig, asOf: number): DiscountPolicy {
  return { ...config.discounts, asOf };
}

/** The settings a measure values subscriptions by; `churn` is null for the handbook, which counts a subscription until it ends. */
export function measureSettings(config: KpiConfig, measure: ReconcileMeasure, asOf: number): Pick<CustomerFigureContext, 'policy' | 'churn'> {
  return measure === 'stripe'
    ? { policy: stripeDefinitionPolicy(config, asOf), churn: config.stripeSettings.churn }
    : { policy: handbookPolicy(config, asOf), churn: null };
}

export interface CouponFact {
  id: string;
  duration: CouponDuration;
  durationInMonths: number | null;
  /** "12.5" for 12.5 % off; null for an amount-off coupon. */
  percentOff: string | null;
  /** Unix seconds the discount ends, or null. */
  end: number | null;
  /** Whether kpi's measure subtracted it. */
  subtracted: boolean;
  /** The config setting that decided it ("stripe_settings.subtract_repeating"); null for a forever coupon, always subtracted. */
  setting: string | null;
}

/** One subscription of a customer, as kpi valued it: the facts an explanation is made of. */
export interface SubscriptionFact {
  id: string;
  status: SubscriptionStatus;
  /** Whether kpi's measure counts it: a counted status, and not dropped as set to end. */
  counted: boolean;
  /** Set to end (`cancel_at_period_end`, or a `cancel_at`): when, in unix seconds (null when only the period end is known). */
  setToEnd: { at: number | null; atPeriodEnd: boolean } | null;
  /** Left out only because it is set to end and the Stripe settings count churn at cancellation. */
  droppedAsSetToEnd: boolean;
  currency: string;
  intervals: string[];
  coupons: CouponFact[];
  meteredProducts: string[];
  /** Licensed recurring products outside the configured self-service tiers (names). */
  outsideTiers: string[];
  /** Handbook measure: items a `list-price` tier valued above what Stripe's definition does. */
  listPriceRule: boolean;
  /** kpi's exact monthly figure for it in minor units (zero when not counted). */
  mrr: Rational;
}

export interface KpiCustomer {
  customerId: string;
  currency: string;
  /** Exact, before rounding. */
  mrr: Rational;
  subscriptions: SubscriptionFact[];
}

export interface CustomerFigureContext {
  measure: ReconcileMeasure;
  layout: TierLayout;
  policy: DiscountPolicy;
  /** Stripe's churn setting for the Stripe measure; null for the handbook measure. */
  churn: ChurnTiming | null;
  countedStatuses: readonly SubscriptionStatus[];
  productName: (productId: string) => string;
}

/**
 * Adds subscriptions up per customer and currency, keeping for each subscription what
 * explains its figure. Subscriptions in statuses the configuration does not count are kept
 * (at zero) so a customer on the list but not in kpi's figure can be explained.
 */
export class CustomerFigures {
  readonly customers = new Map<string, KpiCustomer>();

  constructor(private readonly context: CustomerFigureContext) {}

  add(subscription: Subscription): void {
    const fact = subscriptionFact(subscription, this.context);
    const key = customerKey(subscription.customerId, subscription.currency);
    const customer = this.customers.get(key) ?? { customerId: subscription.customerId, currency: subscription.currency, mrr: Rational.ZERO, subscriptions: [] };
    customer.mrr = customer.mrr.plus(fact.mrr);
    customer.subscriptions.push(fact);
    this.customers.set(key, customer);
  }
}

function subscriptionFact(subscription: Subscription, context: CustomerFigureContext): SubscriptionFact {
  const droppedAsSetToEnd = context.churn !== null && !stripeCountsSubscription(subscription, context.churn);
  const counted = context.countedStatuses.includes(subscription.status) && !droppedAsSetToEnd;
  const evaluation = evaluateSubscription(subscription, context.policy);
  let mrr = Rational.ZERO;
  let listPriceRule = false;
  const outsideTiers = new Set<string>();
  for (const item of evaluation.items) {
    const position = context.layout.locate(item.productId);
    if (!position) outsideTiers.add(context.productName(item.productId));
    if (context.measure === 'stripe') {
      mrr = mrr.plus(item.billed);
      continue;
    }
    if (!position) continue;
    const listPrice = context.layout.tiers[position.tierIndex]?.rule === 'list-price';
    if (listPrice && item.listPrice.compare(item.billed) > 0) listPriceRule = true;
    mrr = mrr.plus(listPrice ? item.listPrice : item.billed);
  }
  const discounts = [...subscription.discounts, ...subscription.items.flatMap((item) => item.discounts)];
  const seen = new Set<string>();
  const coupons = discounts.flatMap((discount): CouponFact[] => {
    if (seen.has(discount.id)) return [];
    seen.add(discount.id);
    const coupon = discount.coupon;
    return [
      {
        id: coupon.id,
        duration: coupon.duration,
        durationInMonths: coupon.durationInMonths,
        percentOff: coupon.percentOff ? percentText(coupon.percentOff) : null,
        end: discount.end,
        subtracted: discountCounts(discount, context.policy),
        setting: coupon.duration === 'forever' ? null : discountSetting(context.measure, coupon.duration),
      },
    ];
  });
  const recurring = subscription.items.map((item) => item.price.recurrence).filter((recurrence): recurrence is Recurrence => recurrence !== null);
  return {
    id: subscription.id,
    status: subscription.status,
    counted,
    setToEnd: subscription.cancelAtPeriodEnd || subscription.cancelAt !== null ? { at: subscription.cancelAt, atPeriodEnd: subscription.cancelAtPeriodEnd } : null,
    droppedAsSetToEnd,
    currency: subscription.currency,
    intervals: [...new Set(recurring.map(describeInterval))],
    coupons,
    meteredProducts: [...new Set(evaluation.meteredItems.map((item) => context.productName(item.price.productId)))],
    outsideTiers: [...outsideTiers],
    listPriceRule,
    mrr: counted ? mrr : Rational.ZERO,
  };
}

function discountSetting(measure: ReconcileMeasure, duration: 'once' | 'repeating'): string {
  return measure === 'stripe' ? `stripe_settings.subtract_${duration}` : `discounts.count_${duration}`;
}

function describeInterval(recurrence: Recurrence): string {
  const names = { day: 'daily', week: 'weekly', month: 'monthly', year: 'yearly' } as const;
  return recurrence.intervalCount === 1 ? names[recurrence.interval] : `every ${recurrence.intervalCount} ${recurrence.interval}s`;
}
