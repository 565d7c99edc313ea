/**
 * Stripe objects as they travel over the wire (JSON), limited to the fields kpi reads.
 *
 * Why not the SDK's own types: the SDK turns `*_decimal` strings into `Stripe.Decimal`
 * objects and types expandable fields as unions, while fixture files and snapshots hold
 * plain JSON. These interfaces describe both; the mapper in `map.ts` accepts either.
 * Field names and nesting follow Stripe API version 2026-10-28 (discount coupons under
 * `source.coupon`, billing periods on items, `discounts` arrays instead of `discount`).
 */

/** A decimal as Stripe sends it: a string on the wire, a `Stripe.Decimal` through the SDK. */
export type WireDecimal = string | number | { toString(): string };

export interface WireList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface WireProduct {
  id: string;
  object: 'product';
  name: string;
  active: boolean;
  created: number;
  livemode?: boolean;
  [key: string]: unknown;
}

export interface WireTier {
  up_to: number | null;
  unit_amount: number | null;
  unit_amount_decimal: WireDecimal | null;
  flat_amount: number | null;
  flat_amount_decimal: WireDecimal | null;
}

export interface WireRecurring {
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count: number;
  usage_type: 'licensed' | 'metered';
  meter?: string | null;
}

export interface WirePrice {
  id: string;
  object: 'price';
  active: boolean;
  currency: string;
  product: string | WireProduct;
  type: 'recurring' | 'one_time';
  recurring: WireRecurring | null;
  billing_scheme: 'per_unit' | 'tiered';
  tiers_mode: 'graduated' | 'volume' | null;
  /** Only present when expanded (`expand: ['data.tiers']`). */
  tiers?: WireTier[];
  unit_amount: number | null;
  unit_amount_decimal: WireDecimal | null;
  transform_quantity: { divide_by: number; round: 'up' | 'down' } | null;
  /**
   * Only present when expanded (`expand: ['data.currency_options']`); each currency's
   * `tiers` only when that currency is named (`currency_options.eur.tiers`).
   */
  currency_options?: Record<string, { unit_amount: number | null; unit_amount_decimal: WireDecimal | null; tiers?: WireTier[] }>;
  nickname?: string | null;
  created: number;
  [key: string]: unknown;
}

export interface WireCoupon {
  id: string;
  object: 'coupon';
  percent_off: number | null;
  amount_off: number | null;
  currency: string | null;
  /** Only present when expanded (`expand: ['data.currency_options']`). */
  currency_options?: Record<string, { amount_off: number }>;
  duration: 'forever' | 'once' | 'repeating';
  duration_in_months: number | null;
  /** Only present when expanded (`expand: ['data.applies_to']`). */
  applies_to?: { products: string[] };
  valid: boolean;
  name?: string | null;
  [key: string]: unknown;
}

export interface WireDiscount {
  id: string;
  object: 'discount';
  source: { type: 'coupon'; coupon: string | WireCoupon | null };
  start: number;
  end: number | null;
  customer: string | null;
  subscription: string | null;
  subscription_item: string | null;
  promotion_code?: string | null;
  [key: string]: unknown;
}

export interface WireSubscriptionItem {
  id: string;
  object: 'subscription_item';
  price: WirePrice;
  quantity?: number;
  /** Discount ids, or Discount objects when expanded. */
  discounts: Array<string | WireDiscount>;
  subscription: string;
  current_period_start: number;
  current_period_end: number;
  created: number;
  [key: string]: unknown;
}

export type WireSubscriptionStatus =
  | 'active'
  | 'past_due'
  | 'trialing'
  | 'incomplete'
  | 'incomplete_expired'
  | 'unpaid'
  | 'canceled'
  | 'paused';

export interface WireSubscription {
  id: string;
  object: 'subscription';
  customer: string | { id: string; [key: string]: unknown };
  status: WireSubscriptionStatus;
  currency: string;
  created: number;
  start_date: number;
  trial_start: number | null;
  trial_end: number | null;
  cancel_at: number | null;
  /** Always sent by Stripe; older snapshots left it out (then `cancel_at` alone tells). */
  cancel_at_period_end?: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  livemode?: boolean;
  items: WireList<WireSubscriptionItem>;
  /** Discount ids, or Discount objects when expanded. */
  discounts: Array<string | WireDiscount>;
  [key: string]: unknown;
}

export interface WireCustomer {
  id: string;
  object: 'customer';
  [key: string]: unknown;
}

/**
 * A whole (fictional or recorded) Stripe account in one JSON file: the bundled demo and
 * the test fixtures. Objects are stored fully expanded: prices carry `tiers`, coupons
 * carry `applies_to`, discounts carry their coupon object, items carry their discounts.
 * The test server strips what a request did not expand; the demo source reads it as is.
 */
export interface StripeAccountFile {
  object: 'kpi.stripe_account';
  version: 1;
  /** Unix seconds: the moment the account data describes (the demo's "now"). */
  as_of: number;
  livemode: boolean;
  products: WireProduct[];
  prices: WirePrice[];
  coupons: WireCoupon[];
  customers: WireCustomer[];
  subscriptions: WireSubscription[];
}
