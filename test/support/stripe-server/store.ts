/**
 * The account file, indexed once at start-up so that every request is cheap: each
 * collection is sorted newest first, and subscriptions are also pre-split by status
 * filter, customer and price, so filtered pages never scan the whole account.
 */
import type {
  StripeAccountFile,
  WireCoupon,
  WireCustomer,
  WireDiscount,
  WirePrice,
  WireProduct,
  WireSubscription,
  WireSubscriptionItem,
} from '../../../src/sources/stripe/wire.js';
import { sortNewestFirst, type Listable } from './pagination.js';
import { SUBSCRIPTION_STATUSES } from '../../../src/billing/model.js';

export { SUBSCRIPTION_STATUSES };

export const SUBSCRIPTION_STATUS_FILTERS = [...SUBSCRIPTION_STATUSES, 'ended', 'all'] as const;
export type SubscriptionStatusFilter = (typeof SUBSCRIPTION_STATUS_FILTERS)[number];

/** Which statuses a `status` filter selects; `undefined` is Stripe's default (everything not canceled). */
export function statusesSelectedBy(filter: SubscriptionStatusFilter | undefined): ReadonlySet<string> {
  switch (filter) {
    case undefined:
      return new Set(SUBSCRIPTION_STATUSES.filter((s) => s !== 'canceled'));
    case 'all':
      return new Set(SUBSCRIPTION_STATUSES);
    // Stripe: "ended" means canceled plus expired-because-never-paid.
    case 'ended':
      return new Set(['canceled', 'incomplete_expired']);
    default:
      return new Set([filter]);
  }
}

export class Collection<T extends Listable> {
  readonly sorted: readonly T[];
  readonly byId: ReadonlyMap<string, T>;

  constructor(kind: string, objects: Iterable<T>) {
    const byId = new Map<string, T>();
    for (const object of objects) {
      if (byId.has(object.id)) throw new Error(`Account file: duplicate ${kind} id ${object.id}`);
      byId.set(object.id, object);
    }
    this.byId = byId;
    this.sorted = sortNewestFirst(byId.values());
  }
}

export class AccountStore {
  readonly products: Collection<WireProduct>;
  readonly prices: Collection<WirePrice>;
  /** Coupons the API lists and retrieves: deleted ones are gone from those endpoints. */
  readonly coupons: Collection<WireCoupon>;
  readonly customers: Collection<WireCustomer>;
  readonly subscriptions: Collection<WireSubscription>;
  readonly subscriptionItems: ReadonlyMap<string, WireSubscriptionItem>;

  /** Deleted coupons stay reachable here because discounts keep pointing at them. */
  readonly couponsIncludingDeleted: ReadonlyMap<string, WireCoupon>;
  readonly discounts: ReadonlyMap<string, WireDiscount>;

  private readonly itemsBySubscription = new Map<string, WireSubscriptionItem[]>();
  private readonly subscriptionsByStatusFilter = new Map<SubscriptionStatusFilter | 'default', WireSubscription[]>();
  private readonly subscriptionsByCustomer = new Map<string, WireSubscription[]>();
  private readonly subscriptionsByPrice = new Map<string, WireSubscription[]>();

  constructor(account: StripeAccountFile) {
    this.products = new Collection('product', account.products);
    this.prices = new Collection('price', account.prices);
    this.customers = new Collection('customer', account.customers);
    this.subscriptions = new Collection('subscription', account.subscriptions);
    this.coupons = new Collection(
      'coupon',
      account.coupons.filter((coupon) => coupon.deleted !== true),
    );

    const coupons = new Map<string, WireCoupon>(account.coupons.map((coupon) => [coupon.id, coupon]));
    const discounts = new Map<string, WireDiscount>();
    const items = new Map<string, WireSubscriptionItem>();
    const noteDiscounts = (list: ReadonlyArray<string | WireDiscount>): void => {
      for (const discount of list) {
        if (typeof discount === 'string') continue;
        discounts.set(discount.id, discount);
        const coupon = discount.source.coupon;
        if (coupon && typeof coupon === 'object' && !coupons.has(coupon.id)) coupons.set(coupon.id, coupon);
      }
    };

    for (const subscription of this.subscriptions.sorted) {
      noteDiscounts(subscription.discounts ?? []);
      const subscriptionItems = sortNewestFirst(subscription.items.data);
      for (const item of subscriptionItems) {
        if (items.has(item.id)) throw new Error(`Account file: duplicate subscription_item id ${item.id}`);
        items.set(item.id, item);
        noteDiscounts(item.discounts ?? []);
      }
      this.itemsBySubscription.set(subscription.id, subscriptionItems);

      // Iterating the sorted collection keeps every derived array sorted too.
      pushTo(this.subscriptionsByCustomer, customerIdOf(subscription), subscription);
      for (const priceId of new Set(subscriptionItems.map((item) => item.price.id))) {
        pushTo(this.subscriptionsByPrice, priceId, subscription);
      }
    }
    for (const filter of [...SUBSCRIPTION_STATUS_FILTERS, undefined]) {
      const selected = statusesSelectedBy(filter);
      this.subscriptionsByStatusFilter.set(
        filter ?? 'default',
        this.subscriptions.sorted.filter((s) => selected.has(s.status)),
      );
    }

    this.couponsIncludingDeleted = coupons;
    this.discounts = discounts;
    this.subscriptionItems = items;
  }

  /** A subscription's items, newest first: the order of both the embedded list and `/v1/subscription_items`. */
  itemsOf(subscriptionId: string): readonly WireSubscriptionItem[] {
    return this.itemsBySubscription.get(subscriptionId) ?? [];
  }

  subscriptionsWithStatus(filter: SubscriptionStatusFilter | undefined): readonly WireSubscription[] {
    return this.subscriptionsByStatusFilter.get(filter ?? 'default') ?? [];
  }

  subscriptionsOfCustomer(customerId: string): readonly WireSubscription[] {
    return this.subscriptionsByCustomer.get(customerId) ?? [];
  }

  subscriptionsWithPrice(priceId: string): readonly WireSubscription[] {
    return this.subscriptionsByPrice.get(priceId) ?? [];
  }
}

export function customerIdOf(subscription: WireSubscription): string {
  return typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
