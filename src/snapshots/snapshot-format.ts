/**
 * A snapshot: what the calculations need from a Stripe account at one moment, and
 * nothing else. Objects keep Stripe's wire shape (so snapshots go through the same
 * mapping as live data) but only the fields kpi reads: no customer names, emails,
 * addresses, payment details or metadata; customers appear as ids only.
 */
import { createHash } from 'node:crypto';
import type { WireCoupon, WireDiscount, WirePrice, WireProduct, WireSubscription, WireSubscriptionItem } from '../sources/stripe/wire.js';

export const SNAPSHOT_OBJECT = 'kpi.snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotFile {
  object: typeof SNAPSHOT_OBJECT;
  version: typeof SNAPSHOT_VERSION;
  /** Unix seconds when the data was read. */
  taken_at: number;
  /** Where it was read from, e.g. "Stripe (live mode)". */
  source: string;
  livemode: boolean;
  /**
   * The Stripe account: its id (`acct_...`) when the key may read it, else its
   * fingerprint. Missing in snapshots written before kpi recorded it.
   */
  account?: string;
  /** Always written next to `account`, so snapshots taken with either kind of key compare. */
  account_fingerprint?: string | null;
  /**
   * With `reporting.rates: ecb`: the whole ECB publication in force when the snapshot was
   * taken, so the snapshot's figures in the reporting currency never change later.
   */
  exchange_rates?: PinnedRates;
  products: WireProduct[];
  /** Every price, active or archived, with tiers and currency options. */
  prices: WirePrice[];
  /** The coupons Stripe lists (deleted ones live on only inside discounts). */
  coupons: WireCoupon[];
  /** Subscriptions of every status, so lifecycles (churn, win-backs) can be told later. */
  subscriptions: WireSubscription[];
}

/** ECB reference rates as a snapshot pins them: units of each currency one euro buys, decimal text. */
export interface PinnedRates {
  source: 'ecb';
  /** The business day the rates were published for, YYYY-MM-DD. */
  date: string;
  per_eur: Record<string, string>;
}

export const FINGERPRINT_PREFIX = 'fp_';

/**
 * Names an account without `GET /v1/account` (which restricted keys may not call): a hash
 * of the id of its oldest price. Stripe never deletes prices (they are only archived) and
 * a snapshot keeps every price, so the fingerprint stays the same for the life of the
 * account, and test and live mode differ. `fp_` marks it as no Stripe id. Null for an
 * account without prices.
 */
