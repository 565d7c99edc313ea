import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, coupon, discount, price, subscription } from '../support/account-builder.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * The spare minor unit between causes with equal remainders goes by the cause's name
 * (revenue-report.ts), compared by code units: not by localeCompare, whose order follows
 * LC_ALL/LANG (in Estonian, Z sorts between S and T).
 */
const KEY = 'sk_test_kpi_valid';
let server: RunningStripeServer;

beforeAll(async () => {
  const starter = HANDWORKED_ACCOUNT.products.find((candidate) => candidate.name === 'FlowFuse Cloud - Starter')!;
  const cheap = price(starter, { unitAmount: 5 });
  const dear = price(starter, { unitAmount: 15 });
  const team = coupon({ id: 'TEAM10', percentOff: 10 });
  const zebra = coupon({ id: 'ZEBRA10', percentOff: 10 });
  server = await startStripeServer({
    account: account({
      products: HANDWORKED_ACCOUNT.products,
      prices: [cheap, dear],
      coupons: [team, zebra],
      subscriptions: [subscription({ items: [{ price: cheap }], discounts: [discount(team)] }), subscription({ items: [{ price: dear }], discounts: [discount(zebra)] })],
    }),
    apiKeys: [KEY],
  });
});
afterAll(() => server.close());

async function causes(locale: string) {
  const run = await runKpi(['mrr', '--format', 'json'], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, LC_ALL: locale, KPI_NOW: '2026-11-16T12:00:00Z' } });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).reconciliation.tiers[0].causes.map((cause: { coupon: string; mrr: number }) => [cause.coupon, cause.mrr]);
}

describe('difference causes do not depend on the user\'s locale', () => {
  it('the same figures under en_US and et_EE', async () => {
    // TEAM10 takes 5 x 10 % = 0.5, ZEBRA10 15 x 10 % = 1.5 of a difference of 2: floors 0 and 1,
    // equal remainders, so the spare cent goes to the first name, TEAM10 ("T" < "Z").
    expect(await causes('en_US.UTF-8')).toEqual([
      ['TEAM10', 1],
      ['ZEBRA10', 1],
    ]);
    expect(await causes('et_EE.UTF-8')).toEqual(await causes('en_US.UTF-8'));
  });
});
