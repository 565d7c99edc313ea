/**
 * An account with MRR at risk in every category, planted with known amounts and dates,
 * for \`kpi mrr --at-risk\` (test/integration/at-risk.test.ts works the figures out).
 */
import type { ConfigFile } from '../../src/config/schema.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';
import { AS_OF, account, coupon, discount, price, product, subscription } from './account-builder.js';

export const DAY = 86_400;
/**
 * Every category planted with known amounts and dates (AS_OF is 2026-11-16, the default
 * horizon ends 30 days later, 2026-12-16). Starter counts list prices, Pro what is billed
 * (repeating coupons counted, so their end moves MRR).
 */
export const CONFIG: ConfigFile = {
  version: 1,
  counted_statuses: ['active', 'past_due'],
  discounts: { count_repeating: true, count_once: false },
  tiers: [
    { name: 'Starter', rule: 'list-price', products: ['Starter'] },
    { name: 'Pro', rule: 'billed', products: ['Pro'] },
  ],
} as ConfigFile;

export function plantedAccount(): StripeAccountFile {
  const starter = product('Starter');
  const pro = product('Pro');
  const starterMonthly = price(starter, { unitAmount: 2_000 });
  const proMonthly = price(pro, { unitAmount: 50_000 });
  const proYearly = price(pro, { unitAmount: 120_000, interval: 'year' });
  const proEuro = price(pro, { unitAmount: 40_000, currency: 'eur' });
  const forever10 = coupon({ id: 'FOREVER10', percentOff: 10 });
  const r25 = coupon({ id: 'R25', percentOff: 25, duration: 'repeating' });
  const r20 = coupon({ id: 'R20', percentOff: 20, duration: 'repeating' });
  const amt50 = coupon({ id: 'AMT50', amountOff: 5_000, duration: 'repeating' });
  const late10 = coupon({ id: 'LATE10', percentOff: 10, duration: 'repeating' });
  const subscriptions = [
    // A: Starter, nothing at risk.
    subscription({ items: [{ price: starterMonthly }] }),
    // B: Starter past due, 2 x 2000 = 4000.
    subscription({ status: 'past_due', items: [{ price: starterMonthly, quantity: 2 }] }),
    // C: Pro past due, 50000 - 10 % forever = 45000.
    subscription({ status: 'past_due', items: [{ price: proMonthly }], discounts: [discount(forever10)] }),
    // D: set to end at its period end, Stripe filled cancel_at: 50000 ends AS_OF + 20 days.
    subscription({ items: [{ price: proMonthly }], cancelAtPeriodEnd: true, periodEnd: AS_OF + 20 * DAY }),
    // E: cancel_at beyond the horizon: not yet at risk.
    subscription({ items: [{ price: proMonthly }], cancelAt: AS_OF + 40 * DAY }),
    // F: set to end, cancel_at left empty (older API): ends at the period end, AS_OF + 22 days.
    { ...subscription({ items: [{ price: proMonthly }], cancelAtPeriodEnd: true, periodEnd: AS_OF + 22 * DAY }), cancel_at: null },
    // G: 50000 - 25 % repeating = 37500 today; R25 ends AS_OF + 10 days: +12500.
    subscription({ items: [{ price: proMonthly }], discounts: [discount(r25, AS_OF + 10 * DAY)] }),
    // H: Starter counts list prices, so its ending coupon moves nothing.
    subscription({ items: [{ price: starterMonthly }], discounts: [discount(r25, AS_OF + 10 * DAY)] }),
    // I: 50000 -> R20 40000 -> AMT50 35000 today. AMT50 ends first (AS_OF + 5 d): 40000,
    // +5000; then R20 (AS_OF + 15 d): 50000, +10000. Together +15000 = 50000 - 35000.
    subscription({ items: [{ price: proMonthly }], discounts: [discount(r20, AS_OF + 15 * DAY), discount(amt50, AS_OF + 5 * DAY)] }),
    // J: 50000 - 10 % = 45000; its coupon ends after the horizon (AS_OF + 45 d).
    subscription({ items: [{ price: proMonthly }], discounts: [discount(late10, AS_OF + 45 * DAY)] }),
    // K: trial ends AS_OF + 7 days: 50000 if it converts.
    subscription({ status: 'trialing', items: [{ price: proMonthly }], trialEnd: AS_OF + 7 * DAY }),
    // L: trial ends after the horizon.
    subscription({ status: 'trialing', items: [{ price: proMonthly }], trialEnd: AS_OF + 60 * DAY }),
    // M: a euro trial ending AS_OF + 3 days: 40000 EUR cents.
    subscription({ status: 'trialing', currency: 'eur', items: [{ price: proEuro }], trialEnd: AS_OF + 3 * DAY }),
    // N: yearly 120000 / 12 = 10000 a month, past due AND cancelled at AS_OF + 25 days: in both.
    subscription({ status: 'past_due', items: [{ price: proYearly }], cancelAt: AS_OF + 25 * DAY }),
    // O: cancelled, never read.
    subscription({ status: 'canceled', items: [{ price: proMonthly }] }),
  ];
  return account({ products: [starter, pro], prices: [starterMonthly, proMonthly, proYearly, proEuro], coupons: [forever10, r25, r20, amt50, late10], subscriptions });
}