export function accountFingerprint(prices: ReadonlyArray<{ id: string; created?: number }>): string | null {
  const created = (price: { created?: number }) => price.created ?? Number.POSITIVE_INFINITY;
  const oldest = [...prices].sort((a, b) => created(a) - created(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
  if (!oldest) return null;
  return FINGERPRINT_PREFIX + createHash('sha256').update(`kpi account fingerprint\n${oldest.id}`).digest('hex').slice(0, 16);
}

/** The wire fields kpi reads, per object; everything else is left out of a snapshot. */
export function minimiseProduct(product: WireProduct): WireProduct {
  return { id: product.id, object: 'product', name: product.name, active: product.active, created: product.created };
}

export function minimisePrice(price: WirePrice): WirePrice {
  return {
    id: price.id,
    object: 'price',
    active: price.active,
    currency: price.currency,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    type: price.type,
    recurring: price.recurring
      ? { interval: price.recurring.interval, interval_count: price.recurring.interval_count, usage_type: price.recurring.usage_type }
      : null,
    billing_scheme: price.billing_scheme,
    tiers_mode: price.tiers_mode,
    ...(price.tiers
      ? {
          tiers: price.tiers.map((tier) => ({
            up_to: tier.up_to,
            unit_amount: tier.unit_amount,
            unit_amount_decimal: decimalText(tier.unit_amount_decimal),
            flat_amount: tier.flat_amount,
            flat_amount_decimal: decimalText(tier.flat_amount_decimal),
          })),
        }
      : {}),
    unit_amount: price.unit_amount,
    unit_amount_decimal: decimalText(price.unit_amount_decimal),
    transform_quantity: price.transform_quantity ? { divide_by: price.transform_quantity.divide_by, round: price.transform_quantity.round } : null,
    ...(price.currency_options
      ? {
          currency_options: Object.fromEntries(
            Object.entries(price.currency_options).map(([currency, option]) => [
              currency,
              {
                unit_amount: option.unit_amount,
                unit_amount_decimal: decimalText(option.unit_amount_decimal),
                ...(option.tiers ? { tiers: option.tiers.map((tier) => ({ ...tier, unit_amount_decimal: decimalText(tier.unit_amount_decimal), flat_amount_decimal: decimalText(tier.flat_amount_decimal) })) } : {}),
              },
            ]),
          ),
        }
      : {}),
    created: price.created,
  };
}

export function minimiseCoupon(coupon: WireCoupon): WireCoupon {
  return {
    id: coupon.id,
    object: 'coupon',
    percent_off: coupon.percent_off,
    amount_off: coupon.amount_off,
    currency: coupon.currency,
    ...(coupon.currency_options ? { currency_options: structuredClone(coupon.currency_options) } : {}),
    duration: coupon.duration,
    duration_in_months: coupon.duration_in_months,
    ...(coupon.applies_to ? { applies_to: { products: [...coupon.applies_to.products] } } : {}),
    valid: coupon.valid,
  };
}

/**
 * @param listedCoupons coupons the snapshot keeps in its coupon list: discounts refer to
 *   them by id; others (deleted in Stripe) stay embedded, as the API gives them.
 */
export function minimiseSubscription(subscription: WireSubscription, listedCoupons: ReadonlySet<string>): WireSubscription {
  const discount = (entry: string | WireDiscount) => minimiseDiscount(entry, listedCoupons);
  return {
    id: subscription.id,
    object: 'subscription',
    customer: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    currency: subscription.currency,
    created: subscription.created,
    start_date: subscription.start_date,
    trial_start: subscription.trial_start ?? null,
    trial_end: subscription.trial_end ?? null,
    cancel_at: subscription.cancel_at ?? null,
    // Stripe's churn setting reads it (kpi mrr's Stripe column): a subscription set to end.
    cancel_at_period_end: subscription.cancel_at_period_end === true,
    canceled_at: subscription.canceled_at ?? null,
    ended_at: subscription.ended_at ?? null,
    items: {
      object: 'list',
      data: subscription.items.data.map((item) => minimiseItem(item, discount)),
      has_more: false,
      url: subscription.items.url,
    },
    discounts: subscription.discounts.map(discount),
  };
}

function minimiseItem(item: WireSubscriptionItem, discount: (entry: string | WireDiscount) => string | WireDiscount): WireSubscriptionItem {
  return {
    id: item.id,
    object: 'subscription_item',
    // Only the id: the price itself is in the snapshot's price list.
    price: { id: item.price.id } as WirePrice,
    ...(item.quantity === undefined ? {} : { quantity: item.quantity }),
    discounts: item.discounts.map(discount),
    subscription: item.subscription,
    current_period_start: item.current_period_start,
    current_period_end: item.current_period_end,
    created: item.created,
  };
}

function minimiseDiscount(discount: string | WireDiscount, listedCoupons: ReadonlySet<string>): string | WireDiscount {
  if (typeof discount === 'string') return discount;
  const coupon = discount.source.coupon;
  const kept = coupon === null || typeof coupon === 'string' ? coupon : listedCoupons.has(coupon.id) ? coupon.id : minimiseCoupon(coupon);
  return {
    id: discount.id,
    object: 'discount',
    source: { type: 'coupon', coupon: kept },
    start: discount.start,
    end: discount.end,
    // Who the discount belongs to is already known from where it sits.
    customer: null,
    subscription: null,
    subscription_item: null,
  };
}

/** The SDK hands decimals over as `Stripe.Decimal` objects; a snapshot keeps Stripe's string form. */
function decimalText(value: WirePrice['unit_amount_decimal'] | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
