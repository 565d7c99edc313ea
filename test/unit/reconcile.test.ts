import { describe, expect, it } from 'vitest';
import type { Coupon, Discount, Price, Product, Subscription, SubscriptionItem, SubscriptionStatus } from '../../src/billing/model.js';
import { resolveTierLayout } from '../../src/catalog/tier-layout.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { Rational } from '../../src/money/rational.js';
import { reconcile } from '../../src/reconcile/compare.js';
import { CustomerFigures, measureSettings, type ReconcileMeasure } from '../../src/reconcile/customer-figures.js';
import { explainLine } from '../../src/reconcile/explain.js';
import type { ReconciliationReport } from '../../src/app/reconcile.js';
import { formatMoneyForHumans } from '../../src/money/currency.js';
import { MAX_TABLE_CUSTOMERS, renderReconciliationTable } from '../../src/render/reconcile.js';
import { makePalette } from '../../src/terminal/terminal.js';
import { customerKey, MAX_LIST_CUSTOMERS, parseExternalList, type ExternalListOptions } from '../../src/reconcile/external-list.js';

const NOW = 1_800_000_000; // 2027-01-15T08:00:00Z
const NO_FLAGS: ExternalListOptions = { columns: {} };
const read = (text: string, options: ExternalListOptions = NO_FLAGS) => parseExternalList(text, 'list.csv', options);
const amountOf = (list: ReturnType<typeof read>, customer: string, currency = 'usd') => list.amounts.get(customerKey(customer, currency))?.toString();

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('reading the outside list', () => {
  it("finds Stripe-style columns, skips the BOM, reads quoted amounts with separators, takes the latest month", () => {
    const list = read('\uFEFFcustomer_id,currency,month,mrr\r\ncus_a,usd,2026-10-01,"1,000.00"\r\ncus_a,usd,2026-11-01,"$1,234.50"\r\ncus_b,EUR,2026-11-01,(20.00)\r\n');
    expect(list.month).toBe('2026-11');
    expect(list.months).toEqual(['2026-10', '2026-11']);
    expect(list.rowsRead).toBe(2);
    // 1,234.50 USD = 123450 cents; (20.00) EUR is negative: -2000 cents.
    expect(amountOf(list, 'cus_a')).toBe('123450');
    expect(amountOf(list, 'cus_b', 'eur')).toBe('-2000');
  });

  it('matches header variants without case, spaces or underscores, and picks a month on request', () => {
    const list = read('Customer ID,MRR,Currency,Month\ncus_a,10,usd,2026-10\ncus_a,12,usd,2026-11\n', { columns: {}, month: '2026-10' });
    expect(list.columns).toEqual({ customer: 'Customer ID', mrr: 'MRR', currency: 'Currency', month: 'Month' });
    expect(amountOf(list, 'cus_a')).toBe('1000');
  });

  it('adds up several rows of one customer (one per subscription) and honours named columns', () => {
    const list = read('who,monthly,cur\ncus_a,10.5,usd\ncus_a,0.25,usd\n', { columns: { customer: 'who', mrr: 'monthly', currency: 'cur' } });
    // 10.50 + 0.25 = 10.75 USD = 1075 cents
    expect(amountOf(list, 'cus_a')).toBe('1075');
  });

  it('takes the currency from --currency when the list has no currency column', () => {
    expect(amountOf(read('customer,mrr\ncus_a,5\n', { columns: {}, currency: 'usd' }), 'cus_a')).toBe('500');
    expect(usageError(() => read('customer,mrr\ncus_a,5\n')).message).toContain('no currency column (columns: "customer", "mrr")');
  });

  it('refuses an unknown or ambiguous layout, naming the columns found', () => {
    expect(usageError(() => read('id,amount,currency\nx,1,usd\n')).message).toBe('list.csv: no customer id column found (columns: "id", "amount", "currency")');
    expect(usageError(() => read('customer,customer_id,mrr,currency\nx,y,1,usd\n')).message).toContain('more than one column could be the customer column ("customer", "customer_id"');
    expect(usageError(() => read('customer,mrr,currency\n', { columns: { mrr: 'MRR total' } })).message).toContain('--mrr-column "MRR total": list.csv has no such column');
  });

  it('refuses a list of more customers than one run keeps (exit 2), but adds up rows of one customer', () => {
    const rows = (count: number) => `customer_id,mrr,currency\n${Array.from({ length: count }, (_, index) => `cus_${index},1.00,usd`).join('\n')}\n`;
    expect(usageError(() => read(rows(MAX_LIST_CUSTOMERS + 1))).message).toBe('list.csv lists more than 200,000 customers for its month');
    // The same customer on many rows is one customer: 300,000 rows of 1.00 USD = 300,000.00 USD.
    const many = read(`customer_id,mrr,currency\n${'cus_1,1.00,usd\n'.repeat(300_000)}`);
    expect(many.amounts.size).toBe(1);
    expect([...many.amounts.values()][0]?.compare(Rational.of(30_000_000n))).toBe(0);
  });

  it('refuses a header without rows: an empty list would make every kpi customer a confident difference', () => {
    expect(usageError(() => read('customer_id,mrr,currency\n')).message).toBe('list.csv has a header but no rows (columns: "customer_id", "mrr", "currency")');
    expect(usageError(() => read('\uFEFFcustomer_id,mrr,currency\r\n\r\n')).message).toContain('has a header but no rows');
  });

  it('refuses a column named by a flag that the header holds twice, rather than taking one silently', () => {
    expect(usageError(() => read('customer,mrr,mrr,currency\ncus_a,1,2,usd\n', { columns: { mrr: 'mrr' } })).message).toBe(
      '--mrr-column "mrr": list.csv has more than one such column (columns: "customer", "mrr", "mrr", "currency")',
    );
  });

  it('stops at a row it cannot read, naming the file and line: a partial list must not become a confident difference', () => {
    // A decimal comma is not guessed at: 1.234,50 could be 1234.50 or a typo.
    expect(usageError(() => read('customer,mrr,currency\ncus_a,10,usd\ncus_b,"1.234,50",usd\n')).message).toBe('list.csv line 3: "1.234,50" in column "mrr" is not an amount');
    expect(usageError(() => read('customer,mrr,currency\ncus_a,10,usd\ncus_c,ten,usd\n')).message).toBe('list.csv line 3: "ten" in column "mrr" is not an amount');
    // An unquoted thousands comma shifts the cells: the currency column then holds "50".
    expect(usageError(() => read('customer,mrr,currency\ncus_b,1,234.50,usd\n')).message).toBe('list.csv line 2: "234.50" in column "currency" is not a currency code');
    expect(usageError(() => read('customer,mrr,currency\n,10,usd\n')).message).toBe('list.csv line 2: no customer id in column "customer"');
    expect(usageError(() => read('customer,mrr,currency,month\ncus_a,1,usd,November\n')).message).toContain('line 2: "November" in column "month" is not a month');
    expect(usageError(() => read('customer,mrr,currency,month\ncus_a,1,usd,2026-11\n', { columns: {}, month: '2026-09' })).message).toBe('--month 2026-09: list.csv has no rows for that month');
  });
});

