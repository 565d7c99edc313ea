import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mrrMovements, type DatedSnapshot } from '../../src/app/mrr-movements.js';
import { loadConfig } from '../../src/config/load.js';
import type { SnapshotFile } from '../../src/snapshots/snapshot-format.js';
import { takeSnapshot } from '../../src/snapshots/take-snapshot.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import type { WireSubscription } from '../../src/sources/stripe/wire.js';
import { account, AS_OF, subscription } from '../support/account-builder.js';
import { HANDWORKED_ACCOUNT } from '../support/handworked-account.js';

const WEEK = 7 * 86_400;
// The handbook default: "FlowFuse Cloud - Starter" is self-service, counted while active or past_due.
const config = loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'kpi-no-config-')) });
// The hand-worked account's catalog: every product the default tiers name is there.
const { products, prices } = HANDWORKED_ACCOUNT;
const productNamed = (name: string) => products.find((product) => product.name === name)!.id;
const priceOf = (name: string, unitAmount: number) =>
  prices.find((price) => price.product === productNamed(name) && price.unit_amount === unitAmount && price.active)!;
const starterMonthly = priceOf('FlowFuse Cloud - Starter', 2000);

function snapshotOf(takenAt: number, subscriptions: WireSubscription[]): Promise<SnapshotFile> {
  const state = { ...account({ products, prices, subscriptions }), as_of: takenAt };
  return takeSnapshot(new AccountFileReader(state), { takenAt, source: 'test', livemode: false });
}

/** Three weekly snapshots; movements from the middle one to the last, the first one earlier. */
async function movementsOver(weeks: [WireSubscription[], WireSubscription[], WireSubscription[]]) {
  const [first, middle, last] = await Promise.all(weeks.map((subscriptions, index) => snapshotOf(AS_OF - (2 - index) * WEEK, subscriptions)));
  const dated = (file: SnapshotFile, path: string): DatedSnapshot => ({ requested: new Date(file.taken_at * 1000), file, path });
  return mrrMovements(config, dated(middle!, 'middle'), dated(last!, 'last'), new Date(AS_OF * 1000), { paths: ['first'], load: () => first! });
}

async function totalMovements(weeks: [WireSubscription[], WireSubscription[], WireSubscription[]]) {
  return (await movementsOver(weeks)).totals[0]!.parts;
}

describe('reactivation is a return to counted MRR, whatever way the customer left', () => {
  it('active -> unpaid -> active is a reactivation, not a new customer', async () => {
    const paying = subscription({ customer: 'cus_recovers', items: [{ price: starterMonthly }] });
    const parts = await totalMovements([[paying], [{ ...paying, status: 'unpaid' }], [paying]]);
    // 2000 a month back from a customer counted two weeks ago: reactivation, nothing new.
    expect(parts.reactivation).toEqual({ amount: 2000n, customers: 1, subscriptions: 1 });
    expect(parts.new).toEqual({ amount: 0n, customers: 0, subscriptions: 0 });
  });

  it('canceled, then a new subscription of the same customer, is a reactivation; a never-counted customer is new', async () => {
    const first = subscription({ customer: 'cus_returns', items: [{ price: starterMonthly }] });
    const canceled = { ...first, status: 'canceled' as const, canceled_at: AS_OF - 10 * 86_400, ended_at: AS_OF - 10 * 86_400 };
    const second = subscription({ customer: 'cus_returns', created: AS_OF - 86_400, items: [{ price: starterMonthly }] });
    const stranger = subscription({ customer: 'cus_new', created: AS_OF - 86_400, items: [{ price: starterMonthly }] });
    const parts = await totalMovements([[first], [canceled], [canceled, second, stranger]]);
    expect(parts.reactivation).toEqual({ amount: 2000n, customers: 1, subscriptions: 1 });
    expect(parts.new).toEqual({ amount: 2000n, customers: 1, subscriptions: 1 });
  });

  it('a trial that never converted and comes back paying is new: it never held counted MRR', async () => {
    const trial = { ...subscription({ customer: 'cus_trial', status: 'trialing', items: [{ price: starterMonthly }] }), trial_end: AS_OF + 86_400 };
    const parts = await totalMovements([[trial], [{ ...trial, status: 'incomplete_expired' }], [{ ...trial, status: 'active' }]]);
    expect(parts.new.amount).toBe(2000n);
    expect(parts.reactivation.amount).toBe(0n);
  });
});

describe('a subscription that moves out of self-service but still pays', () => {
  it('is contraction in self-service MRR and expansion in its new group, shown apart from the totals', async () => {
    const enterpriseYearly = priceOf('FlowFuse Enterprise - Self-Hosted', 2_000_000);
    const onStarter = subscription({ customer: 'cus_upmarket', items: [{ price: starterMonthly }] });
    const onEnterprise = { ...onStarter, items: { ...onStarter.items, data: [{ ...onStarter.items.data[0]!, price: enterpriseYearly }] } };
    const report = await movementsOver([[onStarter], [onStarter], [onEnterprise]]);
    const starterLine = report.lines.find((line) => line.tier === 'Starter')!;
    const enterpriseLine = report.lines.find((line) => line.tier === 'Enterprise')!;
    // Starter: 2000 -> 0 while the subscription stays counted: contraction, no churn.
    expect([starterLine.group, starterLine.start, starterLine.end]).toEqual(['self-service', 2000n, 0n]);
    expect(starterLine.parts.contraction).toEqual({ amount: -2000n, customers: 1, subscriptions: 1 });
    expect(starterLine.parts.churn.amount).toBe(0n);
    // Enterprise: 0 -> 2,000,000 / 12 = 166,666.67 a month, from a customer paying at the start: expansion.
    expect([enterpriseLine.group, enterpriseLine.start, enterpriseLine.end]).toEqual(['other-recurring', 0n, 166_667n]);
    expect(enterpriseLine.parts.expansion).toEqual({ amount: 166_667n, customers: 1, subscriptions: 1 });
    // The totals are self-service MRR only: 2000 -> 0, all of it contraction.
    expect(report.totals).toHaveLength(1);
    expect([report.totals[0]!.start, report.totals[0]!.end, report.totals[0]!.parts.contraction.amount, report.totals[0]!.parts.churn.amount]).toEqual([2000n, 0n, -2000n, 0n]);
    expect(report.lines.map((line) => line.group)).toEqual(['self-service', 'other-recurring']);
  });
});
