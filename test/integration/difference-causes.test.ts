import { CAUSE_KINDS } from '../../src/rules/difference-causes.js';
import { describe, expect, it } from 'vitest';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { ConfigFile } from '../../src/config/schema.js';
import type { Measure } from '../../src/revenue/revenue-report.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { renderRevenueDelimited } from '../../src/render/revenue-delimited.js';
import { renderRevenueTable } from '../../src/render/revenue-table.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import type { StripeAccountFile } from '../../src/sources/stripe/wire.js';
import { generateDemoAccount } from '../../scripts/demo-account/generate.js';
import { minimiseSubscription } from '../../src/snapshots/snapshot-format.js';
import { HANDWORKED_ACCOUNT, withSubscriptionsSetToEnd } from '../support/handworked-account.js';
import { account, coupon, discount, price, subscription } from '../support/account-builder.js';

const NOW = new Date('2026-11-16T12:00:00Z');

async function report(account: StripeAccountFile, overrides: Partial<ConfigFile> = {}, measure: Measure = 'mrr', explain = false) {
  const source = new WireBillingSource(new AccountFileReader(account), 'test account', account.as_of);
  return computeRevenue(source, parseConfig({ ...DEFAULT_CONFIG, ...overrides }, 'test'), { measure, explain, now: NOW });
}

async function json(account: StripeAccountFile, overrides: Partial<ConfigFile> = {}, measure: Measure = 'mrr', explain = false) {
  return JSON.parse(renderRevenueJson(await report(account, overrides, measure, explain)));
}

const causesOf = (document: any, tier: number) => document.reconciliation.tiers[tier].causes;