// A small account: the Pro product in the handbook's Pro tier (rule billed), Starter (rule
// list-price), and an Enterprise product outside the self-service tiers.
const products: Product[] = [
  { id: 'prod_pro', name: 'FlowFuse Pro Platform - Cloud', active: true },
  { id: 'prod_starter', name: 'FlowFuse Cloud - Starter', active: true },
  { id: 'prod_ent', name: 'FlowFuse Enterprise - Self-Hosted', active: true },
  // The handbook's other products, unused here, so its tiers resolve.
  ...['Starter - Small Instance Add-On', 'Starter - Remote Instance Add-On', ...['Small', 'Medium', 'Large', 'Remote'].map((size) => `Pro - ${size} Instance Add-On`)].map((name, index) => ({ id: `prod_other${index}`, name, active: true })),
];
const config = parseConfig(DEFAULT_CONFIG, 'built-in');
let counter = 0;
const price = (productId: string, unitAmount: number, interval: 'month' | 'year' = 'month', usageType: 'licensed' | 'metered' = 'licensed'): Price => ({
  id: `price_${++counter}`,
  productId,
  currency: 'usd',
  active: true,
  recurrence: { interval, intervalCount: 1, usageType },
  scheme: { kind: 'per_unit', unitAmount: Rational.of(unitAmount), transformQuantity: null },
  currencyOptions: new Map(),
});
const coupon = (id: string, percentOff: string, duration: Coupon['duration'], durationInMonths: number | null = null): Coupon => ({
  id,
  name: null,
  percentOff: Rational.parseDecimal(percentOff),
  amountOff: new Map(),
  duration,
  durationInMonths,
  appliesToProducts: null,
  restrictionKnown: true,
});
const discount = (of: Coupon, end: number | null = null): Discount => ({ id: `di_${++counter}`, coupon: of, end });
const item = (of: Price): SubscriptionItem => ({ id: `si_${++counter}`, price: of, quantity: 1, discounts: [] });
const subscription = (
  id: string,
  customerId: string,
  items: SubscriptionItem[],
  discounts: Discount[] = [],
  status: SubscriptionStatus = 'active',
  cancelAt: number | null = null,
): Subscription => ({
  id,
  customerId,
  status,
  currency: 'usd',
  created: NOW - 1000,
  cancelAtPeriodEnd: cancelAt !== null,
  cancelAt,
  items,
  discounts,
});

