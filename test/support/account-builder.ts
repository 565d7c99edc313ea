/**
 * Builds Stripe wire objects with realistic defaults, so each test states only what matters
 * to it. Objects come out fully expanded, the way account files store them.
 */
import type {
  StripeAccountFile,
  WireCoupon,
  WireDiscount,
  WirePrice,
  WireProduct,
  WireSubscription,
  WireSubscriptionItem,
  WireSubscriptionStatus,
  WireTier,
} from '../../src/sources/stripe/wire.js';

/** 2026-11-16T00:00:00Z */
export const AS_OF = 1_794_787_200;

let sequence = 0;
const nextId = (prefix: string) => `${prefix}_${(++sequence).toString(36).padStart(8, '0')}T`;

export function product(name: string, overrides: Partial<WireProduct> = {}): WireProduct {
  return { id: nextId('prod'), object: 'product', name, active: true, created: AS_OF - 400 * 86_400, livemode: false, metadata: {}, ...overrides };
}

export interface PriceSpec {
  unitAmount?: number | null;
  unitAmountDecimal?: string;
  currency?: string;
  interval?: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  usageType?: 'licensed' | 'metered';
  oneTime?: boolean;
  active?: boolean;
  tiers?: { mode: 'graduated' | 'volume'; tiers: Array<Partial<WireTier> & { up_to: number | null }> };
  transformQuantity?: { divide_by: number; round: 'up' | 'down' };
}

export function price(of: WireProduct, spec: PriceSpec): WirePrice {
  const tiered = spec.tiers !== undefined;
  const unitAmount = tiered ? null : (spec.unitAmount ?? null);
  return {
    id: nextId('price'),
    object: 'price',
    active: spec.active ?? true,
    currency: spec.currency ?? 'usd',
    product: of.id,
    type: spec.oneTime ? 'one_time' : 'recurring',
    recurring: spec.oneTime
      ? null
      : { interval: spec.interval ?? 'month', interval_count: spec.intervalCount ?? 1, usage_type: spec.usageType ?? 'licensed', meter: null },
    billing_scheme: tiered ? 'tiered' : 'per_unit',
    tiers_mode: tiered ? spec.tiers!.mode : null,
    ...(tiered
      ? {
          tiers: spec.tiers!.tiers.map((tier) => ({
            up_to: tier.up_to,
            unit_amount: tier.unit_amount ?? null,
            unit_amount_decimal: tier.unit_amount_decimal ?? (tier.unit_amount == null ? null : String(tier.unit_amount)),
            flat_amount: tier.flat_amount ?? null,
            flat_amount_decimal: tier.flat_amount_decimal ?? (tier.flat_amount == null ? null : String(tier.flat_amount)),
          })),
        }
      : {}),
    unit_amount: unitAmount,
    unit_amount_decimal: spec.unitAmountDecimal ?? (unitAmount === null ? null : String(unitAmount)),
    transform_quantity: spec.transformQuantity ?? null,
    nickname: null,
    created: AS_OF - 300 * 86_400,
    livemode: false,
    metadata: {},
  };
}

export interface CouponSpec {
  id?: string;
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  duration?: 'forever' | 'once' | 'repeating';
  months?: number;
  appliesTo?: string[];
  deleted?: boolean;
}

export function coupon(spec: CouponSpec): WireCoupon & { deleted?: boolean } {
  return {
    id: spec.id ?? nextId('co'),
    object: 'coupon',
    percent_off: spec.percentOff ?? null,
    amount_off: spec.amountOff ?? null,
    currency: spec.amountOff !== undefined ? (spec.currency ?? 'usd') : null,
    duration: spec.duration ?? 'forever',
    duration_in_months: spec.duration === 'repeating' ? (spec.months ?? 3) : null,
    ...(spec.appliesTo ? { applies_to: { products: spec.appliesTo } } : { applies_to: { products: [] as string[] } }),
    valid: !spec.deleted,
    name: null,
    created: AS_OF - 200 * 86_400,
    livemode: false,
    metadata: {},
    ...(spec.deleted ? { deleted: true } : {}),
  };
}

/** Stripe's `applies_to.products` is an empty list for unrestricted coupons. */
export function discount(of: WireCoupon, end: number | null = null): WireDiscount {
  return {
    id: nextId('di'),
    object: 'discount',
    source: { type: 'coupon', coupon: of },
    start: AS_OF - 100 * 86_400,
    end,
    customer: null,
    subscription: null,
    subscription_item: null,
    promotion_code: null,
  };
}

export interface ItemSpec {
  price: WirePrice;
  quantity?: number | null;
  discounts?: WireDiscount[];
}

export interface SubscriptionSpec {
  status?: WireSubscriptionStatus;
  currency?: string;
  customer?: string;
  created?: number;
  /** Stripe fills `cancel_at` with the period end when `cancel_at_period_end` is set. */
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  /** For `trialing` subscriptions: when the trial ends. */
  trialEnd?: number | null;
  /** Every item's `current_period_end` (default: 20 days after AS_OF). */
  periodEnd?: number;
  items: ItemSpec[];
  discounts?: WireDiscount[];
}

export function subscription(spec: SubscriptionSpec): WireSubscription {
  const id = nextId('sub');
  const created = spec.created ?? AS_OF - 50 * 86_400;
  const items: WireSubscriptionItem[] = spec.items.map((item) => ({
    id: nextId('si'),
    object: 'subscription_item',
    price: item.price,
    ...(item.quantity === null ? {} : { quantity: item.quantity ?? 1 }),
    discounts: item.discounts ?? [],
    subscription: id,
    current_period_start: AS_OF - 10 * 86_400,
    current_period_end: spec.periodEnd ?? AS_OF + 20 * 86_400,
    created,
    metadata: {},
  }));
  return {
    id,
    object: 'subscription',
    customer: spec.customer ?? nextId('cus'),
    status: spec.status ?? 'active',
    currency: spec.currency ?? 'usd',
    created,
    start_date: created,
    trial_start: spec.trialEnd ? created : null,
    trial_end: spec.trialEnd ?? null,
    cancel_at: spec.cancelAt !== undefined ? spec.cancelAt : spec.cancelAtPeriodEnd ? (spec.periodEnd ?? AS_OF + 20 * 86_400) : null,
    cancel_at_period_end: spec.cancelAtPeriodEnd ?? false,
    canceled_at: spec.cancelAtPeriodEnd || spec.cancelAt ? AS_OF - 86_400 : null,
    ended_at: null,
    livemode: false,
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    discounts: spec.discounts ?? [],
    metadata: {},
  };
}

export function account(parts: {
  products: WireProduct[];
  prices: WirePrice[];
  coupons?: WireCoupon[];
  subscriptions: WireSubscription[];
}): StripeAccountFile {
  return {
    object: 'kpi.stripe_account',
    version: 1,
    as_of: AS_OF,
    livemode: false,
    products: parts.products,
    prices: parts.prices,
    coupons: parts.coupons ?? [],
    customers: [],
    subscriptions: parts.subscriptions,
  };
}
