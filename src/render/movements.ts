import type { MovementLine, MovementsReport } from '../app/mrr-movements.js';
import { MOVEMENT_KINDS } from '../history/movements.js';
import { historyJson, type HistorySelection } from '../history/snapshot-selection.js';
import { formatChangeForHumans, formatMoneyForHumans } from '../money/currency.js';
import type { Palette } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonInteger } from './json-values.js';
import { newTable, tableText } from './table-style.js';

export const MOVEMENTS_JSON_SCHEMA_VERSION = 1;

export const MOVEMENT_LABELS = { new: 'New', reactivation: 'Reactivation', expansion: 'Expansion', contraction: 'Contraction', churn: 'Churn' } as const;

function lineJson(line: MovementLine) {
  return {
    tier: line.tier,
    group: line.group,
    currency: line.currency,
    start_mrr: jsonInteger(line.start),
    end_mrr: jsonInteger(line.end),
    change: jsonInteger(line.end - line.start),
    movements: Object.fromEntries(
      MOVEMENT_KINDS.map((kind) => [kind, { mrr: jsonInteger(line.parts[kind].amount), customers: line.parts[kind].customers, subscriptions: line.parts[kind].subscriptions }]),
    ),
  };
}

/** Whose snapshots a period output compared, and which: the JSON fields `kpi mrr --from` and `kpi metrics` share. */
export function periodJson(report: Pick<MovementsReport, 'from' | 'to'>, selection: HistorySelection | null) {
  return {
    ...historyJson(selection),
    from: { requested: report.from.requested.toISOString(), snapshot: report.from.snapshot, taken_at: report.from.takenAt.toISOString() },
    to: { requested: report.to.requested.toISOString(), snapshot: report.to.snapshot, taken_at: report.to.takenAt.toISOString() },
  };
}

/** The two snapshots' dates for a heading: "2026-01-01 → 2026-02-01". */
export function periodText(report: Pick<MovementsReport, 'from' | 'to'>): string {
  return `${report.from.takenAt.toISOString().slice(0, 10)} → ${report.to.takenAt.toISOString().slice(0, 10)}`;
}

/** `kpi mrr --from --to` as JSON: per tier and currency, movements that add up to the change. */
export function renderMovementsJson(report: MovementsReport, selection: HistorySelection | null = null): string {
  const document = {
    schema_version: MOVEMENTS_JSON_SCHEMA_VERSION,
    kind: 'mrr_movements',
    generated_at: report.generatedAt.toISOString(),
    ...periodJson(report, selection),
    tiers: report.lines.map(lineJson),
    totals: report.totals.map(lineJson),
    converted: report.converted
      ? { currency: report.converted.currency, rates: report.converted.rates, fx_adjustment: jsonInteger(report.converted.fxAdjustment), total: lineJson(report.converted.total) }
      : null,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderMovementsTable(rawReport: MovementsReport, palette: Palette): string {
  const report = terminalSafeCopy(rawReport);
  const table = newTable(['Tier', 'Start', ...MOVEMENT_KINDS.map((kind) => MOVEMENT_LABELS[kind]), 'End'], palette, [1, 2, 3, 4, 5, 6, 7]);
  const push = (line: MovementLine, emphasis: boolean) => {
    const style = emphasis ? palette.emphasis : (text: string) => text;
    table.push([
      style(line.tier),
      formatMoneyForHumans(line.start, line.currency),
      ...MOVEMENT_KINDS.map(
        (kind) => `${formatChangeForHumans(line.parts[kind].amount, line.currency)}\n${palette.dim(`${line.parts[kind].customers} cust. / ${line.parts[kind].subscriptions} subs`)}`,
      ),
      style(formatMoneyForHumans(line.end, line.currency)),
    ]);
  };
  const [selfService, otherRecurring] = byGroup(report.lines);
  for (const line of selfService) push(line, false);
  for (const line of report.totals) push(line, true);
  if (report.converted) push({ ...report.converted.total, tier: `Total in ${report.converted.currency.toUpperCase()}` }, true);
  for (const line of otherRecurring) push({ ...line, tier: `${line.tier} (outside MRR)` }, false);

  const lines = [
    palette.heading('MRR movements') +
      palette.dim(` · ${periodText(report)} (snapshots taken at or before the dates asked for)`),
    '',
    tableText(table),
    '',
    palette.dim('New + reactivation + expansion + contraction + churn = end - start, per tier and currency. A subscription moving between tiers is contraction in one and expansion in the other.'),
  ];
  if (otherRecurring.length > 0) {
    lines.push(palette.dim('Groups outside MRR (counted in ARR only) are shown after the totals and not included in them.'));
  }
  if (report.converted) {
    const rates = Object.entries(report.converted.rates).map(([code, rate]) => `1 ${code.toUpperCase()} = ${rate} ${report.converted!.currency.toUpperCase()}`);
    lines.push(palette.dim(`Converted with the configured rates (${rates.join(', ') || 'none needed'}); the same rates at both ends, so currency effects are 0.`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderMovementsDelimited(report: MovementsReport, format: Delimited): string {
  const rows: Cell[][] = [];
  const add = (line: MovementLine) => {
    const number = (amount: bigint) => moneyCell(amount, line.currency);
    rows.push([line.tier, 'start', number(line.start), line.currency, '', '']);
    for (const kind of MOVEMENT_KINDS) rows.push([line.tier, kind, number(line.parts[kind].amount), line.currency, line.parts[kind].customers, line.parts[kind].subscriptions]);
    rows.push([line.tier, 'end', number(line.end), line.currency, '', '']);
  };
  const [selfService, otherRecurring] = byGroup(report.lines);
  selfService.forEach(add);
  report.totals.forEach(add);
  if (report.converted) add({ ...report.converted.total, tier: `Total in ${report.converted.currency.toUpperCase()}` });
  otherRecurring.forEach(add);
  return renderDelimited(format, ['tier', 'movement', 'mrr', 'currency', 'customers', 'subscriptions'], rows);
}

function byGroup(lines: readonly MovementLine[]): [MovementLine[], MovementLine[]] {
  return [lines.filter((line) => line.group === 'self-service'), lines.filter((line) => line.group !== 'self-service')];
}