/** The planted account, each customer a story (amounts in cents). */
const account: Subscription[] = [
  // Matches: Pro 42500 on both sides.
  subscription('sub_same', 'cus_same', [item(price('prod_pro', 42500))]),
  // Stripe subtracts the repeating LAUNCH50 (50 %), kpi's settings do not: 42500 vs 21250.
  subscription('sub_launch', 'cus_launch', [item(price('prod_pro', 42500))], [discount(coupon('LAUNCH50', '50', 'repeating', 3), NOW + 86_400 * 30)]),
  // Cancelling at period end: Stripe already left it out; kpi counts 2000.
  subscription('sub_leaving', 'cus_leaving', [item(price('prod_starter', 2000))]),
  // Enterprise, yearly 240000: 20000 a month, on both sides of the Stripe measure.
  subscription('sub_ent', 'cus_ent', [item(price('prod_ent', 240000, 'year'))]),
  // Trialing: Stripe's list has it (say, a stale export), kpi does not count trials.
  subscription('sub_trial', 'cus_trial', [item(price('prod_pro', 42500))], [], 'trialing'),
  // Starter with a forever 10 % coupon: the handbook's list-price rule ignores it (2000 vs 1800).
  subscription('sub_edu', 'cus_edu', [item(price('prod_starter', 2000)), item(price('prod_pro', 0, 'month', 'metered'))], [discount(coupon('EDU10', '10', 'forever'))]),
];
const exportCsv = ['customer_id,currency,mrr', 'cus_same,usd,425.00', 'cus_launch,usd,212.50', 'cus_ent,usd,200.00', 'cus_trial,usd,425.00', 'cus_edu,usd,18.00', 'cus_gone,usd,5.00', 'cus_round,usd,0.01'].join('\n');

function compare(measure: ReconcileMeasure, tolerance = 1n, settings = config, subscriptions = account, csv = exportCsv) {
  const figures = new CustomerFigures({
    measure,
    layout: resolveTierLayout(settings, products),
    ...measureSettings(settings, measure, NOW),
    countedStatuses: settings.countedStatuses,
    productName: (id) => products.find((product) => product.id === id)?.name ?? id,
  });
  for (const entry of subscriptions) figures.add(entry);
  return reconcile(figures.customers, read(csv).amounts, { tolerance, measure, churn: settings.stripeSettings.churn });
}

