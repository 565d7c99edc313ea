import type { MovementLine, MovementsReport } from '../app/mrr-movements.js';
import { MOVEMENT_KINDS } from '../history/movements.js';
import { historyJson, type HistorySelection } from '../history/snapshot-selection.js';
import { formatChangeForHumans, formatMoneyForHumans } from '../money/currency.js';
import type { Palette, Screen } from '../terminal/terminal.js';
import { terminalSafeCopy } from '../terminal/safe-text.js';
import { moneyCell, renderDelimited, type Cell, type Delimited } from './delimited.js';
import { jsonInteger } from './json-values.js';
import { fitLines, fitsWithoutHiding, fittedTableLines, UNFITTED, type FitColumn } from './table-fit.js';
import { constantCurrencyPhrase, ratesJson, ratesPhrase } from './rates-text.js';


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
      ? {
          currency: report.converted.currency,
          // Per unit, as `conversion.rates` in the mrr JSON, at the start rates the movements are converted at.
          rates: report.converted.startRatesPerUnit,
          start_rates: ratesJson(report.converted.startRates),
          end_rates: ratesJson(report.converted.endRates),
          constant_currency: report.converted.constantCurrency,
          fx_adjustment: jsonInteger(report.converted.fxAdjustment),
          total: lineJson(report.converted.total),
        }
      : null,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * How each column of the movement tables gives way, by name: a column this list does not know
 * (one added later) is dropped before any of these.
 */
const MOVEMENT_COLUMNS: Record<string, Omit<FitColumn, 'head'>> = {
  Tier: { role: 'text', min: 10 },
  Movement: { role: 'keep' },
  ...Object.fromEntries(['Start', ...Object.values(MOVEMENT_LABELS), 'FX', 'End', 'MRR'].map((head) => [head, { role: 'numeric' }])),
  Customers: { role: 'numeric', drop: 3 },
  Subscriptions: { role: 'numeric', drop: 2 },
};
const UNKNOWN_MOVEMENT_COLUMN: Omit<FitColumn, 'head'> = { role: 'numeric', drop: 1 };
const movementColumns = (heads: readonly string[]): FitColumn[] => heads.map((head) => ({ head, ...(MOVEMENT_COLUMNS[head] ?? UNKNOWN_MOVEMENT_COLUMN) }));

/**
 * The lines in table order, each with the name it is shown under: self-service tiers, the
 * totals, the converted total, then the groups outside MRR.
 */
function shownLines(report: MovementsReport): Array<{ line: MovementLine; tier: string; emphasis: boolean; fx: bigint | null }> {
  const [selfService, otherRecurring] = byGroup(report.lines);
  return [
    ...selfService.map((line) => ({ line, tier: line.tier, emphasis: false, fx: null })),
    ...report.totals.map((line) => ({ line, tier: line.tier, emphasis: true, fx: null })),
    ...(report.converted ? [{ line: report.converted.total, tier: `Total in ${report.converted.currency.toUpperCase()}`, emphasis: true, fx: report.converted.fxAdjustment }] : []),
    ...otherRecurring.map((line) => ({ line, tier: `${line.tier} (outside MRR)`, emphasis: false, fx: null })),
  ];
}

/** The FX column only when converting: in its own currency a line has no currency effect. */
const FX_HEAD = 'FX';

/**
 * One row per tier and currency, movements side by side, each with its customer and
 * subscription counts under it. To fit a narrow terminal, first the counts go, then the
 * table turns into one row per movement (`movementRows`), whose columns go by `MOVEMENT_COLUMNS`.
 */
function wideRows(report: MovementsReport, palette: Palette, withCounts: boolean): string[][] {
  return shownLines(report).map(({ line, tier, emphasis, fx }) => {
    const style = emphasis ? palette.emphasis : (text: string) => text;
    return [
      style(tier),
      formatMoneyForHumans(line.start, line.currency),
      ...MOVEMENT_KINDS.map((kind) => {
        const amount = formatChangeForHumans(line.parts[kind].amount, line.currency);
        return withCounts ? `${amount}\n${palette.dim(`${line.parts[kind].customers} cust. / ${line.parts[kind].subscriptions} subs`)}` : amount;
      }),
      ...(report.converted ? [fx === null ? '' : formatChangeForHumans(fx, line.currency)] : []),
      style(formatMoneyForHumans(line.end, line.currency)),
    ];
  });
}

