import type { KpiConfig } from '../config/schema.js';
import { MOVEMENT_KINDS, type CustomerMrr } from '../history/movements.js';
import { saasMetrics, scopeHoldings, type SaasMetrics, type ScopeMovements } from '../history/saas-metrics.js';
import { periodEnds, readSnapshotPair, roundLine, sumGroups, type DatedSnapshot, type EarlierSnapshots, type MovementLine, type MovementsReport } from './mrr-movements.js';

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
  /** Per currency, the self-service tiers together (customers counted once across tiers). */
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
  const metricsOf = (line: MovementLine, inScope: (row: CustomerMrr) => boolean): SaasMetricsLine => ({
    tier: line.tier,
    currency: line.currency,
    metrics: saasMetrics(scopeMovements(line), scopeHoldings(reading.start, reading.end, inScope), periodSeconds),
  });
  const lines = selfService.map((group) =>
    metricsOf(roundLine(reading.tierName(group.group), 'self-service', group), (row) => row.group === group.group && row.currency === group.currency),
  );
  const currencies = [...new Set(selfService.map((group) => group.currency))].sort();
  const totals = currencies.map((currency) =>
    metricsOf(
      roundLine('Total', 'self-service', sumGroups(selfService.filter((group) => group.currency === currency), currency)),
      (row) => row.currency === currency && reading.kindOf(row.group) === 'self-service',
    ),
  );
  return { generatedAt: now, ...periodEnds(from, to), lines, totals };
}

function scopeMovements(line: MovementLine): ScopeMovements {
  return { start: line.start, end: line.end, parts: Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, line.parts[kind].amount])) as ScopeMovements['parts'] };
}
