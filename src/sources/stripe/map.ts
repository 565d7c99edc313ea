/**
 * Turns Stripe's wire objects into the billing model. Both the live API reader and the
 * bundled demo account go through these functions, so they are valued identically.
 */
import { Rational } from '../../money/rational.js';
import { normaliseCurrency } from '../../money/currency.js';
import type { Coupon, Discount, Price, PriceListing, PriceScheme, PricingCatalog, Product, Subscription, SubscriptionItem } from '../../billing/model.js';
import { DataSourceError } from '../../errors.js';
import { checkWire, wireCouponSchema, wireItemSchema, wirePriceSchema, wireSubscriptionSchema } from './wire-schema.js';
import type {
  WireCoupon,
  WireDecimal,
  WireDiscount,
  WirePrice,
  WireProduct,
  WireSubscription,
  WireSubscriptionItem,
} from './wire.js';

export function mapProduct(product: WireProduct): Product {
  return { id: product.id, name: product.name, active: product.active };
}

export function mapPrice(price: WirePrice): Price {
  checkWire(wirePriceSchema, price, `price ${price.id}`);
  return {
    id: price.id,
    productId: typeof price.product === 'string' ? price.product : price.product.id,
    currency: normaliseCurrency(price.currency),
    active: price.active,
    recurrence:
      price.type === 'recurring' && price.recurring
        ? {
            interval: price.recurring.interval,
            intervalCount: price.recurring.interval_count,
            usageType: price.recurring.usage_type,
          }
        : null,
    scheme: mapScheme(price, price),
    currencyOptions: new Map(
      Object.entries(price.currency_options ?? {})
        .filter(([currency]) => normaliseCurrency(currency) !== normaliseCurrency(price.currency))
        .map(([currency, option]) => [normaliseCurrency(currency), mapScheme(price, option, currency)]),
    ),
  };
}

/** A price's product, currency and kind, read without valuing (or checking) its amounts. */
export function listPrice(price: WirePrice): PriceListing | null {
  const currency = typeof price.currency === 'string' ? price.currency.toLowerCase() : '';
  const productId = typeof price.product === 'string' ? price.product : price.product?.id;
  if (!/^[a-z]{3}$/.test(currency) || typeof productId !== 'string') return null;
  return { productId, currency, recurring: price.type === 'recurring' };
}

type WireAmounts = Pick<WirePrice, 'unit_amount' | 'unit_amount_decimal' | 'tiers'>;

function mapScheme(price: WirePrice, amounts: WireAmounts, currency?: string): PriceScheme {
  if (price.billing_scheme === 'tiered') {
    if (!amounts.tiers || amounts.tiers.length === 0) {
      throw new DataSourceError(`price ${price.id} is tiered but its tiers${currency ? ` in ${currency.toUpperCase()}` : ''} were not received`);
    }
    return {
      kind: 'tiered',
      mode: price.tiers_mode ?? 'graduated',
      tiers: amounts.tiers.map((tier) => ({
        upTo: tier.up_to,
        unitAmount: exactAmount(tier.unit_amount_decimal, tier.unit_amount),
        flatAmount: exactAmount(tier.flat_amount_decimal, tier.flat_amount),
      })),
    };
  }
  return {
    kind: 'per_unit',
    unitAmount: exactAmount(amounts.unit_amount_decimal, amounts.unit_amount),
    transformQuantity: price.transform_quantity
      ? { divideBy: price.transform_quantity.divide_by, round: price.transform_quantity.round }
      : null,
  };
}

/** The `*_decimal` field is the precise one (sub-cent prices); the integer field is its rounding. */
function exactAmount(decimal: WireDecimal | null | undefined, integer: number | null | undefined): Rational {
  if (decimal !== null && decimal !== undefined) return Rational.parseDecimal(String(decimal));
  if (integer !== null && integer !== undefined) return Rational.of(integer);
  return Rational.ZERO;
}

/**
 * @param restrictionKnown false for a coupon only seen embedded in a discount, where
 *   Stripe leaves out `applies_to` unless it is expanded.
 */