describe('the handbook-vs-Stripe difference by cause (hand-worked account)', () => {
  it("with Stripe's defaults, Starter's whole difference is the forever coupon its list-price rule ignores", async () => {
    const document = await json(HANDWORKED_ACCOUNT);
    // #2: list 6500, Stripe 6500 x 0.8 = 5200: +1300 on 1 subscription; that is Starter's difference 11833 - 10533.
    expect(causesOf(document, 0)).toEqual([
      {
        cause: 'coupon-ignored-by-list-price',
        coupon: 'NONPROFIT20',
        description: 'forever coupon NONPROFIT20 (20 %) ignored by rule list-price',
        currency: 'usd',
        mrr: 1300,
        subscriptions: 1,
      },
    ]);
    expect(document.reconciliation.tiers[0].difference).toBe(1300);
    // Pro (rule billed) subtracts what Stripe subtracts by default: no difference, no causes.
    expect(causesOf(document, 1)).toEqual([]);
    expect(document.reconciliation.stripe_settings).toEqual({ subtract_repeating: false, subtract_once: false, churn: 'at_cancellation' });
  });

  it('subtract_repeating on: Stripe subtracts LAUNCH50, the handbook does not', async () => {
    const document = await json(HANDWORKED_ACCOUNT, { stripe_settings: { subtract_repeating: true } });
    // #7: 56100 x 50 % = 28050 off in Stripe's view only. Stripe Pro 407366.667 - 28050 = 379316.667 -> 379317.
    expect(document.reconciliation.tiers[1].stripe_mrr).toBe(379_317);
    expect(document.reconciliation.tiers[1].difference).toBe(407_367 - 379_317);
    expect(causesOf(document, 1)).toEqual([
      expect.objectContaining({ cause: 'coupon-subtracted-by-stripe-only', coupon: 'LAUNCH50', mrr: 28_050, subscriptions: 1 }),
    ]);
    // The handbook's own figure does not move with Stripe's settings.
    expect(document.tiers[1].mrr).toBe(407_367);
  });

  it('subtract_once on: Stripe subtracts FIRSTMONTH (100 % once), the handbook does not', async () => {
    const document = await json(HANDWORKED_ACCOUNT, { stripe_settings: { subtract_once: true } });
    // #11: 42500 + (2 x 3000 - 1000) = 47500, all of it off once. Stripe Pro 407366.667 - 47500 = 359866.667 -> 359867.
    expect(document.reconciliation.tiers[1].stripe_mrr).toBe(359_867);
    expect(causesOf(document, 1)).toEqual([
      expect.objectContaining({ cause: 'coupon-subtracted-by-stripe-only', coupon: 'FIRSTMONTH', description: 'once coupon FIRSTMONTH (100 %) subtracted by stripe_settings.subtract_once, not by discounts.count_once', mrr: 47_500 }),
    ]);
  });

  it('both on: one cause per coupon, largest first', async () => {
    const document = await json(HANDWORKED_ACCOUNT, { stripe_settings: { subtract_repeating: true, subtract_once: true } });
    expect(causesOf(document, 1).map((cause: any) => [cause.coupon, cause.mrr])).toEqual([
      ['FIRSTMONTH', 47_500],
      ['LAUNCH50', 28_050],
    ]);
    expect(document.reconciliation.tiers[1].difference).toBe(47_500 + 28_050);
  });

  it("the config's discounts counting what Stripe does not: a negative cause", async () => {
    const document = await json(HANDWORKED_ACCOUNT, { discounts: { count_repeating: true } });
    // Handbook Pro 379317 (LAUNCH50 subtracted), Stripe 407367: -28050.
    expect(causesOf(document, 1)).toEqual([
      expect.objectContaining({
        cause: 'coupon-subtracted-by-config-only',
        coupon: 'LAUNCH50',
        description: 'repeating coupon LAUNCH50 (50 %) subtracted by discounts.count_repeating, not by stripe_settings.subtract_repeating',
        mrr: -28_050,
        subscriptions: 1,
      }),
    ]);
  });

  it('churn at cancellation: subscriptions set to end leave the Stripe figure, as causes of their own', async () => {
    const document = await json(withSubscriptionsSetToEnd());
    // Starter: handbook 11833.333 + 2000 = 13833.333 -> 13833; Stripe 10533.333 -> 10533 (the new one is not counted).
    // Difference 3300 = set to end 1600 (its Stripe amount, 2000 x 0.8) + NONPROFIT20 1300 (#2) + 400 (the new one).
    expect(document.reconciliation.tiers[0].difference).toBe(3300);
    expect(causesOf(document, 0).map((cause: any) => [cause.cause, cause.coupon, cause.mrr, cause.subscriptions])).toEqual([
      ['coupon-ignored-by-list-price', 'NONPROFIT20', 1700, 2],
      ['scheduled-to-end', null, 1600, 1],
    ]);
    // Pro: the cancel_at subscription, 42500, counts for the handbook only.
    expect(causesOf(document, 1)).toEqual([expect.objectContaining({ cause: 'scheduled-to-end', coupon: null, mrr: 42_500, subscriptions: 1 })]);
  });

  it('churn at the end of the billing period: Stripe keeps them until they end', async () => {
    const document = await json(withSubscriptionsSetToEnd(), { stripe_settings: { churn: 'at_period_end' } });
    // Starter Stripe 10533.333 + 1600 = 12133.333 -> 12133; difference 13833 - 12133 = 1700, all NONPROFIT20.
    expect(document.reconciliation.tiers[0].stripe_mrr).toBe(12_133);
    expect(causesOf(document, 0).map((cause: any) => [cause.cause, cause.mrr, cause.subscriptions])).toEqual([['coupon-ignored-by-list-price', 1700, 2]]);
    expect(causesOf(document, 1)).toEqual([]);
  });

  it('reads a snapshot-era subscription without cancel_at_period_end by its cancel_at', async () => {
    const account = withSubscriptionsSetToEnd();
    for (const entry of account.subscriptions) delete entry.cancel_at_period_end;
    const document = await json(account);
    // The Starter one still has its cancel_at (the period end), so it is still set to end.
    expect(causesOf(document, 0).find((cause: any) => cause.cause === 'scheduled-to-end')).toMatchObject({ mrr: 1600, subscriptions: 1 });
  });

  it('for kpi arr the causes are 12 x, under the field arr', async () => {
    const document = await json(HANDWORKED_ACCOUNT, {}, 'arr');
    // 1300 x 12 = 15600 = 142000 - 126400 (11833.333 x 12 and 10533.333 x 12, both exact).
    expect(causesOf(document, 0)).toEqual([expect.objectContaining({ coupon: 'NONPROFIT20', arr: 15_600 })]);
    expect(document.reconciliation.tiers[0].difference).toBe(15_600);
  });

  it('--explain says which causes touched each subscription line', async () => {
    const document = await json(HANDWORKED_ACCOUNT, {}, 'mrr', true);
    const lines = document.explain.filter((line: any) => line.causes.length > 0);
    // Only #2 differs: platform 2000 vs 1600, small add-on 3000 vs 2400, remote add-on 1500 vs 1200.
    expect(lines.map((line: any) => [line.product, line.causes])).toEqual([
      ['FlowFuse Cloud - Starter', [{ cause: 'coupon-ignored-by-list-price', coupon: 'NONPROFIT20', mrr: 400 }]],
      ['Starter - Small Instance Add-On', [{ cause: 'coupon-ignored-by-list-price', coupon: 'NONPROFIT20', mrr: 600 }]],
      ['Starter - Remote Instance Add-On', [{ cause: 'coupon-ignored-by-list-price', coupon: 'NONPROFIT20', mrr: 300 }]],
    ]);
    const explained = await report(HANDWORKED_ACCOUNT, {}, 'mrr', true);
    const table = renderRevenueTable(explained, makePalette(false));
    expect(table).toContain('  Starter: forever coupon NONPROFIT20 (20 %) ignored by rule list-price: +13.00 USD on 1 subscription\n');
    expect(table).toMatch(/Starter - Small Instance Add-On\s+2\s+30\.00 USD\s+24\.00 USD\s+coupon-ignored-by-list-price NONPROFIT20 \+6\.00 USD/);
    const csv = renderRevenueDelimited(explained, 'csv');
    expect(csv.split('\r\n')[0]).toBe('subscription,customer,status,tier,product,quantity,mrr,currency,stripe_mrr,difference,causes');
    expect(csv).toContain(',20.00,usd,16.00,4.00,coupon-ignored-by-list-price:NONPROFIT20=4.00');
  });
});

