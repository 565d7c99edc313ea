import { expect } from 'vitest';
import { EXPECTED } from './handworked-account.js';

/** Checks a `kpi mrr` JSON document against the hand-worked figures of the hand-worked account. */
export function expectHandworkedMrrJson(document: any): void {
  expect(document).toMatchObject({ schema_version: 1, kind: 'mrr', currency: 'usd', mrr: EXPECTED.mrr, subscriptions: EXPECTED.subscriptions });
  expect(document.mrr_by_currency).toEqual({ usd: EXPECTED.mrr });
  const [starter, pro] = document.tiers;
  expect(starter).toMatchObject({ name: 'Starter', rule: 'list-price', mrr: EXPECTED.starter.mrr, subscriptions: EXPECTED.starter.subscriptions });
  expect(starter.products.map(({ name, mrr, subscriptions, quantity }: any) => ({ name, mrr, subscriptions, quantity }))).toEqual(
    EXPECTED.starter.products,
  );
  expect(pro).toMatchObject({ name: 'Pro', rule: 'billed', mrr: EXPECTED.pro.mrr, subscriptions: EXPECTED.pro.subscriptions });
  expect(pro.products.map(({ name, mrr, subscriptions, quantity }: any) => ({ name, mrr, subscriptions, quantity }))).toEqual(
    EXPECTED.pro.products,
  );
  expect(document.reconciliation).toMatchObject({ stripe_mrr: EXPECTED.stripeMrr, difference: EXPECTED.mrr - EXPECTED.stripeMrr });
  expect(document.reconciliation.tiers[0]).toMatchObject({
    handbook_mrr: EXPECTED.starter.mrr,
    stripe_mrr: EXPECTED.starter.stripeMrr,
    difference: EXPECTED.starter.mrr - EXPECTED.starter.stripeMrr,
  });
  expect(document.excluded).toEqual({ metered_items: EXPECTED.meteredItems });
}
