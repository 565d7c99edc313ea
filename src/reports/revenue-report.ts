/**
 * The revenue report (MRR, or ARR = 12 x MRR): what every renderer prints. Reported
 * figures are integers in minor units per currency, each rounded half-up once from its
 * exact total (ARR is 12 x the exact MRR, not 12 x the rounded one).
 */
import { Rational } from '../money/rational.js';
import { minorUnitExponent } from '../money/currency.js';
import type { TierGroup, TierLayout } from '../catalog/tier-layout.js';
import type { MrrRule } from '../config/schema.js';
import type { AmountsByCurrency, Contribution, DiscountWarningSummary, MrrTotals } from '../rules/mrr-totals.js';

/** Minor units per lowercase currency code, keys sorted. */
export type MoneyByCurrency = Record<string, bigint>;

/** A figure in every currency it occurs in, plus its value in the reporting currency when rates are configured. */
export interface ReportedAmount {
  byCurrency: MoneyByCurrency;
  /** In `RevenueReport.reportingCurrency`; null unless the account has one currency or rates convert them. */
  total: bigint | null;
}

export interface ProductLine {
  name: string;
  productIds: string[];
  amount: ReportedAmount;
  stripeAmount: ReportedAmount;
  subscriptions: number;
  quantity: number;
  /** Subscriptions and quantity per currency of the holding subscriptions. */
  holdersByCurrency: Record<string, { subscriptions: number; quantity: number }>;
}

export interface TierLine {
  name: string;
  /** Self-service tiers make up MRR; other recurring groups count in ARR only. */
  group: TierGroup;
  rule: MrrRule;
  amount: ReportedAmount;
  stripeAmount: ReportedAmount;
  /** Handbook figure minus Stripe's, per currency, from the two rounded figures. */
  difference: ReportedAmount;
  subscriptions: number;
  products: ProductLine[];
}

export interface ExplainLine {
  subscriptionId: string;
  customerId: string;
  status: string;
  tier: string;
  product: string;
  currency: string;
  quantity: number;
  amount: bigint;
  stripeAmount: bigint;
}

export interface RevenueReport {
  measure: Measure;
  generatedAt: Date;
  asOf: Date;
  source: string;
  countedStatuses: string[];
  /** Every currency seen, sorted. */
  currencies: string[];
  /** The one currency totals are given in, or null for several currencies without rates. */
  reportingCurrency: string | null;
  /** Rates used to convert into the reporting currency (1 unit of the key = rate units of it). */
  conversionRates: Record<string, string> | null;
  amount: ReportedAmount;
  stripeAmount: ReportedAmount;
  difference: ReportedAmount;
  subscriptions: number;
  /** Every subscription read in the counted statuses, configured products or not. */
  subscriptionsRead: number;
  tiers: TierLine[];
  excluded: { meteredItems: number };
  warnings: string[];
  explain: ExplainLine[] | null;
}

export type Measure = 'mrr' | 'arr';

/** Monthly amounts times this give the measure. */
const MONTHS: Record<Measure, number> = { mrr: 1, arr: 12 };

export interface ReportContext {
  measure: Measure;
  layout: TierLayout;
  source: string;
  asOf: number;
  generatedAt: Date;
  countedStatuses: string[];
  reporting: { currency: string; rates: Record<string, string> } | null;
  /**
   * Currencies of the configured products' prices: when no subscription counts, the
   * report still says "0 USD" rather than nothing, if that names one currency.
   */
  catalogCurrencies: string[];
}

export function buildRevenueReport(totals: MrrTotals, context: ReportContext): RevenueReport {
  const currencies = currenciesOf(totals);
  const fallback = context.catalogCurrencies.length === 1 ? (context.catalogCurrencies[0] as string) : null;
  const converter = makeConverter(currencies, context.reporting, fallback);
  const factor = MONTHS[context.measure];
  const report = (amounts: AmountsByCurrency): ReportedAmount => converter.report(factor === 1 ? amounts : scaled(amounts, factor));

  const allMrr = new Map<string, Rational>();
  const allStripe = new Map<string, Rational>();
  const tiers = totals.tiers.map((tierTotals, tierIndex) => {
    const tier = context.layout.tiers[tierIndex]!;
    mergeInto(allMrr, tierTotals.mrr);
    mergeInto(allStripe, tierTotals.stripeMrr);
    const amount = report(tierTotals.mrr);
    const stripeAmount = report(tierTotals.stripeMrr);
    return {
      name: tier.displayName,
      group: tier.group,
      rule: tier.rule,
      amount,
      stripeAmount,
      difference: subtract(amount, stripeAmount),
      subscriptions: tierTotals.subscriptions,
      products: tierTotals.products.map((productTotals, productIndex) => ({
        name: tier.products[productIndex]!.displayName,
        productIds: [...tier.products[productIndex]!.productIds],
        amount: report(productTotals.mrr),
        stripeAmount: report(productTotals.stripeMrr),
        subscriptions: productTotals.subscriptions,
        quantity: productTotals.quantity,
        holdersByCurrency: Object.fromEntries([...productTotals.holders.entries()].sort(([a], [b]) => a.localeCompare(b))),
      })),
    };
  });
  const amount = report(allMrr);
  const stripeAmount = report(allStripe);

  return {
    measure: context.measure,
    generatedAt: context.generatedAt,
    asOf: new Date(context.asOf * 1000),
    source: context.source,
    countedStatuses: context.countedStatuses,
    currencies,
    reportingCurrency: converter.currency,
    conversionRates: converter.rates,
    amount,
    stripeAmount,
    difference: subtract(amount, stripeAmount),
    subscriptions: totals.subscriptions,
    subscriptionsRead: totals.subscriptionsRead,
    tiers,
    excluded: { meteredItems: totals.meteredItems },
    warnings: [...totals.warnings].sort((a, b) => `${a.kind}/${a.couponId}`.localeCompare(`${b.kind}/${b.couponId}`)).map(describeWarning),
    // Sorted, so the listing does not depend on the order the source delivered subscriptions in.
    explain:
      sortContributions(totals.contributions)?.map((row) => {
        const tier = context.layout.tiers[row.tierIndex]!;
        return {
          subscriptionId: row.subscriptionId,
          customerId: row.customerId,
          status: row.status,
          tier: tier.displayName,
          product: tier.products[row.productIndex]!.displayName,
          currency: row.currency,
          quantity: row.quantity,
          amount: row.mrr.times(factor).roundHalfUp(),
          stripeAmount: row.stripeMrr.times(factor).roundHalfUp(),
        };
      }) ?? null,
  };
}