describe('causes add up exactly to the printed difference (generated accounts)', () => {
  const settings: Array<Partial<ConfigFile>> = [
    {},
    { stripe_settings: { subtract_repeating: true, subtract_once: true, churn: 'at_period_end' } },
    { discounts: { count_repeating: true }, stripe_settings: { subtract_once: true } },
    // Each setting the other way round too: the handbook subtracting what Stripe keeps.
    { discounts: { count_repeating: true, count_once: true }, stripe_settings: { subtract_repeating: false, subtract_once: false, churn: 'at_cancellation' } },
  ];
  const kindsSeen = new Set<string>();
  for (const seed of [1, 7, 2024]) {
    it(`seed ${seed}, every tier and currency, each setting, MRR and ARR`, async () => {
      const account = generateDemoAccount({ subscriptions: 150, seed });
      let causesSeen = 0;
      for (const overrides of settings) {
        for (const measure of ['mrr', 'arr'] as const) {
          const result = await report(account, overrides, measure, true);
          for (const tier of result.tiers) {
            for (const [currency, difference] of Object.entries(tier.difference.byCurrency)) {
              const sum = tier.causes.filter((cause) => cause.currency === currency).reduce((total, cause) => total + cause.amount, 0n);
              expect(sum, `${tier.name} ${currency}`).toBe(difference);
            }
            causesSeen += tier.causes.length;
            for (const cause of tier.causes) kindsSeen.add(cause.kind);
          }
          for (const line of result.explain ?? []) {
            expect(line.causes.reduce((total, cause) => total + cause.amount, 0n), line.subscriptionId).toBe(line.amount - line.stripeAmount);
          }
        }
      }
      // The property is not vacuous: the generated accounts do differ, for several reasons.
      expect(causesSeen).toBeGreaterThan(5);
      // The generator plants a subscription set to end: churn is exercised on every seed.
      expect(kindsSeen.has('scheduled-to-end')).toBe(true);
    });
  }
  it('over the seeds, every kind of cause occurs (the property is checked on each)', () => {
    expect([...kindsSeen].sort()).toEqual([...CAUSE_KINDS].sort());
  });
});