/** The narrow layout: a block of rows per tier and currency, start, each movement, end. */
function movementRows(report: MovementsReport, palette: Palette): string[][] {
  return shownLines(report).flatMap(({ line, tier, emphasis, fx }, index) => {
    const style = emphasis ? palette.emphasis : (text: string) => text;
    return [
      ...(index > 0 ? [['', '', '', '', '']] : []),
      [style(tier), 'Start', formatMoneyForHumans(line.start, line.currency), '', ''],
      ...MOVEMENT_KINDS.map((kind) => ['', MOVEMENT_LABELS[kind], formatChangeForHumans(line.parts[kind].amount, line.currency), String(line.parts[kind].customers), String(line.parts[kind].subscriptions)]),
      ...(fx === null ? [] : [['', FX_HEAD, formatChangeForHumans(fx, line.currency), '', '']]),
      ['', 'End', style(formatMoneyForHumans(line.end, line.currency)), '', ''],
    ];
  });
}

function movementTableLines(report: MovementsReport, palette: Palette, screen: Screen): string[] {
  const wideColumns = movementColumns(['Tier', 'Start', ...MOVEMENT_KINDS.map((kind) => MOVEMENT_LABELS[kind]), ...(report.converted ? [FX_HEAD] : []), 'End']);
  const withCounts = wideRows(report, palette, true);
  if (fitsWithoutHiding(wideColumns, withCounts, screen.width)) return fittedTableLines(wideColumns, withCounts, palette, screen);
  const withoutCounts = wideRows(report, palette, false);
  if (fitsWithoutHiding(wideColumns, withoutCounts, screen.width)) {
    return [...fittedTableLines(wideColumns, withoutCounts, palette, screen), palette.dim(`customer and subscription counts hidden to fit ${screen.width} columns; --wide shows all`)];
  }
  return fittedTableLines(movementColumns(['Tier', 'Movement', 'MRR', 'Customers', 'Subscriptions']), movementRows(report, palette), palette, screen);
}

export function renderMovementsTable(rawReport: MovementsReport, palette: Palette, screen: Screen = UNFITTED): string {
  const report = terminalSafeCopy(rawReport);
  const [, otherRecurring] = byGroup(report.lines);
  const lines = [
    palette.heading('MRR movements') +
      palette.dim(` · ${periodText(report)} (snapshots taken at or before the dates asked for)`),
    '',
    ...movementTableLines(report, palette, screen),
    '',
    palette.dim('New + reactivation + expansion + contraction + churn = end - start, per tier and currency. A subscription moving between tiers is contraction in one and expansion in the other.'),
  ];
  if (otherRecurring.length > 0) {
    lines.push(palette.dim('Groups outside MRR (counted in ARR only) are shown after the totals and not included in them.'));
  }
  if (report.converted) lines.push(palette.dim(conversionNote(report.converted)));
  return `${fitLines(lines.join('\n'), screen)}\n`;
}

/** Which rates converted each end, and what FX then is. */
function conversionNote(converted: NonNullable<MovementsReport['converted']>): string {
  const start = ratesPhrase(converted.startRates, converted.currency);
  if (converted.constantCurrency) {
    return `Total ${constantCurrencyPhrase(converted.startRates)}: both ends converted with ${start}, so FX is 0 and the movements are growth without currency effects.`;
  }
  // Quotes come sorted by currency: equal rates serialise alike.
  if (JSON.stringify(converted.startRates) === JSON.stringify(converted.endRates)) {
    return `Total converted with ${start} at both ends, so FX is 0.`;
  }
  return (
    `Total converted at the start with ${start} and at the end with ${ratesPhrase(converted.endRates, converted.currency)}. ` +
    'The movements are at the start rates; FX (the end amounts at the end rates minus at the start rates) is the change from rates alone, so movements + FX = end - start.'
  );
}

export function renderMovementsDelimited(report: MovementsReport, format: Delimited): string {
  const rows: Cell[][] = [];
  const add = (line: MovementLine, fx: bigint | null = null) => {
    const number = (amount: bigint) => moneyCell(amount, line.currency);
    rows.push([line.tier, 'start', number(line.start), line.currency, '', '']);
    for (const kind of MOVEMENT_KINDS) rows.push([line.tier, kind, number(line.parts[kind].amount), line.currency, line.parts[kind].customers, line.parts[kind].subscriptions]);
    if (fx !== null) rows.push([line.tier, 'fx', number(fx), line.currency, '', '']);
    rows.push([line.tier, 'end', number(line.end), line.currency, '', '']);
  };
  const [selfService, otherRecurring] = byGroup(report.lines);
  for (const line of [...selfService, ...report.totals]) add(line);
  if (report.converted) add({ ...report.converted.total, tier: `Total in ${report.converted.currency.toUpperCase()}` }, report.converted.fxAdjustment);
  for (const line of otherRecurring) add(line);
  return renderDelimited(format, ['tier', 'movement', 'mrr', 'currency', 'customers', 'subscriptions'], rows);
}

function byGroup(lines: readonly MovementLine[]): [MovementLine[], MovementLine[]] {
  return [lines.filter((line) => line.group === 'self-service'), lines.filter((line) => line.group !== 'self-service')];
}