interface Converter {
  currency: string | null;
  rates: Record<string, string> | null;
  report(amounts: AmountsByCurrency): ReportedAmount;
}

/**
 * One currency needs no conversion. Several are added up only with configured rates, each
 * currency's exact amount converted and the sum rounded once.
 */
function makeConverter(currencies: string[], reporting: ReportContext['reporting'], fallback: string | null): Converter {
  const byCurrency = (amounts: AmountsByCurrency): MoneyByCurrency =>
    Object.fromEntries([...amounts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, amount]) => [code, amount.roundHalfUp()]));

  if (!reporting) {
    const only = currencies.length === 1 ? (currencies[0] as string) : currencies.length === 0 ? fallback : null;
    return {
      currency: only,
      rates: null,
      report: (amounts) => ({ byCurrency: byCurrency(amounts), total: only ? (amounts.get(only) ?? Rational.ZERO).roundHalfUp() : null }),
    };
  }

  const target = reporting.currency;
  const missing = missingRates(currencies, reporting);
  if (missing.length > 0) throw new RangeError(`no conversion rate for ${missing.join(', ')}`);
  const factors = new Map<string, Rational>(currencies.map((code) => [code, conversionFactor(code, reporting)]));
  const usedRates = Object.fromEntries(currencies.filter((code) => code !== target).map((code) => [code, reporting.rates[code] as string]));
  return {
    currency: target,
    rates: usedRates,
    report: (amounts) => {
      let total = Rational.ZERO;
      for (const [code, amount] of amounts) total = total.plus(amount.times(factors.get(code) ?? Rational.ONE));
      return { byCurrency: byCurrency(amounts), total: total.roundHalfUp() };
    },
  };
}

/** Multiplies minor units of `code` into minor units of the reporting currency. */
export function conversionFactor(code: string, reporting: NonNullable<ReportContext['reporting']>): Rational {
  const target = reporting.currency;
  const rateText = reporting.rates[code];
  if (code !== target && rateText === undefined) throw new RangeError(`no conversion rate for ${code}`);
  const rate = code === target ? Rational.ONE : Rational.parseDecimal(rateText as string);
  // Minor units of `code` -> major units -> target's minor units.
  const shift = minorUnitExponent(target) - minorUnitExponent(code);
  const scale = shift >= 0 ? Rational.of(10n ** BigInt(shift)) : Rational.of(1n, 10n ** BigInt(-shift));
  return rate.times(scale);
}

/** Every currency the totals hold an amount in, sorted. */
export function currenciesOf(totals: MrrTotals): string[] {
  return [...new Set(totals.tiers.flatMap((tier) => [...tier.mrr.keys(), ...tier.stripeMrr.keys()]))].sort();
}

/** Currencies that `reporting` cannot convert: none when there is no `reporting`. */
export function missingRates(currencies: string[], reporting: ReportContext['reporting']): string[] {
  if (!reporting) return [];
  return currencies.filter((code) => code !== reporting.currency && reporting.rates[code] === undefined);
}

function sortContributions(rows: Contribution[] | null): Contribution[] | null {
  if (!rows) return null;
  return [...rows].sort(
    (a, b) =>
      (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0) ||
      a.tierIndex - b.tierIndex ||
      a.productIndex - b.productIndex,
  );
}

function subtract(left: ReportedAmount, right: ReportedAmount): ReportedAmount {
  const codes = [...new Set([...Object.keys(left.byCurrency), ...Object.keys(right.byCurrency)])].sort();
  return {
    byCurrency: Object.fromEntries(codes.map((code) => [code, (left.byCurrency[code] ?? 0n) - (right.byCurrency[code] ?? 0n)])),
    total: left.total === null || right.total === null ? null : left.total - right.total,
  };
}

function scaled(amounts: AmountsByCurrency, factor: number): AmountsByCurrency {
  return new Map([...amounts].map(([code, amount]) => [code, amount.times(factor)]));
}

function mergeInto(target: Map<string, Rational>, source: AmountsByCurrency): void {
  for (const [code, amount] of source) target.set(code, (target.get(code) ?? Rational.ZERO).plus(amount));
}

function describeWarning(warning: DiscountWarningSummary): string {
  const on = `${warning.subscriptions} subscription${warning.subscriptions === 1 ? '' : 's'}`;
  return warning.kind === 'amount-off-currency'
    ? `coupon ${warning.couponId} takes an amount off in another currency than ${warning.currency?.toUpperCase()} on ${on}; it was not applied`
    : `coupon ${warning.couponId} is no longer listed (deleted?), so its product restriction is unknown; it was applied to every product on ${on}`;
}
