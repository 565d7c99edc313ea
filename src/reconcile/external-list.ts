import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.js';
import { minorUnitExponent } from '../money/currency.js';
import { Rational } from '../money/rational.js';
import { parseAmount } from '../scoreboard/sources/csv-source.js';

/**
 * A per-customer MRR list from outside kpi: Stripe's "MRR per subscriber per month" export
 * from Billing analytics, or any spreadsheet with a customer id and an MRR column.
 */
export interface ExternalList {
  /** Exact amounts in minor units, per customer and currency (rows of one customer are added up). */
  amounts: Map<string, Rational>;
  /** The month the rows were taken from (YYYY-MM), or null when the file has no month column. */
  month: string | null;
  /** Every month the file holds, oldest first. */
  months: string[];
  /** The header of each role as the file spells it. */
  columns: { customer: string; mrr: string; currency: string | null; month: string | null };
  /** Data rows used (those of the chosen month). */
  rowsRead: number;
}

export type ColumnRole = 'customer' | 'mrr' | 'currency' | 'month';

/**
 * Header names tried for each role when no flag names the column, compared without case,
 * spaces, underscores, dashes and dots. Stripe's export headers are not published in its
 * documentation; these cover the spellings its reports and common spreadsheets use.
 */
export const DEFAULT_COLUMNS: Record<ColumnRole, readonly string[]> = {
  customer: ['customer_id', 'customer', 'subscriber_id', 'subscriber', 'customer.id'],
  mrr: ['mrr', 'mrr_amount', 'monthly_recurring_revenue', 'ending_mrr', 'mrr_ending'],
  currency: ['currency', 'mrr_currency', 'currency_code'],
  month: ['month', 'period', 'date', 'month_start', 'month_end'],
};

export interface ExternalListOptions {
  /** Columns named by flags; they win over the defaults. */
  columns: Partial<Record<ColumnRole, string>>;
  /** YYYY-MM: which month to take when the file holds several (default: the latest). */
  month?: string;
  /** The list's currency when it has no currency column. */
  currency?: string;
}

const FLAG: Record<ColumnRole, string> = { customer: '--customer-column', mrr: '--mrr-column', currency: '--currency-column', month: '--month-column' };

/** The customer/currency key both sides of a reconciliation share. */
export function customerKey(customerId: string, currency: string): string {
  return `${customerId}\u0000${currency}`;
}

export function splitCustomerKey(key: string): { customerId: string; currency: string } {
  const [customerId = '', currency = ''] = key.split('\u0000');
  return { customerId, currency };
}

/**
 * Every customer of the list is kept and reported (JSON carries each with its explanation,
 * about half a kilobyte): past this many the result would outgrow what one run can hold.
 */
export const MAX_LIST_CUSTOMERS = 200_000;

/**
 * Reads the list. Every row of the chosen month must be readable: a row that is not (no
 * customer id, an amount or currency that cannot be read) stops the run with its line, since
 * leaving it out would turn a partial list into a confident difference.
 */
