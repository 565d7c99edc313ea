/**
 * A small account whose MRR is worked out by hand below. Every rule of the handbook and of
 * Stripe's definition shows up at least once; the expected figures are in `EXPECTED`.
 */
import { account, coupon, discount, price, product, subscription, AS_OF } from './account-builder.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';

const starter = product('FlowFuse Cloud - Starter');
const starterSmall = product('Starter - Small Instance Add-On');
const starterRemote = product('Starter - Remote Instance Add-On');
const pro = product('FlowFuse Pro Platform - Cloud');
const proSmall = product('Pro - Small Instance Add-On');
const proMedium = product('Pro - Medium Instance Add-On');
const proLarge = product('Pro - Large Instance Add-On');
const proRemote = product('Pro - Remote Instance Add-On');
// Archived under the old tier name; its subscriptions still bill and count as "Small".
const teamSmall = product('Team - Small Instance Add-On', { active: false });
const support = product('Support Plan');
const enterprise = product('FlowFuse Enterprise - Self-Hosted');

const starterMonthly = price(starter, { unitAmount: 2000 });
const starterLegacy = price(starter, { unitAmount: 1500, active: false });
const starterYearly = price(starter, { unitAmount: 22000, interval: 'year' });
const starterSmallMonthly = price(starterSmall, { unitAmount: 1500 });
const starterRemoteMonthly = price(starterRemote, { unitAmount: 500 });
const proMonthly = price(pro, { unitAmount: 42500 });
const proYearly = price(pro, { unitAmount: 467500, interval: 'year' });
const proSmallMonthly = price(proSmall, { unitAmount: 3500 });
const proSmallYearly = price(proSmall, { unitAmount: 38500, interval: 'year' });
const proMediumMonthly = price(proMedium, { unitAmount: 7000 });
const proLargeMonthly = price(proLarge, { unitAmount: 14000 });
const proRemoteTiered = price(proRemote, {
  tiers: { mode: 'graduated', tiers: [{ up_to: 5, unit_amount: 1000, flat_amount: 0 }, { up_to: null, unit_amount: 800, flat_amount: 0 }] },
});
const proRemoteMetered = price(proRemote, { unitAmount: 2, usageType: 'metered' });
const teamSmallMonthly = price(teamSmall, { unitAmount: 3000, active: false });
const supportMonthly = price(support, { unitAmount: 7500 });
const enterpriseYearly = price(enterprise, { unitAmount: 2_000_000, interval: 'year' });
// Stripe allows one item per price in a subscription: 24 legacy prices make a 25-item subscription.
const smallBatch = Array.from({ length: 24 }, () => price(proSmall, { unitAmount: 100, active: false }));

const forever20 = coupon({ id: 'NONPROFIT20', percentOff: 20 });
const partner50 = coupon({ id: 'PARTNER50', amountOff: 5000, appliesTo: [pro.id] });
const launch50 = coupon({ id: 'LAUNCH50', percentOff: 50, duration: 'repeating', months: 3 });
const firstMonth = coupon({ id: 'FIRSTMONTH', percentOff: 100, duration: 'once' });
const item10 = coupon({ id: 'SMALL10', amountOff: 1000 });
const bundle100 = coupon({ id: 'BUNDLE100', amountOff: 10000 });

const subscriptions = [
  // 1. Starter at list price: 2000.
  subscription({ items: [{ price: starterMonthly }] }),
  // 2. Starter with add-ons and 20 % forever: list 2000 + 2 x 1500 + 3 x 500 = 6500; Stripe 6500 x 0.8 = 5200.
  subscription({
    items: [{ price: starterMonthly }, { price: starterSmallMonthly, quantity: 2 }, { price: starterRemoteMonthly, quantity: 3 }],
    discounts: [discount(forever20)],
  }),
  // 3. past_due counts; a legacy price counts at its own amount: 1500.
  subscription({ status: 'past_due', items: [{ price: starterLegacy }] }),
  // 4. Yearly Starter: 22000 / 12 = 1833.333...
  subscription({ items: [{ price: starterYearly }] }),
  // 5.-6. Not counted: trialing, canceled.
  subscription({ status: 'trialing', items: [{ price: starterMonthly }] }),
  subscription({ status: 'canceled', items: [{ price: starterMonthly }] }),
  // 7. Pro with a repeating coupon (not counted by default): 42500 + 2 x 3500 + (5 x 1000 + 2 x 800) = 56100.
  subscription({
    items: [{ price: proMonthly }, { price: proSmallMonthly, quantity: 2 }, { price: proRemoteTiered, quantity: 7 }],
    discounts: [discount(launch50)],
  }),
  // 8. 5000 off the platform only: platform 42500 - 5000 = 37500, medium 7000 untouched: 44500.
  subscription({ items: [{ price: proMonthly }, { price: proMediumMonthly }], discounts: [discount(partner50)] }),
  // 9. Yearly Pro, 20 % forever: platform 467500 x 0.8 / 12 = 31166.666..., small 3 x 38500 x 0.8 / 12 = 7700.
  subscription({ items: [{ price: proYearly }, { price: proSmallYearly, quantity: 3 }], discounts: [discount(forever20)] }),
  // 10. past_due; the metered item is left out: 42500 + 14000 = 56500.
  subscription({
    status: 'past_due',
    items: [{ price: proMonthly }, { price: proLargeMonthly }, { price: proRemoteMetered, quantity: null }],
  }),
  // 11. Archived Team small add-on, 1000 off that item; a once coupon (not counted): 42500 + (2 x 3000 - 1000) = 47500.
  subscription({
    items: [{ price: proMonthly }, { price: teamSmallMonthly, quantity: 2, discounts: [discount(item10)] }],
    discounts: [discount(firstMonth)],
  }),
  // 12. 10000 off spread over platform 42500 and an unconfigured support plan 7500 (total 50000):
  //     platform 42500 - 10000 x 42500 / 50000 = 34000; the support plan counts nowhere.
  subscription({ items: [{ price: proMonthly }, { price: supportMonthly }], discounts: [discount(bundle100)] }),
  // 13. Quantity 0 of an add-on adds nothing and does not make the subscription a holder: 42500.
  subscription({ items: [{ price: proMonthly }, { price: proSmallMonthly, quantity: 0 }] }),
  // 14.-16. Not counted: unpaid, incomplete, paused.
  subscription({ status: 'unpaid', items: [{ price: proMonthly }] }),
  subscription({ status: 'incomplete', items: [{ price: proMonthly }] }),
  subscription({ status: 'paused', items: [{ price: proMonthly }] }),
  // 17. 25 items, more than a subscription embeds: 42500 + 24 x 100 = 44900.
  subscription({ items: [{ price: proMonthly }, ...smallBatch.map((batchPrice) => ({ price: batchPrice }))] }),
  // 18. Enterprise is outside self-service: nothing.
  subscription({ items: [{ price: enterpriseYearly }] }),
  // 19. A 20 % discount that already ended no longer counts: 42500.
  subscription({ items: [{ price: proMonthly }], discounts: [discount(forever20, AS_OF - 86_400)] }),
];

