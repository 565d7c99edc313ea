import type { KpiConfig, TierGroup } from '../config/schema.js';
import { apportion, computeMovements, MOVEMENT_KINDS, type CustomerMrr, type GroupMovements, type MovementKind } from '../history/movements.js';
import { Rational } from '../money/rational.js';
import { conversionFactor, quotesUsed, ratesPerUnit, type ExchangeRates } from '../money/exchange-rates.js';
import { checkRates, NO_ECB_SOURCE, ratesAtFor, ratesForSnapshot, type RatesAt } from './reporting-rates.js';
import type { SnapshotFile } from '../snapshots/snapshot-format.js';
import { snapshotReader } from '../snapshots/snapshot-reader.js';
import { WireBillingSource } from '../sources/stripe/wire-source.js';
import { accumulateRevenue, type AccumulatedRevenue } from './compute-revenue.js';
import { describeSnapshot } from './weekly-arr.js';

export interface MovementLine {
  tier: string;
  /** Self-service lines make the totals; other recurring groups (ARR only) are shown apart. */
  group: TierGroup;
  currency: string;
  start: bigint;
  end: bigint;
  parts: Record<MovementKind, { amount: bigint; customers: number; subscriptions: number }>;
}

export interface MovementsReport {
  generatedAt: Date;
  from: { requested: Date; snapshot: string; takenAt: Date };
  to: { requested: Date; snapshot: string; takenAt: Date };
  /**
   * One line per tier and currency, self-service tiers first, then the other recurring
   * groups; parts add up to end - start exactly.
   */
  lines: MovementLine[];
  /** Per currency, the self-service tiers together (what MRR is). */
  totals: MovementLine[];
  /**
   * With reporting rates: the self-service total in one currency. The start is converted
   * at the start's rates, the end at the end's, the movements at the start's; the rest of
   * the change is `fxAdjustment` (the end amounts at the end rates minus at the start
   * rates), so movements + fx = end - start exactly. At constant currency both ends use
   * the start's rates and fx is 0.
   */
  converted: ConvertedMovements | null;
}

/** The rates of one end as the output names them: the quotes the conversion relied on. */
export interface RatesUsed {
  source: ExchangeRates['source'];
  date: string | null;
  quotes: Record<string, string>;
}

export interface ConvertedMovements {
  currency: string;
  /** Units of `currency` one unit of each converted currency is worth at the start rates (which the movements use). */
  startRatesPerUnit: Record<string, string>;
  startRates: RatesUsed;
  endRates: RatesUsed;
  constantCurrency: boolean;
  total: MovementLine;
  fxAdjustment: bigint;
}

export interface MovementsOptions {
  /** The rates at a moment, for snapshots that pinned none (default: the config's fixed rates only). */
  ratesAt?: RatesAt;
  /** Both ends at the start's rates: growth without currency effects. */
  constantCurrency?: boolean;
}

export interface DatedSnapshot {
  requested: Date;
  file: SnapshotFile;
  path: string;
}

/** The same account's snapshots taken before the start, read only when needed. */
export interface EarlierSnapshots {
  /** Newest first. */
  paths: readonly string[];
  load(path: string): SnapshotFile;
}

const NO_EARLIER_SNAPSHOTS: EarlierSnapshots = { paths: [], load: () => { throw new Error('no earlier snapshots'); } };

/**
 * Two snapshots read and valued once: each counted subscription's MRR at both ends and the
 * movements between them, for every recurring group. Movements and SaaS metrics both start here.
 */
export interface SnapshotPairReading {
  start: CustomerMrr[];
  end: CustomerMrr[];
  groups: GroupMovements[];
  /** Whether a customer without MRR at the start had paid before it (a win-back if it pays at the end). */
  paidBeforeStart(customerId: string): boolean;
  kindOf(group: number): TierGroup;
  tierName(group: number): string;
}

