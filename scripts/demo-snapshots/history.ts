/**
 * The demo account's recent past, derived from the account as it is at `as_of`: what it
 * looked like at an earlier moment `t`. Pure functions, no I/O; the input is never mutated
 * (every object returned is a fresh copy). Deterministic: the few invented facts (when a
 * subscription fell behind on payment, which add-on quantities changed and when) come from
 * a seeded PRNG, drawn in the account's own order.
 *
 * What `stateAt(account, t)` does to the account:
 * - subscriptions created after `t` are left out, and so are customers created after `t`;
 * - a canceled subscription that ended after `t` was still running at `t`: `active` (or
 *   `trialing` while its trial lasted), `ended_at` null; if it was canceled at period end and
 *   the cancellation was requested by `t`, it keeps `canceled_at`, `cancel_at` and
 *   `cancel_at_period_end` (Stripe's "scheduled to cancel"), otherwise those are cleared;
 *   likewise a running subscription scheduled to cancel was not scheduled before it was asked;
 * - a subscription whose trial ends after `t` was `trialing` (a `paused` one paused when its
 *   trial ended without a payment method);
 * - `past_due` subscriptions fell behind within the 2 weeks before `as_of` and were
 *   `active` before; `unpaid` ones became unpaid 2 days to 6 weeks before `as_of`, after
 *   3 weeks `past_due`, and were `active` before that;
 * - an `incomplete_expired` subscription was `incomplete` during its first 23 hours;
 * - planned add-on quantity changes after `t` are undone (upgrades: the quantity was lower;
 *   downgrades: higher; never negative, Starter add-ons never below 1, platform items never
 *   touched);
 * - discounts that started after `t` are left out;
 * - billing periods that do not contain `t` are moved to the period that did;
 * - customers' `delinquent` flag follows their subscriptions at `t`; `as_of` becomes `t`.
 *
 * The catalog (products, prices, coupons) is kept as is: all of it is older than any week
 * the series looks at. Everything else is unchanged, so `stateAt(account, account.as_of)`
 * deep-equals the account.
 */
import type {
  StripeAccountFile,
  WireCustomer,
  WireDiscount,
  WireSubscription,
  WireSubscriptionItem,
  WireSubscriptionStatus,
} from '../../src/sources/stripe/wire.js';
import { Rng } from '../demo-account/prng.js';
import { addMonths, DAY, HOUR, periodContaining } from '../demo-account/time.js';

export const WEEK = 7 * DAY;

export type ChangeKind = 'upgrade' | 'downgrade';

/** An add-on item's quantity went from `before` to `after` at `at` (unix seconds). */
export interface QuantityChange {
  kind: ChangeKind;
  subscription: string;
  customer: string;
  item: string;
  product: string;
  at: number;
  before: number;
  after: number;
}

/** When a subscription that is behind on payment at `as_of` got there. */
export interface Dunning {
  /** First failed renewal: `past_due` from then on. */
  pastDueFrom: number;
  /** `unpaid` from then on (null: still `past_due` at `as_of`). */
  unpaidFrom: number | null;
}

export interface AccountHistory {
  asOf: number;
  /** Start of the period the quantity changes are spread over. */
  from: number;
  /** Oldest first. */
  quantityChanges: QuantityChange[];
  /** By subscription id, for the subscriptions `past_due` or `unpaid` at `as_of`. */
  dunning: Record<string, Dunning>;
}

export interface HistoryOptions {
  /** Start of the period quantity changes fall in (default: 9 weeks before `as_of`). */
  from?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  /** Number of upgrades (default 12) and downgrades (default 6) to plan. */
  upgrades?: number;
  downgrades?: number;
}

/** Add-on products whose quantities move, with the lowest quantity they hold. */
const ADD_ON_MINIMUM: Readonly<Record<string, number>> = {
  'Starter - Small Instance Add-On': 1,
  'Starter - Remote Instance Add-On': 1,
  'Pro - Small Instance Add-On': 0,
  'Pro - Medium Instance Add-On': 0,
  'Pro - Large Instance Add-On': 0,
  'Pro - Remote Instance Add-On': 1,
};

const PAST_DUE_BEFORE_UNPAID = 21 * DAY;

function customerId(subscription: WireSubscription): string {
  return typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
}

/**
 * Invents, deterministically, the facts the final account does not record: dunning dates
 * and add-on quantity changes. Depends only on the account's content and the options.
 */
