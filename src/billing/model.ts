/**
 * The billing data the rules work on: plain values, no Stripe SDK, no I/O.
 * Sources (the Stripe API, the bundled demo, later snapshots) map their data into these
 * shapes; the rules in `../rules/` only ever see them.
 */
import type { Rational } from '../money/rational.js';

export const SUBSCRIPTION_STATUSES = [
  'active',
  'past_due',
  'trialing',
  'incomplete',
  'incomplete_expired',
  'unpaid',
  'canceled',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export type BillingInterval = 'day' | 'week' | 'month' | 'year';

export interface Product {
  id: string;
  name: string;
  /** Archived products are inactive but their existing subscriptions still bill. */
  active: boolean;
}

export interface Recurrence {
  interval: BillingInterval;
  intervalCount: number;
  usageType: 'licensed' | 'metered';
}

export interface PriceTier {
  /** Inclusive upper bound in units; null for the last, open-ended tier. */
  upTo: number | null;
  /** Per-unit amount in minor units (may be fractional: `unit_amount_decimal`). */
  unitAmount: Rational;
  /** Flat amount for reaching this tier, in minor units. */
  flatAmount: Rational;
}

export type PriceScheme =
  | {
      kind: 'per_unit';
      /** In minor units; may be fractional (`unit_amount_decimal`). */
      unitAmount: Rational;
      transformQuantity: { divideBy: number; round: 'up' | 'down' } | null;
    }
  | { kind: 'tiered'; mode: 'graduated' | 'volume'; tiers: PriceTier[] };

export interface Price {
  id: string;
  productId: string;
  currency: string;
  active: boolean;
  /** null for one-time prices, which never count as recurring revenue. */
  recurrence: Recurrence | null;
  scheme: PriceScheme;
  /** Amounts in other currencies (Stripe's `currency_options`), used by subscriptions billed in them. */
  currencyOptions: ReadonlyMap<string, PriceScheme>;
}

export type CouponDuration = 'forever' | 'once' | 'repeating';

export interface Coupon {
  id: string;
  name: string | null;
  percentOff: Rational | null;
  /** Amount off in minor units, per currency (the coupon's own currency plus `currency_options`). */
  amountOff: ReadonlyMap<string, bigint>;
  duration: CouponDuration;
  durationInMonths: number | null;
  /** Product ids the coupon is limited to; null when it applies to every product. */
  appliesToProducts: readonly string[] | null;
  /**
   * False when the coupon was only seen embedded in a discount (a deleted coupon no longer
   * appears in the coupon list), so its product restriction could not be read.
   */
  restrictionKnown: boolean;
}

export interface Discount {
  id: string;
  coupon: Coupon;
  /** Unix seconds; null for discounts that never end. */
  end: number | null;
}

export interface SubscriptionItem {
  id: string;
  price: Price;
  /** Stripe's quantity is optional on items; absent means 1 for licensed prices. */
  quantity: number | null;
  discounts: Discount[];
}

/** Objects by id; a source may value one only when it is first asked for it. */
export interface Lookup<T> {
  get(id: string): T | undefined;
}

/** What a price is for, without its amounts: enough to tell which currencies a product sells in. */
export interface PriceListing {
  productId: string;
  currency: string;
  recurring: boolean;
}

/**
 * Prices and coupons by id: what subscriptions refer to. Looking one up may fail with a
 * data error when Stripe's object cannot be valued; objects no subscription asks for are
 * never valued, so a broken price kpi does not count cannot stop a run.
 */
export interface PricingCatalog {
  prices: Lookup<Price>;
  priceListings: readonly PriceListing[];
  coupons: Lookup<Coupon>;
}

export interface Subscription {
  id: string;
  customerId: string;
  status: SubscriptionStatus;
  currency: string;
  created: number;
  /**
   * Set to end (Stripe's `cancel_at_period_end`): the subscription still bills until its
   * period ends. Stripe also fills `cancel_at` with that period end.
   */
  cancelAtPeriodEnd: boolean;
  /** Unix seconds at which Stripe will cancel the subscription (`cancel_at`); null when none is scheduled. */
  cancelAt: number | null;
  /** Unix seconds a trial ends (`trial_end`); null or absent when there is none or the source does not carry it. */
  trialEnd?: number | null;
  /**
   * Unix seconds the current billing period ends: the latest of the items'
   * `current_period_end`. What a `cancel_at_period_end` subscription ends at when Stripe
   * left `cancel_at` empty; absent when the source does not carry it.
   */
  currentPeriodEnd?: number | null;
  items: SubscriptionItem[];
  discounts: Discount[];
}
