import type { KpiConfig } from '../config/schema.js';
import { computeMovements, MOVEMENT_KINDS, type CustomerMrr } from '../history/movements.js';
import { asOneGroup, MERGED_GROUP, saasMetrics, scopeHoldings, type SaasMetrics, type ScopeMovements } from '../history/saas-metrics.js';
import { periodEnds, readSnapshotPair, roundLine, type DatedSnapshot, type EarlierSnapshots, type MovementLine, type MovementsReport } from './mrr-movements.js';

export interface SaasMetricsLine {
  tier: string;
  currency: string;
  metrics: SaasMetrics;
}

export interface SaasMetricsReport {
  generatedAt: Date;
  from: MovementsReport['from'];
  to: MovementsReport['to'];
  /** Per self-service tier and currency. */
  lines: SaasMetricsLine[];
  /** Per currency, the self-service tiers as one (customers counted once, moves between tiers netted). */
  totals: SaasMetricsLine[];
}

/**
 * SaaS metrics of the self-service MRR between two snapshots, per tier and currency and per
 * currency in total. Groups outside MRR (ARR only) have no MRR metrics. Totals are not
 * converted across currencies: a ratio per currency says more than one of mixed books.
 */
export async function saasMetricsReport(config: KpiConfig, from: DatedSnapshot, to: DatedSnapshot, now: Date, earlier?: EarlierSnapshots): Promise<SaasMetricsReport> {
  const reading = await readSnapshotPair(config, from, to, earlier);
  const periodSeconds = to.file.taken_at - from.file.taken_at;
  const selfService = reading.groups.filter((group) => reading.kindOf(group.group) === 'self-service');
  const metricsOf = (line: MovementLine, inScope: (row: CustomerMrr) => boolean, start = reading.start, end = reading.end): SaasMetricsLine => ({
    tier: line.tier,
    currency: line.currency,
    metrics: saasMetrics(scopeMovements(line), scopeHoldings(start, end, inScope), periodSeconds),
  });
  const lines = selfService.map((group) =>
    metricsOf(roundLine(reading.tierName(group.group), 'self-service', group), (row) => row.group === group.group && row.currency === group.currency),
  );
  // Totals value the self-service tiers as one book, from the same rows: a move between
  // tiers is not churn of the total.
  const isSelfService = (group: number) => reading.kindOf(group) === 'self-service';
  const [start, end] = [asOneGroup(reading.start, isSelfService), asOneGroup(reading.end, isSelfService)];
  const books = computeMovements(start, end, reading.paidBeforeStart).filter((group) => group.group === MERGED_GROUP);
  const totals = books.map((book) =>
    metricsOf(roundLine('Total', 'self-service', book), (row) => row.group === MERGED_GROUP && row.currency === book.currency, start, end),
  );
  return { generatedAt: now, ...periodEnds(from, to), lines, totals };
}

function scopeMovements(line: MovementLine): ScopeMovements {
  return { start: line.start, end: line.end, parts: Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, line.parts[kind].amount])) as ScopeMovements['parts'] };
}