export function planHistory(account: StripeAccountFile, options: HistoryOptions = {}): AccountHistory {
  const asOf = account.as_of;
  const from = options.from ?? asOf - 9 * WEEK;
  if (!(from < asOf)) throw new RangeError(`history must start before as_of (${from} >= ${asOf})`);
  const rng = new Rng(((options.seed ?? 42) ^ 0x2545f491) >>> 0);

  // -- dunning, in the account's order
  const dunning: Record<string, Dunning> = {};
  for (const subscription of account.subscriptions) {
    const earliest = subscription.created + DAY;
    if (subscription.status === 'past_due') {
      dunning[subscription.id] = { pastDueFrom: Math.max(earliest, asOf - rng.between(DAY, 14 * DAY)), unpaidFrom: null };
    } else if (subscription.status === 'unpaid') {
      const unpaidFrom = Math.max(earliest + PAST_DUE_BEFORE_UNPAID, asOf - rng.between(2 * DAY, 42 * DAY));
      dunning[subscription.id] = { pastDueFrom: unpaidFrom - PAST_DUE_BEFORE_UNPAID, unpaidFrom };
    }
  }

  // -- quantity changes: one per chosen subscription, spread over the weeks of the period
  const productName = new Map(account.products.map((product) => [product.id, product.name]));
  const candidates = account.subscriptions.filter(
    (subscription) =>
      (subscription.status === 'active' || subscription.status === 'past_due') &&
      subscription.ended_at === null &&
      subscription.items.data.length <= 20 &&
      subscription.items.data.some((item) => changeable(item, productName) !== null),
  );
  rng.shuffle(candidates);
  const kinds: ChangeKind[] = [
    ...Array.from({ length: options.upgrades ?? 12 }, (): ChangeKind => 'upgrade'),
    ...Array.from({ length: options.downgrades ?? 6 }, (): ChangeKind => 'downgrade'),
  ];
  rng.shuffle(kinds);
  const weeks = Math.max(1, Math.ceil((asOf - from) / WEEK));
  const quantityChanges: QuantityChange[] = [];
  let next = 0;
  kinds.forEach((kind, index) => {
    // Week slots in turn, so that every week sees some movement.
    const slotStart = from + (index % weeks) * WEEK;
    const slotEnd = Math.min(asOf, slotStart + WEEK);
    while (next < candidates.length) {
      const subscription = candidates[next++] as WireSubscription;
      const at = slotStart + rng.between(HOUR, slotEnd - slotStart - HOUR);
      if (at <= subscription.created + DAY) continue;
      const eligible = subscription.items.data
        .map((item) => ({ item, minimum: changeable(item, productName) }))
        .filter((entry): entry is { item: WireSubscriptionItem; minimum: number } => entry.minimum !== null)
        .filter(({ item, minimum }) => kind === 'downgrade' || (item.quantity as number) > minimum);
      if (eligible.length === 0) continue;
      const { item, minimum } = rng.pick(eligible);
      const after = item.quantity as number;
      const step = kind === 'upgrade' ? -rng.int(1, Math.min(3, after - minimum)) : rng.int(1, 3);
      quantityChanges.push({
        kind,
        subscription: subscription.id,
        customer: customerId(subscription),
        item: item.id,
        product: productName.get(item.price.product as string) ?? String(item.price.product),
        at,
        before: after + step,
        after,
      });
      return;
    }
  });
  quantityChanges.sort((a, b) => a.at - b.at || (a.subscription < b.subscription ? -1 : 1));
  return { asOf, from, quantityChanges, dunning };
}

/** The lowest quantity of an add-on item whose quantity may move; null for any other item. */
function changeable(item: WireSubscriptionItem, productName: ReadonlyMap<string, string>): number | null {
  if (item.quantity === undefined || item.price.recurring?.usage_type !== 'licensed') return null;
  const product = typeof item.price.product === 'string' ? item.price.product : item.price.product.id;
  const minimum = ADD_ON_MINIMUM[productName.get(product) ?? ''];
  return minimum === undefined ? null : minimum;
}

/** The account as it was at `t` (unix seconds, not after `as_of`). See the file comment. */
export function stateAt(account: StripeAccountFile, t: number, history: AccountHistory = planHistory(account)): StripeAccountFile {
  if (t > account.as_of) throw new RangeError(`cannot tell the account's future (t ${t} > as_of ${account.as_of})`);
  if (history.asOf !== account.as_of) throw new RangeError('the history was planned for another account');

  const undone = new Map<string, QuantityChange[]>(); // by item id, newest first
  for (const change of [...history.quantityChanges].sort((a, b) => b.at - a.at)) {
    if (change.at <= t) continue;
    const list = undone.get(change.item) ?? [];
    list.push(change);
    undone.set(change.item, list);
  }

  const subscriptions: WireSubscription[] = [];
  const delinquent = new Set<string>();
  for (const original of account.subscriptions) {
    if (original.created > t) continue;
    const subscription = subscriptionAt(structuredClone(original), t, history.dunning[original.id], undone);
    if (subscription.status === 'past_due' || subscription.status === 'unpaid') delinquent.add(customerId(subscription));
    subscriptions.push(subscription);
  }

  const customers: WireCustomer[] = [];
  for (const original of account.customers) {
    if (typeof original.created === 'number' && original.created > t) continue;
    const customer = structuredClone(original);
    if (typeof customer.delinquent === 'boolean') customer.delinquent = delinquent.has(customer.id);
    customers.push(customer);
  }

  return {
    ...structuredClone({ ...account, customers: [], subscriptions: [] }),
    as_of: t,
    customers,
    subscriptions,
  };
}

