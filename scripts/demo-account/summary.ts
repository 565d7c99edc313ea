/** A human summary of a demo account (counts per status, tier, currency), for stderr. */
import type { StripeAccountFile, WireDiscount } from '../../src/sources/stripe/wire.js';

export interface DemoAccountSummary {
  subscriptions: number;
  customers: number;
  products: number;
  prices: number;
  coupons: number;
  items: number;
  byStatus: Record<string, number>;
  byTier: Record<string, number>;
  byCurrency: Record<string, number>;
  byInterval: Record<string, number>;
  features: Record<string, number>;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Tier of a subscription, from the name of its first item's product. */
function tierOf(productName: string): string {
  if (productName.startsWith('FlowFuse Cloud - Starter') || productName.startsWith('Starter - ')) return 'starter';
  if (productName.startsWith('FlowFuse Pro') || productName.startsWith('Pro - ') || productName.startsWith('Team - ')) return 'pro';
  if (productName.startsWith('FlowFuse Enterprise')) return 'enterprise';
  return 'other';
}

export function summarizeAccount(account: StripeAccountFile): DemoAccountSummary {
  const productName = new Map(account.products.map((p) => [p.id, p.name]));
  const s: DemoAccountSummary = {
    subscriptions: account.subscriptions.length,
    customers: account.customers.length,
    products: account.products.length,
    prices: account.prices.length,
    coupons: account.coupons.length,
    items: 0,
    byStatus: {},
    byTier: {},
    byCurrency: {},
    byInterval: {},
    features: {},
  };
  const subsPerCustomer = new Map<string, number>();
  for (const sub of account.subscriptions) {
    const items = sub.items.data;
    s.items += items.length;
    bump(s.byStatus, sub.status);
    bump(s.byCurrency, sub.currency);
    const first = items[0];
    bump(s.byTier, first ? tierOf(productName.get(first.price.product as string) ?? '') : 'none');
    bump(s.byInterval, first?.price.recurring?.interval ?? 'none');
    const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
    subsPerCustomer.set(customer, (subsPerCustomer.get(customer) ?? 0) + 1);
    if (sub.discounts.length > 0) bump(s.features, 'subscription-level discount');
    if (sub.discounts.length > 1) bump(s.features, 'stacked discounts');
    if (items.length > 20) bump(s.features, 'more than 20 items');
    for (const d of sub.discounts) {
      const coupon = (d as WireDiscount).source?.coupon;
      if (coupon && typeof coupon === 'object') bump(s.features, `coupon ${coupon.id}`);
    }
    for (const item of items) {
      const name = productName.get(item.price.product as string) ?? '';
      if (item.discounts.length > 0) bump(s.features, 'items with item-level discount');
      if (item.quantity === 0) bump(s.features, 'items with quantity 0');
      if (item.price.recurring?.usage_type === 'metered') bump(s.features, 'metered items');
      if (item.price.billing_scheme === 'tiered') bump(s.features, 'tiered items');
      if (item.price.active === false && name.startsWith('FlowFuse Cloud - Starter')) bump(s.features, 'legacy $15 Starter');
      if (name.startsWith('Team - ')) bump(s.features, 'archived Team Small add-on');
      if (item.price.transform_quantity) bump(s.features, 'transform_quantity items');
      if (item.price.unit_amount === null && item.price.billing_scheme === 'per_unit') bump(s.features, 'sub-cent unit_amount_decimal items');
    }
  }
  for (const count of subsPerCustomer.values()) if (count > 1) bump(s.features, 'customers with 2+ subscriptions');
  return s;
}

export function formatSummary(s: DemoAccountSummary): string {
  const line = (label: string, counts: Record<string, number>): string =>
    `  ${label.padEnd(10)} ${Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`;
  return [
    `  objects    ${s.subscriptions} subscriptions (${s.items} items), ${s.customers} customers, ${s.products} products, ${s.prices} prices, ${s.coupons} coupons`,
    line('status', s.byStatus),
    line('tier', s.byTier),
    line('currency', s.byCurrency),
    line('interval', s.byInterval),
    line('features', s.features),
  ].join('\n');
}