export async function readSnapshotPair(config: KpiConfig, from: DatedSnapshot, to: DatedSnapshot, earlier: EarlierSnapshots = NO_EARLIER_SNAPSHOTS): Promise<SnapshotPairReading> {
  const [start, end] = await Promise.all([customerMrr(config, from), customerMrr(config, to)]);
  const paidBefore = await customersWhoPaidBefore(config, from, to, start.rows, end.rows, earlier);
  return {
    start: start.rows,
    end: end.rows,
    // Every recurring group takes part, so a subscription that moves out of self-service but
    // still pays is contraction there and expansion in its new group, not churn.
    groups: computeMovements(start.rows, end.rows, (customer) => paidBefore.has(customer)),
    paidBeforeStart: (customer) => paidBefore.has(customer),
    kindOf: (group) => end.tierGroups[group] ?? start.tierGroups[group] ?? 'self-service',
    tierName: (group) => end.tierNames[group] ?? start.tierNames[group] ?? `tier ${group + 1}`,
  };
}

/** Which snapshots a period report compares, as the JSON and the table name them. */
export function periodEnds(from: DatedSnapshot, to: DatedSnapshot): Pick<MovementsReport, 'from' | 'to'> {
  return {
    from: { requested: from.requested, snapshot: describeSnapshot(from.file), takenAt: new Date(from.file.taken_at * 1000) },
    to: { requested: to.requested, snapshot: describeSnapshot(to.file), takenAt: new Date(to.file.taken_at * 1000) },
  };
}

/** The MRR change between two snapshots, split into Stripe's movements, per tier. */
export async function mrrMovements(
  config: KpiConfig,
  from: DatedSnapshot,
  to: DatedSnapshot,
  now: Date,
  earlier: EarlierSnapshots = NO_EARLIER_SNAPSHOTS,
  options: MovementsOptions = {},
): Promise<MovementsReport> {
  const { groups: allGroups, kindOf, tierName } = await readSnapshotPair(config, from, to, earlier);
  const groups = allGroups.filter((group) => kindOf(group.group) === 'self-service');
  const others = allGroups.filter((group) => kindOf(group.group) !== 'self-service');

  const lines = [...groups, ...others].map((group) => roundLine(tierName(group.group), kindOf(group.group), group));
  const currencies = [...new Set(groups.map((group) => group.currency))].sort();
  const totals = currencies.map((currency) => roundLine('Total', 'self-service', sumGroups(groups.filter((group) => group.currency === currency), currency)));

  const ratesAt = options.ratesAt ?? ratesAtFor(config, NO_ECB_SOURCE);
  const [startRates, endRates] = await Promise.all([ratesForSnapshot(from.file, config, ratesAt), ratesForSnapshot(to.file, config, ratesAt)]);
  const converted = startRates && endRates ? convertMovements(groups, currencies, { start: startRates, end: endRates }, options.constantCurrency ?? false, config) : null;
  return {
    generatedAt: now,
    ...periodEnds(from, to),
    lines,
    totals,
    converted,
  };
}

/**
 * Which customers paying at the end but not at the start had paid before: a win-back is
 * a reactivation, whatever way they left (canceled, unpaid, paused ...). Two kinds of
 * evidence: counted MRR in an earlier snapshot of the account (read newest first, and
 * only until every such customer is settled), and a subscription that ended before the
 * start after its trial (for the time before the first snapshot; a trial that never
 * converted is not a payment).
 */
async function customersWhoPaidBefore(
  config: KpiConfig,
  from: DatedSnapshot,
  to: DatedSnapshot,
  start: readonly CustomerMrr[],
  end: readonly CustomerMrr[],
  earlier: EarlierSnapshots,
): Promise<Set<string>> {
  const payingAtStart = new Set(start.filter((row) => row.amount.isPositive()).map((row) => row.customerId));
  const unsettled = new Set(end.filter((row) => row.amount.isPositive() && !payingAtStart.has(row.customerId)).map((row) => row.customerId));
  const paidBefore = new Set<string>();
  const settle = (customer: string) => {
    if (!unsettled.delete(customer)) return;
    paidBefore.add(customer);
  };
  const startedAt = from.file.taken_at;
  for (const subscription of [...to.file.subscriptions, ...from.file.subscriptions]) {
    const ended = subscription.ended_at;
    if (ended === null || ended > startedAt || subscription.status !== 'canceled') continue;
    if (subscription.trial_end !== null && subscription.trial_end >= ended) continue;
    settle(typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id);
  }
  for (const path of earlier.paths) {
    if (unsettled.size === 0) break;
    const { rows } = await customerMrr(config, { requested: from.requested, path, file: earlier.load(path) });
    for (const row of rows) if (row.amount.isPositive()) settle(row.customerId);
  }
  return paidBefore;
}