function statusAt(subscription: WireSubscription, t: number, dunning: Dunning | undefined): WireSubscriptionStatus {
  const { status } = subscription;
  if ((status === 'canceled' || status === 'incomplete_expired') && subscription.ended_at !== null && subscription.ended_at <= t) return status;
  if (status === 'incomplete_expired' || status === 'incomplete') return 'incomplete';
  if (subscription.trial_end !== null && subscription.trial_end > t && (subscription.trial_start ?? subscription.created) <= t) return 'trialing';
  if (status === 'paused' || status === 'trialing') return status;
  if (dunning && dunning.unpaidFrom !== null && t >= dunning.unpaidFrom) return 'unpaid';
  if (dunning && t >= dunning.pastDueFrom) return 'past_due';
  return 'active';
}

/** Mutates and returns `subscription`, a private copy. */
function subscriptionAt(
  subscription: WireSubscription,
  t: number,
  dunning: Dunning | undefined,
  undone: ReadonlyMap<string, QuantityChange[]>,
): WireSubscription {
  const status = statusAt(subscription, t, dunning);
  const wasEnded = subscription.ended_at !== null && subscription.ended_at > t;
  subscription.status = status;

  const requestedBy = subscription.canceled_at !== null && subscription.canceled_at <= t;
  // A running subscription scheduled to cancel (asked for after t) was not scheduled yet at t.
  const runningScheduledLater = subscription.ended_at === null && subscription.canceled_at !== null && !requestedBy;
  if (wasEnded || runningScheduledLater) {
    subscription.ended_at = null;
    const scheduled = subscription.cancel_at_period_end === true && requestedBy;
    if (!scheduled) {
      subscription.canceled_at = null;
      subscription.cancel_at = null;
      if ('cancel_at_period_end' in subscription) subscription.cancel_at_period_end = false;
      const details = subscription.cancellation_details as { reason?: unknown } | null | undefined;
      if (details && typeof details === 'object' && 'reason' in details) details.reason = null;
    }
  }

  const startedBy = (discount: string | WireDiscount): boolean => typeof discount === 'string' || discount.start <= t;
  subscription.discounts = subscription.discounts.filter(startedBy);

  const months = stepMonths(subscription);
  let period: [number, number] | null = null;
  if (status === 'trialing' && subscription.trial_start !== null && subscription.trial_end !== null) {
    period = [subscription.trial_start, subscription.trial_end];
  } else if (status === 'incomplete') {
    period = [subscription.created, addMonths(subscription.created, months)];
  }
  for (const item of subscription.items.data) {
    item.discounts = item.discounts.filter(startedBy);
    for (const change of undone.get(item.id) ?? []) item.quantity = change.before;
    if (period) {
      item.current_period_start = period[0];
      item.current_period_end = period[1];
    } else if (status !== 'canceled' && status !== 'incomplete_expired' && !(item.current_period_start <= t && t < item.current_period_end)) {
      const anchor = typeof subscription.billing_cycle_anchor === 'number' ? subscription.billing_cycle_anchor : subscription.created;
      [item.current_period_start, item.current_period_end] = periodContaining(anchor, months, t);
    }
  }
  return subscription;
}

/** Billing period length in months (items of a subscription share their interval). */
function stepMonths(subscription: WireSubscription): number {
  const recurring = subscription.items.data[0]?.price.recurring;
  if (!recurring) return 1;
  if (recurring.interval === 'year') return 12 * recurring.interval_count;
  if (recurring.interval === 'month') return recurring.interval_count;
  throw new RangeError(`subscription ${subscription.id}: ${recurring.interval}ly billing is not supported by the demo history`);
}

/** Whether a subscription at `t` is counted by kpi's default rules (`active`, `past_due`). */
export function isCounted(subscription: WireSubscription): boolean {
  return subscription.status === 'active' || subscription.status === 'past_due';
}