describe('amount-off coupons between Stripe and the handbook', () => {
  it('steps through two coupons in the order the subscription lists them', async () => {
    const account = structuredClone(HANDWORKED_ACCOUNT);
    const pro = account.products.find((product) => product.name === 'FlowFuse Pro Platform - Cloud')!;
    const proPrice = account.prices.find((entry) => entry.product === pro.id && entry.unit_amount === 42500)!;
    const repeating = coupon({ id: 'WELCOME', amountOff: 2500, duration: 'repeating', months: 2 });
    const once = coupon({ id: 'ONBOARD', percentOff: 10, duration: 'once' });
    account.coupons.push(repeating, once);
    account.subscriptions = [subscription({ items: [{ price: proPrice }], discounts: [discount(repeating), discount(once)] })];
    const document = await json(account, { stripe_settings: { subtract_repeating: true, subtract_once: true } });
    // Stripe: (42500 - 2500) x 0.9 = 36000; handbook 42500; difference 6500.
    // Step 1 (WELCOME back): 42500 x 0.9 = 38250, +2250; step 2 (ONBOARD back): 42500, +4250.
    expect(causesOf(document, 1).map((cause: any) => [cause.coupon, cause.description, cause.mrr])).toEqual([
      ['ONBOARD', "once coupon ONBOARD (10 %) subtracted by stripe_settings.subtract_once, not by discounts.count_once", 4250],
      ['WELCOME', "repeating coupon WELCOME (25.00 USD off) subtracted by stripe_settings.subtract_repeating, not by discounts.count_repeating", 2250],
    ]);
  });
});

describe('the fields the churn setting reads are checked', () => {
  it('refuses a cancel_at_period_end that is not a boolean, naming the subscription and the field', async () => {
    const account = withSubscriptionsSetToEnd();
    const damaged = account.subscriptions.at(-2)!;
    (damaged as Record<string, unknown>).cancel_at_period_end = 'yes';
    await expect(report(account)).rejects.toThrow(new RegExp(`subscription ${damaged.id} has an impossible value: cancel_at_period_end`));
  });
});

describe('snapshots keep what the churn setting reads', () => {
  it('minimising a subscription keeps cancel_at_period_end and cancel_at', () => {
    const setToEnd = withSubscriptionsSetToEnd().subscriptions.at(-2)!;
    const minimised = minimiseSubscription(setToEnd, new Set());
    expect(minimised.cancel_at_period_end).toBe(true);
    expect(minimised.cancel_at).toBe(setToEnd.cancel_at);
  });
});

describe('causes do not depend on the order subscriptions arrive in', () => {
  it('two causes with equal remainders get the spare cent by name, not by which was read first', async () => {
    // The configured tiers need every product they name; only Starter's are used.
    const starter = HANDWORKED_ACCOUNT.products.find((candidate) => candidate.name === 'FlowFuse Cloud - Starter')!;
    const cheap = price(starter, { unitAmount: 5 });
    const dear = price(starter, { unitAmount: 15 });
    const alpha = coupon({ id: 'ALPHA10', percentOff: 10 });
    const beta = coupon({ id: 'BETA10', percentOff: 10 });
    // Starter's list-price rule ignores both forever coupons: ALPHA10 takes 5 x 10 % = 0.5,
    // BETA10 15 x 10 % = 1.5. Handbook 5 + 15 = 20, Stripe 4.5 + 13.5 = 18: a difference of 2.
    // Floors 0 and 1 leave 1 to hand out, and both remainders are 1/2.
    const first = subscription({ items: [{ price: cheap }], discounts: [discount(alpha)] });
    const second = subscription({ items: [{ price: dear }], discounts: [discount(beta)] });
    const parts = { products: HANDWORKED_ACCOUNT.products, prices: [cheap, dear], coupons: [alpha, beta] };
    const forward = causesOf(await json(account({ ...parts, subscriptions: [first, second] })), 0);
    const backward = causesOf(await json(account({ ...parts, subscriptions: [second, first] })), 0);
    expect(forward.map((cause: { coupon: string; mrr: number }) => [cause.coupon, cause.mrr])).toEqual([
      ['ALPHA10', 1],
      ['BETA10', 1],
    ]);
    expect(backward).toEqual(forward);
  });
});