export function parseExternalList(text: string, fileName: string, options: ExternalListOptions): ExternalList {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    throw new UsageError(`${fileName} is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header || header.every((name) => name === '')) throw new UsageError(`${fileName} is empty: expected a header row with a customer id and an MRR column`);
  const found = (role: ColumnRole, required: boolean) => findColumn(header, role, options.columns[role], fileName, required);
  const customer = found('customer', true) as number;
  const mrr = found('mrr', true) as number;
  const currency = found('currency', false);
  const monthColumn = found('month', false);
  if (options.month !== undefined && monthColumn === null) {
    throw new UsageError(`--month ${options.month}: ${fileName} has no month column (columns: ${listColumns(header)})`, `Name it with ${FLAG.month}, or leave --month out.`);
  }
  if (currency === null && options.currency === undefined) {
    throw new UsageError(`${fileName} has no currency column (columns: ${listColumns(header)})`, `Name it with ${FLAG.currency}, or give the list's currency with --currency, e.g. --currency usd.`);
  }

  const rows = records.slice(1).map((cells, index) => ({
    cells,
    line: index + 2,
    month: monthColumn === null ? null : readMonth(cells[monthColumn] ?? '', fileName, index + 2, header[monthColumn] as string),
  }));
  if (rows.length === 0) {
    throw new UsageError(`${fileName} has a header but no rows (columns: ${listColumns(header)})`, 'Expected one row per customer (or per subscription) under the header.');
  }
  const months = [...new Set(rows.map((row) => row.month).filter((month): month is string => month !== null))].sort();
  const month = monthColumn === null ? null : (options.month ?? months.at(-1) ?? null);
  if (options.month !== undefined && !months.includes(options.month)) {
    throw new UsageError(`--month ${options.month}: ${fileName} has no rows for that month`, `Its months: ${months.join(', ') || 'none'}.`);
  }

  const amounts = new Map<string, Rational>();
  let rowsRead = 0;
  for (const row of rows) {
    if (row.month !== month) continue;
    const at = `${fileName} line ${row.line}`;
    const customerId = row.cells[customer] ?? '';
    if (customerId === '') throw new UsageError(`${at}: no customer id in column "${header[customer]}"`);
    const code = readCurrency(currency === null ? (options.currency as string) : (row.cells[currency] ?? ''), at, currency === null ? '--currency' : `column "${header[currency]}"`);
    const majorUnits = parseAmount(row.cells[mrr] ?? '');
    if (!majorUnits) {
      throw new UsageError(
        `${at}: "${row.cells[mrr] ?? ''}" in column "${header[mrr]}" is not an amount`,
        'Expected major units with "." as the decimal point, e.g. 1,234.50, $99 or (20.00) for a negative.',
      );
    }
    const key = customerKey(customerId, code);
    const minor = majorUnits.times(10 ** minorUnitExponent(code));
    if (!amounts.has(key) && amounts.size >= MAX_LIST_CUSTOMERS) {
      throw new UsageError(
        `${fileName} lists more than ${MAX_LIST_CUSTOMERS.toLocaleString('en-US')} customers for ${month ?? 'its month'}`,
        'kpi reconciles up to that many customers at once (every one is kept for the result); split the list, e.g. by currency.',
      );
    }
    amounts.set(key, (amounts.get(key) ?? Rational.ZERO).plus(minor));
    rowsRead += 1;
  }
  return {
    amounts,
    month,
    months,
    columns: { customer: header[customer] as string, mrr: header[mrr] as string, currency: currency === null ? null : (header[currency] as string), month: monthColumn === null ? null : (header[monthColumn] as string) },
    rowsRead,
  };
}

function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_.\-]/g, '');
}

function listColumns(header: readonly string[]): string {
  return header.map((name) => `"${name}"`).join(', ');
}

function findColumn(header: readonly string[], role: ColumnRole, named: string | undefined, fileName: string, required: boolean): number | null {
  if (named !== undefined) {
    const positions = (matches: (name: string) => boolean) => header.flatMap((name, index) => (matches(name) ? [index] : []));
    const exact = positions((name) => name === named);
    const chosen = exact.length > 0 ? exact : positions((name) => normaliseHeader(name) === normaliseHeader(named));
    if (chosen.length === 0) throw new UsageError(`${FLAG[role]} "${named}": ${fileName} has no such column (columns: ${listColumns(header)})`);
    // Taking the first of two same-named columns would compare whichever the export put first.
    if (chosen.length > 1) throw new UsageError(`${FLAG[role]} "${named}": ${fileName} has more than one such column (columns: ${listColumns(header)})`, 'Rename one of them in the file.');
    return chosen[0] as number;
  }
  const candidates = new Set(DEFAULT_COLUMNS[role].map(normaliseHeader));
  const matches = header.flatMap((name, index) => (candidates.has(normaliseHeader(name)) ? [index] : []));
  if (matches.length > 1) {
    throw new UsageError(
      `${fileName}: more than one column could be the ${role} column (${matches.map((index) => `"${header[index]}"`).join(', ')}; columns: ${listColumns(header)})`,
      `Say which with ${FLAG[role]}.`,
    );
  }
  if (matches.length === 0 && required) {
    throw new UsageError(
      `${fileName}: no ${role === 'mrr' ? 'MRR' : role + ' id'} column found (columns: ${listColumns(header)})`,
      `kpi looks for ${DEFAULT_COLUMNS[role].map((name) => `"${name}"`).join(', ')}; name another with ${FLAG[role]}.`,
    );
  }
  return matches[0] ?? null;
}

/** "2026-11", "2026-11-01", "2026-11-30T23:59:59Z": the month is what counts. */
function readMonth(text: string, fileName: string, line: number, column: string): string {
  const match = /^(\d{4})-(\d{2})(?:$|-\d{2})/.exec(text);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new UsageError(`${fileName} line ${line}: "${text}" in column "${column}" is not a month`, 'Expected e.g. 2026-11 or 2026-11-01.');
  return `${match[1]}-${match[2]}`;
}

function readCurrency(text: string, at: string, where: string): string {
  const code = text.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) throw new UsageError(`${at}: "${text}" in ${where} is not a currency code`, 'Expected a three-letter code such as usd or EUR.');
  return code;
}