export const HANDWORKED_ACCOUNT = account({
  products: [starter, starterSmall, starterRemote, pro, proSmall, proMedium, proLarge, proRemote, teamSmall, support, enterprise],
  prices: [
    starterMonthly, starterLegacy, starterYearly, starterSmallMonthly, starterRemoteMonthly,
    proMonthly, proYearly, proSmallMonthly, proSmallYearly, proMediumMonthly, proLargeMonthly,
    proRemoteTiered, proRemoteMetered, teamSmallMonthly, supportMonthly, enterpriseYearly, ...smallBatch,
  ],
  coupons: [forever20, partner50, launch50, firstMonth, item10, bundle100],
  subscriptions,
});

export const HANDWORKED_IDS = { starter: starter.id, pro: pro.id, teamSmall: teamSmall.id, proSmall: proSmall.id };

/**
 * Starter (list-price): 2000 + 6500 + 1500 + 1833.333 = 11833.333 -> 11833
 *   platform 2000 + 2000 + 1500 + 1833.333 = 7333.333 -> 7333 (4 subs), small 3000 (1 sub, qty 2), remote 1500 (1, qty 3)
 *   Stripe's view: 2000 + 5200 + 1500 + 1833.333 = 10533.333 -> 10533; difference 11833 - 10533 = 1300
 * Pro (billed): 56100 + 44500 + 38866.667 + 56500 + 47500 + 34000 + 42500 + 44900 + 42500 = 407366.667 -> 407367
 *   platform 42500 x 6 + 37500 + 31166.667 + 34000 = 357666.667 -> 357667 (9 subs)
 *   small 7000 + 7700 + 5000 + 2400 = 22100 (4 subs: #7, #9, #11, #17; qty 2 + 3 + 2 + 24 + 0 = 31)
 *   medium 7000, large 14000, remote 6600 (1 sub each; qty 1, 1, 7)
 * Total 11833.333 + 407366.667 = 419200; Stripe 10533.333 + 407366.667 = 417900; 13 subscriptions.
 */
export const EXPECTED = {
  mrr: 419_200,
  stripeMrr: 417_900,
  subscriptions: 13,
  meteredItems: 1,
  starter: {
    mrr: 11_833,
    stripeMrr: 10_533,
    subscriptions: 4,
    products: [
      { name: 'FlowFuse Cloud - Starter', mrr: 7_333, subscriptions: 4, quantity: 4 },
      { name: 'Starter - Small Instance Add-On', mrr: 3_000, subscriptions: 1, quantity: 2 },
      { name: 'Starter - Remote Instance Add-On', mrr: 1_500, subscriptions: 1, quantity: 3 },
    ],
  },
  pro: {
    mrr: 407_367,
    subscriptions: 9,
    products: [
      { name: 'FlowFuse Pro Platform - Cloud', mrr: 357_667, subscriptions: 9, quantity: 9 },
      { name: 'Pro - Small Instance Add-On', mrr: 22_100, subscriptions: 4, quantity: 31 },
      { name: 'Pro - Medium Instance Add-On', mrr: 7_000, subscriptions: 1, quantity: 1 },
      { name: 'Pro - Large Instance Add-On', mrr: 14_000, subscriptions: 1, quantity: 1 },
      { name: 'Pro - Remote Instance Add-On', mrr: 6_600, subscriptions: 1, quantity: 7 },
    ],
  },
} as const;

/**
 * The hand-worked account plus two subscriptions set to end, which only Stripe's churn
 * setting treats differently: the handbook counts both (they are active).
 */
export function withSubscriptionsSetToEnd(): StripeAccountFile {
  const extended = structuredClone(HANDWORKED_ACCOUNT);
  extended.subscriptions.push(
    // Starter 2000 with 20 % forever, set to end at the period's end: handbook 2000, Stripe 1600 while it counts.
    subscription({ items: [{ price: starterMonthly }], discounts: [discount(forever20)], cancelAtPeriodEnd: true }),
    // Pro 42500 with a cancellation date in five days (no cancel_at_period_end).
    subscription({ items: [{ price: proMonthly }], cancelAt: AS_OF + 5 * 86_400 }),
  );
  return extended;
}