describe('reconciling per customer', () => {
  it('lists every difference largest first, and they add up to the total difference exactly', () => {
    const result = compare('stripe');
    // kpi: same 42500 + launch 42500 + leaving 2000 + ent 20000 + edu 1800 = 108800
    // list: 42500 + 21250 + 20000 + 42500 (trial) + 1800 + 500 (gone) + 1 (round) = 128551
    expect(result.totals).toEqual([
      { currency: 'usd', kpi: 108800n, list: 128551n, difference: -19751n, matched: 4, matchedDifference: -1n, differing: 1, kpiOnly: 1, listOnly: 2 },
    ]);
    expect(result.lines.map((line) => [line.customerId, line.status, line.difference])).toEqual([
      ['cus_trial', 'list_only', -42500n],
      ['cus_launch', 'differs', 21250n],
      ['cus_leaving', 'kpi_only', 2000n],
      ['cus_gone', 'list_only', -500n],
    ]);
    // -42500 + 21250 + 2000 - 500 = -19750; plus cus_round's -1 within the tolerance = -19751.
    const listed = result.lines.reduce((sum, line) => sum + line.difference, 0n);
    expect(listed + (result.totals[0]?.matchedDifference ?? 0n)).toBe(result.totals[0]?.difference);
  });

  it("names the right cause for each planted difference, from kpi's own evaluation", () => {
    const lines = new Map(compare('stripe').lines.map((line) => [line.customerId, line]));
    expect(lines.get('cus_launch')?.causes).toEqual([{ kind: 'coupon_not_subtracted', subscription: 'sub_launch', detail: 'LAUNCH50', setting: 'stripe_settings.subtract_repeating: false' }]);
    expect(explainLine(lines.get('cus_launch')!)).toBe(
      "coupon LAUNCH50 (50 % off, repeating 3 months, ends 2027-02-14) on sub_launch: Stripe's settings in kpi.config (stripe_settings.subtract_repeating: false) keep it; " +
        'the list subtracted it: set subtract_repeating: true if your account does; kpi: sub_launch (active, monthly, 425.00 USD)',
    );
    expect(lines.get('cus_leaving')?.causes.map((cause) => cause.kind)).toEqual(['not_on_list']);
    expect(explainLine(lines.get('cus_leaving')!)).toContain('sub_leaving (active, monthly, 20.00 USD)');
    expect(lines.get('cus_trial')?.causes).toEqual([{ kind: 'status_not_counted', subscription: 'sub_trial', detail: 'trialing', setting: null }]);
    expect(lines.get('cus_gone')?.causes.map((cause) => cause.kind)).toEqual(['not_in_account']);
  });

  it('with the handbook measure, names products outside the tiers and the list-price rule', () => {
    const lines = new Map(compare('handbook').lines.map((line) => [line.customerId, line]));
    // Enterprise is outside the self-service tiers: kpi's handbook figure has none of its 20000.
    expect(lines.get('cus_ent')).toMatchObject({ status: 'differs', kpi: 0n, list: 20000n, difference: -20000n });
    expect(lines.get('cus_ent')?.causes).toEqual([{ kind: 'outside_tiers', subscription: 'sub_ent', detail: 'FlowFuse Enterprise - Self-Hosted', setting: null }]);
    // Starter at list price 2000 against Stripe's 1800 after EDU10; the metered item is named too.
    expect(lines.get('cus_edu')).toMatchObject({ status: 'differs', kpi: 2000n, list: 1800n, difference: 200n });
    expect(lines.get('cus_edu')?.causes.map((cause) => [cause.kind, cause.detail])).toEqual([
      ['list_price_rule', 'EDU10'],
      ['metered_items', 'FlowFuse Pro Platform - Cloud'],
    ]);
  });

  it('a tolerance of 0 lists the one-cent customer too', () => {
    const result = compare('stripe', 0n);
    expect(result.lines.find((line) => line.customerId === 'cus_round')).toMatchObject({ status: 'list_only', difference: -1n });
    expect(result.totals[0]?.matchedDifference).toBe(0n);
  });
});

