import type { KpiConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { apportion, computeMovements, MOVEMENT_KINDS, type CustomerMrr, type GroupMovements, type MovementKind } from '../history/movements.js';
import { Rational } from '../money/rational.js';
import { conversionFactor, missingRates } from '../reports/revenue-report.js';
import type { SnapshotFile } from '../snapshots/snapshot-format.js';
import { snapshotReader } from '../snapshots/snapshot-reader.js';
import { WireBillingSource } from '../sources/stripe/wire-source.js';
import { accumulateRevenue, type AccumulatedRevenue } from './compute-revenue.js';
import { describeSnapshot } from './weekly-arr.js';

export interface MovementLine {
  tier: string;
  currency: string;
  start: bigint;
  end: bigint;
  parts: Record<MovementKind, { amount: bigint; customers: number; subscriptions: number }>;
}

export interface MovementsReport {
  generatedAt: Date;
  from: { requested: Date; snapshot: string; takenAt: Date };
  to: { requested: Date; snapshot: string; takenAt: Date };
  /** One line per tier and currency; parts add up to end - start exactly. */
  lines: MovementLine[];
  /** Per currency, all tiers together. */
  totals: MovementLine[];
  /**
   * With reporting rates: everything in one currency. The rates are the config's, the
   * same at both ends, so the conversion adds no movement of its own (`fxAdjustment` 0).
   */
  converted: { currency: string; rates: Record<string, string>; total: MovementLine; fxAdjustment: bigint } | null;
}

export interface DatedSnapshot {
  requested: Date;
  file: SnapshotFile;
  path: string;
}

/** The MRR change between two snapshots, split into Stripe's movements, per tier. */
export async function mrrMovements(config: KpiConfig, from: DatedSnapshot, to: DatedSnapshot, now: Date): Promise<MovementsReport> {
  const [start, end] = await Promise.all([customerMrr(config, from), customerMrr(config, to)]);
  // Win-backs: customers who had paid on a subscription that ended before the start (a
  // trial that never converted, or a payment that never went through, is not churn).
  const startedAt = from.file.taken_at;
  const endedBeforeStart = new Set(
    [...to.file.subscriptions, ...from.file.subscriptions]
      .filter((subscription) => {
        const ended = subscription.ended_at;
        if (ended === null || ended > startedAt || subscription.status !== 'canceled') return false;
        return subscription.trial_end === null || subscription.trial_end < ended;
      })
      .map((subscription) => (typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id)),
  );
  const groups = computeMovements(start.rows, end.rows, (customer) => endedBeforeStart.has(customer));
  const tierName = (group: number) => end.tierNames[group] ?? start.tierNames[group] ?? `tier ${group + 1}`;

  const lines = groups.map((group) => roundLine(tierName(group.group), group));
  const currencies = [...new Set(groups.map((group) => group.currency))].sort();
  const totals = currencies.map((currency) => roundLine('Total', sumGroups(groups.filter((group) => group.currency === currency), currency)));

  let converted: MovementsReport['converted'] = null;
  if (config.reporting) {
    const missing = missingRates(currencies, config.reporting);
    if (missing.length > 0) throw new UsageError(`config ${config.origin}: reporting.rates has no rate for ${missing.map((code) => code.toUpperCase()).join(', ')}`);
    const reporting = config.reporting;
    const inReporting = groups.map((group) => scaleGroup(group, conversionFactor(group.currency, reporting), reporting.currency));
    converted = {
      currency: reporting.currency,
      rates: Object.fromEntries(currencies.filter((code) => code !== reporting.currency).map((code) => [code, reporting.rates[code] as string])),
      total: roundLine('Total', sumGroups(inReporting, reporting.currency)),
      fxAdjustment: 0n,
    };
  }
  return {
    generatedAt: now,
    from: { requested: from.requested, snapshot: describeSnapshot(from.file), takenAt: new Date(from.file.taken_at * 1000) },
    to: { requested: to.requested, snapshot: describeSnapshot(to.file), takenAt: new Date(to.file.taken_at * 1000) },
    lines,
    totals,
    converted,
  };
}

async function customerMrr(config: KpiConfig, dated: DatedSnapshot): Promise<{ rows: CustomerMrr[]; tierNames: string[] }> {
  const source = new WireBillingSource(snapshotReader(dated.file, dated.path), describeSnapshot(dated.file), dated.file.taken_at);
  const [{ totals, layout }] = (await accumulateRevenue(source, config, ['mrr'], { explain: true })) as [AccumulatedRevenue];
  const rows = (totals.contributions ?? []).map((row) => ({
    customerId: row.customerId,
    subscriptionId: row.subscriptionId,
    group: row.tierIndex,
    currency: row.currency,
    amount: row.mrr,
  }));
  return { rows, tierNames: layout.tiers.map((tier) => tier.displayName) };
}

function sumGroups(groups: GroupMovements[], currency: string): GroupMovements {
  const sum: GroupMovements = {
    group: -1,
    currency,
    start: Rational.ZERO,
    end: Rational.ZERO,
    parts: Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, { amount: Rational.ZERO, customers: 0, subscriptions: 0 }])) as GroupMovements['parts'],
  };
  for (const group of groups) {
    sum.start = sum.start.plus(group.start);
    sum.end = sum.end.plus(group.end);
    for (const kind of MOVEMENT_KINDS) {
      sum.parts[kind].amount = sum.parts[kind].amount.plus(group.parts[kind].amount);
      sum.parts[kind].customers += group.parts[kind].customers;
      sum.parts[kind].subscriptions += group.parts[kind].subscriptions;
    }
  }
  return sum;
}

function scaleGroup(group: GroupMovements, factor: Rational, currency: string): GroupMovements {
  return {
    ...group,
    currency,
    start: group.start.times(factor),
    end: group.end.times(factor),
    parts: Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, { ...group.parts[kind], amount: group.parts[kind].amount.times(factor) }])) as GroupMovements['parts'],
  };
}

/** Rounds the ends half-up and apportions the parts so they add up to the rounded change. */
function roundLine(tier: string, group: GroupMovements): MovementLine {
  const start = group.start.roundHalfUp();
  const end = group.end.roundHalfUp();
  const amounts = apportion(MOVEMENT_KINDS.map((kind) => group.parts[kind].amount), end - start);
  return {
    tier,
    currency: group.currency,
    start,
    end,
    parts: Object.fromEntries(
      MOVEMENT_KINDS.map((kind, index) => [kind, { amount: amounts[index] as bigint, customers: group.parts[kind].customers, subscriptions: group.parts[kind].subscriptions }]),
    ) as MovementLine['parts'],
  };
}