export function mapCoupon(coupon: WireCoupon, restrictionKnown = coupon.applies_to !== undefined): Coupon {
  checkWire(wireCouponSchema, coupon, `coupon ${coupon.id}`);
  const amountOff = new Map<string, bigint>();
  if (coupon.amount_off !== null && coupon.currency) amountOff.set(normaliseCurrency(coupon.currency), BigInt(coupon.amount_off));
  for (const [currency, option] of Object.entries(coupon.currency_options ?? {})) {
    if (!amountOff.has(normaliseCurrency(currency))) amountOff.set(normaliseCurrency(currency), BigInt(option.amount_off));
  }
  return {
    id: coupon.id,
    name: coupon.name ?? null,
    percentOff: coupon.percent_off === null ? null : Rational.fromNumber(coupon.percent_off),
    amountOff,
    duration: coupon.duration,
    durationInMonths: coupon.duration_in_months,
    // Expanded `applies_to.products` is an empty list for coupons without a restriction.
    appliesToProducts: coupon.applies_to && coupon.applies_to.products.length > 0 ? coupon.applies_to.products : null,
    restrictionKnown,
  };
}

export function mapSubscription(
  subscription: WireSubscription,
  items: readonly WireSubscriptionItem[],
  catalog: PricingCatalog,
): Subscription {
  const where = `subscription ${subscription.id}`;
  checkWire(wireSubscriptionSchema, subscription, where);
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    currency: normaliseCurrency(subscription.currency),
    created: subscription.created,
    cancelAtPeriodEnd: subscription.cancel_at_period_end === true,
    cancelAt: typeof subscription.cancel_at === 'number' ? subscription.cancel_at : null,
    trialEnd: typeof subscription.trial_end === 'number' ? subscription.trial_end : null,
    currentPeriodEnd: latestPeriodEnd(items),
    items: items.map((item) => mapItem(item, normaliseCurrency(subscription.currency), catalog, where)),
    discounts: subscription.discounts.map((discount) => mapDiscount(discount, catalog, where)),
  };
}

function latestPeriodEnd(items: readonly WireSubscriptionItem[]): number | null {
  const ends = items.map((item) => item.current_period_end).filter((end): end is number => typeof end === 'number');
  return ends.length > 0 ? Math.max(...ends) : null;
}

function mapItem(item: WireSubscriptionItem, currency: string, catalog: PricingCatalog, where: string): SubscriptionItem {
  const itemWhere = `${where}, item ${item.id}`;
  checkWire(wireItemSchema, item, itemWhere);
  // The catalog's copy carries tiers and currency options, which an embedded item price never does.
  const price = namingUser(itemWhere, () => catalog.prices.get(item.price.id) ?? mapPrice(item.price));
  return {
    id: item.id,
    price: inCurrency(price, currency, itemWhere),
    quantity: item.quantity ?? null,
    discounts: item.discounts.map((discount) => mapDiscount(discount, catalog, itemWhere)),
  };
}

/** A multi-currency price bills a subscription in the subscription's currency, from its `currency_options`. */
function inCurrency(price: Price, currency: string, where: string): Price {
  if (price.currency === currency) return price;
  const scheme = price.currencyOptions.get(currency);
  if (!scheme) {
    throw new DataSourceError(`${where}: price ${price.id} is in ${price.currency.toUpperCase()} and has no ${currency.toUpperCase()} amount for this ${currency.toUpperCase()} subscription`);
  }
  return { ...price, currency, scheme };
}

function mapDiscount(discount: string | WireDiscount, catalog: PricingCatalog, where: string): Discount {
  if (typeof discount === 'string') {
    throw new DataSourceError(`${where}: discount ${discount} arrived unexpanded, so its coupon is unknown`);
  }
  const source = discount.source.coupon;
  const couponId = typeof source === 'string' ? source : source?.id;
  // Prefer the listed coupon: only it carries `applies_to`. A deleted coupon is no longer
  // listed but keeps discounting its subscriptions, so fall back to the embedded copy.
  const coupon = namingUser(
    where,
    () =>
      (couponId ? catalog.coupons.get(couponId) : undefined) ??
      (source && typeof source === 'object' ? mapCoupon(source, source.applies_to !== undefined) : undefined),
  );
  if (!coupon) {
    throw new DataSourceError(
      `${where}: discount ${discount.id} refers to coupon ${couponId ?? '(none)'}, which is neither listed nor embedded (a deleted coupon on an item?)`,
      'kpi cannot value this discount; the figure would be wrong, so it stops here.',
    );
  }
  return { id: discount.id, coupon, end: discount.end };
}

/** A price or coupon that cannot be valued is named with the subscription that uses it. */
function namingUser<T>(where: string, map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof DataSourceError) throw new DataSourceError(`${where}: ${error.message}`, error.hint);
    throw error;
  }
}