/** Each counted subscription's MRR per group: the self-service tiers and, after them, the other recurring groups ARR adds. */
async function customerMrr(config: KpiConfig, dated: DatedSnapshot): Promise<{ rows: CustomerMrr[]; tierNames: string[]; tierGroups: TierGroup[] }> {
  const source = new WireBillingSource(snapshotReader(dated.file, dated.path), describeSnapshot(dated.file), dated.file.taken_at);
  const [{ totals, layout }] = (await accumulateRevenue(source, config, ['arr'], { explain: true })) as [AccumulatedRevenue];
  const rows = (totals.contributions ?? []).map((row) => ({
    customerId: row.customerId,
    subscriptionId: row.subscriptionId,
    group: row.tierIndex,
    currency: row.currency,
    amount: row.mrr,
  }));
  return { rows, tierNames: layout.tiers.map((tier) => tier.displayName), tierGroups: layout.tiers.map((tier) => tier.group) };
}

/**
 * The self-service groups in the reporting currency: start and movements at the start
 * rates, end at the end rates. Per group, movements add up to end - start in its own
 * currency, so converted: movements + end x (end rate - start rate) = end at end rates -
 * start at start rates, exactly; the ends are rounded once and the six parts apportioned.
 */
function convertMovements(
  groups: GroupMovements[],
  currencies: string[],
  rates: { start: ExchangeRates; end: ExchangeRates },
  constantCurrency: boolean,
  config: KpiConfig,
): ConvertedMovements {
  const startRates = rates.start;
  const endRates = constantCurrency ? rates.start : rates.end;
  checkRates(currencies, startRates, config);
  checkRates(currencies, endRates, config);
  const atStart = sumGroups(groups.map((group) => scaleGroup(group, conversionFactor(group.currency, startRates), startRates.currency)), startRates.currency);
  const fx = groups.reduce((sum, group) => sum.plus(group.end.times(conversionFactor(group.currency, endRates).minus(conversionFactor(group.currency, startRates)))), Rational.ZERO);
  const exact: GroupMovements = { ...atStart, end: atStart.end.plus(fx) };
  const [total, fxAdjustment] = roundLineWithFx('Total', 'self-service', exact, fx);
  return {
    currency: startRates.currency,
    startRatesPerUnit: ratesPerUnit(startRates, currencies),
    startRates: ratesUsed(startRates, currencies),
    endRates: ratesUsed(endRates, currencies),
    constantCurrency,
    total,
    fxAdjustment,
  };
}

function ratesUsed(rates: ExchangeRates, currencies: readonly string[]): RatesUsed {
  return { source: rates.source, date: rates.date, quotes: quotesUsed(rates, currencies) };
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
export function roundLine(tier: string, kind: TierGroup, group: GroupMovements): MovementLine {
  return roundLineWithFx(tier, kind, group, Rational.ZERO)[0];
}

/** `roundLine` with a currency effect as a sixth part: movements + fx add up to the rounded change. */
function roundLineWithFx(tier: string, kind: TierGroup, group: GroupMovements, fx: Rational): [MovementLine, bigint] {
  const start = group.start.roundHalfUp();
  const end = group.end.roundHalfUp();
  const amounts = apportion([...MOVEMENT_KINDS.map((kind) => group.parts[kind].amount), fx], end - start);
  const line: MovementLine = {
    tier,
    group: kind,
    currency: group.currency,
    start,
    end,
    parts: Object.fromEntries(
      MOVEMENT_KINDS.map((kind, index) => [kind, { amount: amounts[index] as bigint, customers: group.parts[kind].customers, subscriptions: group.parts[kind].subscriptions }]),
    ) as MovementLine['parts'],
  };
  return [line, amounts[MOVEMENT_KINDS.length] as bigint];
}