describe("reconciling with Stripe's settings (stripe_settings)", () => {
  const withSettings = (stripe_settings: Record<string, unknown>) => parseConfig({ version: 1, stripe_settings }, 'kpi.config.yaml');
  // 2027-01-20T00:00:00Z: the end of sub_ending's period, which its customer asked to cancel at.
  const PERIOD_END = Date.UTC(2027, 0, 20) / 1000;
  const ending = [subscription('sub_ending', 'cus_ending', [item(price('prod_starter', 2000))], [], 'active', PERIOD_END)];
  const stillListed = 'customer_id,currency,mrr\ncus_ending,usd,20.00\n';

  it('the Stripe measure subtracts what stripe_settings subtracts, not what the handbook discounts do', () => {
    const lines = new Map(compare('stripe', 1n, withSettings({ subtract_repeating: true })).allLines.map((line) => [line.customerId, line]));
    // LAUNCH50 takes 50 % off 42500 = 21250, as the list has it.
    expect(lines.get('cus_launch')).toMatchObject({ status: 'matched', kpi: 21250n, list: 21250n });
    // The handbook measure follows discounts: (count_repeating false): 42500.
    const handbook = compare('handbook', 1n, withSettings({ subtract_repeating: true })).allLines.find((line) => line.customerId === 'cus_launch');
    expect(handbook).toMatchObject({ status: 'differs', kpi: 42500n, difference: 21250n });
  });

  it('a coupon subtracted by stripe_settings that the list kept says which setting to change', () => {
    const launch = account.filter((entry) => entry.id === 'sub_launch');
    const line = compare('stripe', 1n, withSettings({ subtract_repeating: true }), launch, 'customer_id,currency,mrr\ncus_launch,usd,425.00\n').lines[0]!;
    // kpi 21250 - list 42500 = -21250
    expect(line).toMatchObject({ customerId: 'cus_launch', difference: -21250n });
    expect(explainLine(line)).toContain(
      "on sub_launch: Stripe's settings in kpi.config (stripe_settings.subtract_repeating: true) subtract it; the list kept it: set subtract_repeating: false if your account does",
    );
  });

  it('churn at_cancellation: a subscription set to end is out of the Stripe figure, and the cause names the setting', () => {
    const result = compare('stripe', 1n, config, ending, stillListed);
    // kpi leaves the 2000 out; the list (an account counting churn at period end) has it: 0 - 2000.
    expect(result.lines).toHaveLength(1);
    const line = result.lines[0]!;
    expect(line).toMatchObject({ customerId: 'cus_ending', status: 'list_only', kpi: null, list: 2000n, difference: -2000n });
    expect(line.causes).toEqual([{ kind: 'scheduled_to_end', subscription: 'sub_ending', detail: '2027-01-20', setting: 'stripe_settings.churn: at_cancellation' }]);
    expect(explainLine(line)).toBe(
      "sub_ending set to cancel at period end on 2027-01-20: Stripe's settings in kpi.config (stripe_settings.churn: at_cancellation) no longer count it; " +
        'the list still counts it: set churn: at_period_end if your account does; kpi: sub_ending (active, monthly, set to end, not counted)',
    );
  });

  it('churn at_period_end: it counts until it ends; a list without it is explained the other way round', () => {
    const periodEnd = withSettings({ churn: 'at_period_end' });
    expect(compare('stripe', 1n, periodEnd, ending, stillListed).lines).toEqual([]);
    const line = compare('stripe', 1n, periodEnd, ending, 'customer_id,currency,mrr\ncus_other,usd,0.00\n').lines[0]!;
    expect(line).toMatchObject({ customerId: 'cus_ending', status: 'kpi_only', kpi: 2000n, difference: 2000n });
    expect(explainLine(line)).toBe(
      "not on the list; sub_ending set to cancel at period end on 2027-01-20: Stripe's settings in kpi.config (stripe_settings.churn: at_period_end) count it until then; " +
        'the list left it out: set churn: at_cancellation if your account does; kpi: sub_ending (active, monthly, 20.00 USD)',
    );
  });

  it('the handbook measure counts a subscription until it ends, whatever stripe_settings say', () => {
    const line = compare('handbook', 1n, config, ending, 'customer_id,currency,mrr\ncus_other,usd,0.00\n').lines[0]!;
    expect(line).toMatchObject({ customerId: 'cus_ending', kpi: 2000n });
    expect(line.causes.map((cause) => [cause.kind, cause.setting])).toEqual([
      ['not_on_list', null],
      ['scheduled_to_end', null],
    ]);
  });
});

describe('the reconciliation table', () => {
  it('lists the largest differences and sums the rest in one line, so a huge list still renders (the CSV has every one)', () => {
    // 1,500 customers on the list only, cus_n at n cents (1..1500): far beyond what a terminal
    // table shows, and enough rows with wrapped explanations to overflow cli-table3's stack
    // at 1.5 million, which is where this started.
    const many = ['customer_id,currency,mrr', ...Array.from({ length: 1500 }, (_, index) => `cus_n${index + 1},usd,${((index + 1) / 100).toFixed(2)}`)].join('\n');
    const result = compare('stripe', 1n, config, account, many);
    const report: ReconciliationReport = {
      ...result,
      measure: 'stripe',
      against: 'list.csv',
      subscriptionsRead: account.length,
      list: { month: null, months: [], columns: { customer: 'customer_id', mrr: 'mrr', currency: 'currency', month: null }, rowsRead: 1500 },
      tolerance: 1n,
      source: 'test',
      asOf: new Date(NOW * 1000),
      generatedAt: new Date(NOW * 1000),
      countedStatuses: config.countedStatuses,
      stripeSettings: config.stripeSettings,
      notes: [],
    };
    const table = renderReconciliationTable(report, makePalette(false));
    const shown = table.split('\n').filter((line) => /^cus_/.test(line)).map((line) => line.split(/\s+/)[0]);
    // Largest first: the planted account's customers (all kpi-only here, up to 425.00 USD)
    // come before cus_n1500 (15.00 USD); the rest of the 1,500 are summed.
    expect(shown).toEqual(result.lines.slice(0, MAX_TABLE_CUSTOMERS).map((line) => line.customerId));
    expect(shown).toContain('cus_n1500');
    expect(shown).not.toContain('cus_n1');
    const hidden = result.lines.slice(MAX_TABLE_CUSTOMERS);
    const hiddenSum = hidden.reduce((sum, line) => sum + line.difference, 0n);
    expect(table).toContain(`…and ${hidden.length} more customers differ, ${formatMoneyForHumans(hiddenSum, 'usd')} together (--format csv or json lists every one)`);
  });
});
