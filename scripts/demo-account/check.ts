/**
 * Self-check of a generated demo account. Throws if an invariant is broken, listing the
 * first problems found. O(N): safe to run on 100,000-subscription accounts.
 */
import type { StripeAccountFile, WireCoupon, WireDiscount, WirePrice } from '../../src/sources/stripe/wire.js';

export class DemoAccountInvariantError extends Error {
  constructor(readonly problems: string[]) {
    super(`demo account breaks ${problems.length} invariant(s):\n  - ${problems.slice(0, 20).join('\n  - ')}`);
    this.name = 'DemoAccountInvariantError';
  }
}

/** Structural equality of plain JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const key in ra) if (!(key in rb) || !jsonEqual(ra[key], rb[key])) return false;
  for (const key in rb) if (!(key in ra)) return false;
  return true;
}

function isDiscount(d: string | WireDiscount): d is WireDiscount {
  return typeof d === 'object' && d !== null;
}

export function assertDemoAccountInvariants(account: StripeAccountFile): void {
  const problems: string[] = [];
  const fail = (message: string): void => {
    if (problems.length < 1000) problems.push(message);
  };

  if (account.object !== 'kpi.stripe_account' || account.version !== 1) fail('bad envelope object/version');
  if (!Number.isInteger(account.as_of)) fail('as_of is not unix seconds');

  // Unique ids across every object kind (coupon codes included).
  const ids = new Set<string>();
  const unique = (id: string, what: string): void => {
    if (typeof id !== 'string' || id.length === 0) fail(`${what} without an id`);
    else if (ids.has(id)) fail(`duplicate id ${id} (${what})`);
    else ids.add(id);
  };

  const products = new Map<string, unknown>();
  for (const p of account.products) {
    unique(p.id, 'product');
    products.set(p.id, p);
    if (!p.id.startsWith('prod_')) fail(`product id ${p.id} is not prod_...`);
  }

  const prices = new Map<string, WirePrice>();
  for (const price of account.prices) {
    unique(price.id, 'price');
    prices.set(price.id, price);
    if (!price.id.startsWith('price_')) fail(`price id ${price.id} is not price_...`);
    if (typeof price.product !== 'string' || !products.has(price.product)) fail(`price ${price.id}: unknown product`);
    if (price.billing_scheme === 'tiered') {
      if (!Array.isArray(price.tiers) || price.tiers.length === 0) fail(`tiered price ${price.id} without tiers`);
      if (price.unit_amount !== null || price.tiers_mode === null) fail(`tiered price ${price.id}: unit_amount/tiers_mode`);
      const last = price.tiers?.[price.tiers.length - 1];
      if (last && last.up_to !== null) fail(`tiered price ${price.id}: last tier must be up_to null`);
    } else {
      if ('tiers' in price) fail(`per-unit price ${price.id} has a tiers key`);
      if (price.unit_amount === null && price.unit_amount_decimal === null) fail(`price ${price.id} has no amount`);
    }
    if ((price.type === 'one_time') !== (price.recurring === null)) fail(`price ${price.id}: type/recurring mismatch`);
    if (price.recurring?.usage_type === 'metered' && !price.recurring.meter) fail(`metered price ${price.id} without meter`);
  }

  const coupons = new Map<string, WireCoupon>();
  for (const coupon of account.coupons) {
    unique(coupon.id, 'coupon');
    coupons.set(coupon.id, coupon);
    if ((coupon.percent_off === null) === (coupon.amount_off === null)) fail(`coupon ${coupon.id}: needs exactly one of percent_off/amount_off`);
    if (coupon.amount_off !== null && !coupon.currency) fail(`coupon ${coupon.id}: amount_off without currency`);
    if ((coupon.duration === 'repeating') !== (coupon.duration_in_months !== null)) fail(`coupon ${coupon.id}: duration_in_months`);
    for (const product of coupon.applies_to?.products ?? []) {
      if (!products.has(product)) fail(`coupon ${coupon.id}: applies_to unknown product ${product}`);
    }
  }

  const customers = new Set<string>();
  for (const customer of account.customers) {
    unique(customer.id, 'customer');
    customers.add(customer.id);
    if (!customer.id.startsWith('cus_')) fail(`customer id ${customer.id} is not cus_...`);
    if (typeof customer.email !== 'string' || !customer.email.endsWith('@example.com')) fail(`customer ${customer.id}: email is not @example.com`);
  }

  const checkDiscount = (
    d: string | WireDiscount,
    where: string,
    currency: string,
    subscription: string,
    item: string | null,
    itemProduct: string | null,
  ): void => {
    if (!isDiscount(d)) return fail(`${where}: discount not expanded`);
    unique(d.id, 'discount');
    if (!d.id.startsWith('di_')) fail(`${where}: discount id ${d.id} is not di_...`);
    if (d.subscription !== subscription || d.subscription_item !== item) fail(`${where}: discount ${d.id} points elsewhere`);
    const coupon = d.source.coupon;
    if (d.source.type !== 'coupon' || coupon === null || typeof coupon !== 'object') return fail(`${where}: discount ${d.id} coupon not expanded`);
    const known = coupons.get(coupon.id);
    if (!known) return fail(`${where}: unknown coupon ${coupon.id}`);
    if (!jsonEqual(coupon, known)) fail(`${where}: coupon ${coupon.id} differs from the catalog copy`);
    if (coupon.amount_off !== null && coupon.currency !== currency) fail(`${where}: ${coupon.currency} coupon ${coupon.id} on a ${currency} subscription`);
    if (itemProduct !== null && coupon.applies_to && !coupon.applies_to.products.includes(itemProduct)) {
      fail(`${where}: coupon ${coupon.id} does not apply to the item's product`);
    }
    if (d.end !== null && d.end <= d.start) fail(`${where}: discount ${d.id} ends before it starts`);
  };

  const priceSeenIn = new Map<string, number>();
  let subIndex = -1;
  for (const sub of account.subscriptions) {
    subIndex++;
    const where = `subscription ${sub.id}`;
    unique(sub.id, 'subscription');
    if (!sub.id.startsWith('sub_')) fail(`${where}: id is not sub_...`);
    const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
    if (!customers.has(customer)) fail(`${where}: unknown customer ${customer}`);
    if (sub.created > account.as_of || (sub.ended_at !== null && sub.ended_at > account.as_of)) fail(`${where}: dates after as_of`);
    if (sub.start_date !== sub.created) fail(`${where}: start_date != created`);
    if (sub.status === 'trialing' && (sub.trial_end === null || sub.trial_end <= account.as_of)) fail(`${where}: trialing without a future trial_end`);
    if (sub.status === 'canceled' && (sub.canceled_at === null || sub.ended_at === null)) fail(`${where}: canceled without canceled_at/ended_at`);
    const items = sub.items.data;
    if (items.length === 0) fail(`${where}: no items`);
    const totalCount = (sub.items as { total_count?: unknown }).total_count;
    if (sub.items.has_more || totalCount !== items.length) fail(`${where}: items list not complete`);

    const first = items[0];
    const firstRecurring = first ? prices.get(first.price.id)?.recurring : undefined;
    for (const item of items) {
      const iw = `${where} item ${item.id}`;
      unique(item.id, 'subscription item');
      if (!item.id.startsWith('si_')) fail(`${iw}: id is not si_...`);
      if (item.subscription !== sub.id) fail(`${iw}: belongs to ${item.subscription}`);
      const known = prices.get(item.price.id);
      if (!known) {
        fail(`${iw}: unknown price ${item.price.id}`);
        continue;
      }
      if (!jsonEqual(item.price, known)) fail(`${iw}: price ${item.price.id} differs from the catalog copy`);
      if (priceSeenIn.get(item.price.id) === subIndex) fail(`${iw}: price ${item.price.id} twice in one subscription`);
      priceSeenIn.set(item.price.id, subIndex);
      const price = known;
      if (price.type !== 'recurring' || price.recurring === null) {
        fail(`${iw}: non-recurring price on a subscription`);
        continue;
      }
      if (price.currency !== sub.currency) fail(`${iw}: ${price.currency} price on a ${sub.currency} subscription`);
      if (
        firstRecurring &&
        (price.recurring.interval !== firstRecurring.interval || price.recurring.interval_count !== firstRecurring.interval_count)
      ) {
        fail(`${iw}: interval differs from the first item's`);
      }
      if (first && (item.current_period_start !== first.current_period_start || item.current_period_end !== first.current_period_end)) {
        fail(`${iw}: period differs from the other items`);
      }
      if (item.current_period_start >= item.current_period_end) fail(`${iw}: empty period`);
      if (price.recurring.usage_type === 'metered') {
        if ('quantity' in item) fail(`${iw}: metered item with a quantity`);
      } else if (!Number.isInteger(item.quantity) || (item.quantity as number) < 0) {
        fail(`${iw}: licensed item without a valid quantity`);
      }
      for (const d of item.discounts) checkDiscount(d, iw, sub.currency, sub.id, item.id, price.product as string);
    }
    for (const d of sub.discounts) checkDiscount(d, where, sub.currency, sub.id, null, null);
  }

  if (problems.length > 0) throw new DemoAccountInvariantError(problems);
}
