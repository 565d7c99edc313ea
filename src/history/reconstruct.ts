import type { StripeAccountFile, WireDiscount, WireSubscription } from '../sources/stripe/wire.js';

/**
 * The account as it probably was at `at`, from the lifecycle dates of today's
 * subscriptions (start, trial end, cancellation, end) and their current items and prices.
 * An estimate, labelled "reconstructed" wherever it is shown: quantity changes, past
 * payment trouble and price changes since then are not known.
 */
export function reconstructAccountAt(account: StripeAccountFile, at: number): StripeAccountFile {
  const subscriptions = account.subscriptions
    .filter((subscription) => startedBy(subscription, at))
    .map((subscription) => ({ ...subscription, status: statusAt(subscription, at), discounts: activeDiscounts(subscription.discounts, at) }))
    .map((subscription) => ({
      ...subscription,
      items: { ...subscription.items, data: subscription.items.data.filter((item) => item.created <= at).map((item) => ({ ...item, discounts: activeDiscounts(item.discounts, at) })) },
    }));
  return { ...account, as_of: at, subscriptions };
}

function startedBy(subscription: WireSubscription, at: number): boolean {
  return (subscription.start_date ?? subscription.created) <= at;
}

function statusAt(subscription: WireSubscription, at: number): WireSubscription['status'] {
  // Never paid, then or now.
  if (subscription.status === 'incomplete' || subscription.status === 'incomplete_expired') return subscription.status;
  const ended = subscription.ended_at ?? (subscription.status === 'canceled' ? subscription.canceled_at : null);
  if (ended !== null && ended <= at) return 'canceled';
  if (subscription.trial_end !== null && subscription.trial_end > at) return 'trialing';
  return 'active';
}

function activeDiscounts(discounts: Array<string | WireDiscount>, at: number): Array<string | WireDiscount> {
  return discounts.filter((discount) => typeof discount === 'string' || discount.start <= at);
}
