/**
 * The revenue report (MRR, or ARR = 12 x MRR): what every renderer prints. Reported
 * figures are integers in minor units per currency, each rounded half-up once from its
 * exact total (ARR is 12 x the exact MRR, not 12 x the rounded one).
 */
import { decimalString, percentText, Rational } from '../money/rational.js';
import { conversionFactor, missingRates, ratesPerUnit, type ExchangeRates } from '../money/exchange-rates.js';
import type { TierGroup, TierLayout } from '../catalog/tier-layout.js';
import type { MrrRule, StripeSettings } from '../config/schema.js';
import type { AmountsByCurrency, CauseTotal, Contribution, ContributionCause, DiscountWarningSummary, MrrTotals } from '../rules/mrr-totals.js';
import type { CauseKind } from '../rules/difference-causes.js';
import type { Coupon } from '../billing/model.js';
import { apportion } from '../history/movements.js';
import { formatMoneyForHumans, minorUnitExponent } from '../money/currency.js';
import type { AtRiskReport } from './at-risk-report.js';
import { compareText } from '../text-order.js';

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
  /** The difference by cause: per currency, the amounts add up to `difference.byCurrency` exactly. Largest first. */
  causes: DifferenceCause[];
  subscriptions: number;
  products: ProductLine[];
}

/** One reason why a tier's handbook figure and its Stripe-definition figure differ, in one currency. */
export interface DifferenceCause {
  kind: CauseKind;
  couponId: string | null;
  /** In words, naming the coupon or the setting: "forever coupon SPRING10 (10 %) ignored by rule list-price". */
  description: string;
  currency: string;
  /** Minor units of the measure, handbook minus Stripe. */
  amount: bigint;
  subscriptions: number;
}

/** A cause's share of one subscription's line. */
export interface ExplainCause {
  kind: CauseKind;
  couponId: string | null;
  amount: bigint;
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
  /** Why amount and stripeAmount differ; the amounts add up to amount - stripeAmount. */
  causes: ExplainCause[];
}

export interface RevenueReport {
  measure: Measure;
  generatedAt: Date;
  asOf: Date;
  source: string;
  countedStatuses: string[];
  /** The Billing Overview settings the Stripe-definition figures follow. */
  stripeSettings: StripeSettings;
  /** Every currency seen, sorted. */
  currencies: string[];
  /** The one currency totals are given in, or null for several currencies without rates. */
  reportingCurrency: string | null;
  /** Rates used to convert into the reporting currency (1 unit of the key = rate units of it). */
  conversionRates: Record<string, string> | null;
  /** The rates the totals were converted with, as their source quoted them; null without conversion. */
  exchangeRates: ExchangeRates | null;
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
  /** `kpi mrr --at-risk`: absent unless asked for. */
  atRisk?: AtRiskReport;
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
  stripeSettings: StripeSettings;
  /** Converts every currency into one; null: each currency apart (unless there is only one). */
  rates: ExchangeRates | null;
  /**
   * Currencies of the configured products' prices: when no subscription counts, the
   * report still says "0 USD" rather than nothing, if that names one currency.
   */
  catalogCurrencies: string[];
}

export function buildRevenueReport(totals: MrrTotals, context: ReportContext): RevenueReport {
  const currencies = currenciesOf(totals);
  const fallback = context.catalogCurrencies.length === 1 ? (context.catalogCurrencies[0] as string) : null;
  const converter = makeConverter(currencies, context.rates, fallback);
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
    const difference = subtract(amount, stripeAmount);
    return {
      name: tier.displayName,
      group: tier.group,
      rule: tier.rule,
      amount,
      stripeAmount,
      difference,
      causes: reportCauses(tierTotals.causes, difference, factor, context.stripeSettings),
      subscriptions: tierTotals.subscriptions,
      products: tierTotals.products.map((productTotals, productIndex) => ({
        name: tier.products[productIndex]!.displayName,
        productIds: [...tier.products[productIndex]!.productIds],
        amount: report(productTotals.mrr),
        stripeAmount: report(productTotals.stripeMrr),
        subscriptions: productTotals.subscriptions,
        quantity: productTotals.quantity,
        holdersByCurrency: Object.fromEntries([...productTotals.holders.entries()].sort(([a], [b]) => compareText(a, b))),
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
    stripeSettings: context.stripeSettings,
    currencies,
    reportingCurrency: converter.currency,
    conversionRates: converter.rates,
    exchangeRates: converter.currency !== null && context.rates ? context.rates : null,
    amount,
    stripeAmount,
    difference: subtract(amount, stripeAmount),
    subscriptions: totals.subscriptions,
    subscriptionsRead: totals.subscriptionsRead,
    tiers,
    excluded: { meteredItems: totals.meteredItems },
    warnings: [...totals.warnings].sort((a, b) => compareText(`${a.kind}/${a.couponId}`, `${b.kind}/${b.couponId}`)).map(describeWarning),
    // Sorted, so the listing does not depend on the order the source delivered subscriptions in.
    explain:
      sortContributions(totals.contributions)?.map((row) => {
        const tier = context.layout.tiers[row.tierIndex]!;
        const amount = row.mrr.times(factor).roundHalfUp();
        const stripeAmount = row.stripeMrr.times(factor).roundHalfUp();
        return {
          subscriptionId: row.subscriptionId,
          customerId: row.customerId,
          status: row.status,
          tier: tier.displayName,
          product: tier.products[row.productIndex]!.displayName,
          currency: row.currency,
          quantity: row.quantity,
          amount,
          stripeAmount,
          causes: explainCauses(row.causes, amount - stripeAmount, factor),
        };
      }) ?? null,
  };
}

export interface Converter {
  currency: string | null;
  rates: Record<string, string> | null;
  report(amounts: AmountsByCurrency): ReportedAmount;
}

/**
 * One currency needs no conversion. Several are added up only with configured rates, each
 * currency's exact amount converted and the sum rounded once.
 */
export function makeConverter(currencies: string[], rates: ExchangeRates | null, fallback: string | null): Converter {
  const byCurrency = (amounts: AmountsByCurrency): MoneyByCurrency =>
    Object.fromEntries([...amounts.entries()].sort(([a], [b]) => compareText(a, b)).map(([code, amount]) => [code, amount.roundHalfUp()]));

  if (!rates) {
    const only = currencies.length === 1 ? (currencies[0] as string) : currencies.length === 0 ? fallback : null;
    return {
      currency: only,
      rates: null,
      report: (amounts) => ({ byCurrency: byCurrency(amounts), total: only ? (amounts.get(only) ?? Rational.ZERO).roundHalfUp() : null }),
    };
  }

  const missing = missingRates(currencies, rates);
  if (missing.length > 0) throw new RangeError(`no conversion rate for ${missing.join(', ')}`);
  const factors = new Map<string, Rational>(currencies.map((code) => [code, conversionFactor(code, rates)]));
  return {
    currency: rates.currency,
    rates: ratesPerUnit(rates, currencies),
    report: (amounts) => {
      let total = Rational.ZERO;
      for (const [code, amount] of amounts) total = total.plus(amount.times(factors.get(code) ?? Rational.ONE));
      return { byCurrency: byCurrency(amounts), total: total.roundHalfUp() };
    },
  };
}

/** Every currency the totals hold an amount in, sorted. */
export function currenciesOf(totals: MrrTotals): string[] {
  return [...new Set(totals.tiers.flatMap((tier) => [...tier.mrr.keys(), ...tier.stripeMrr.keys()]))].sort();
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

/**
 * Rounds each cause so that, per currency, they add up to the printed difference (itself
 * the difference of two rounded figures): largest remainders get the spare minor units.
 */
function reportCauses(causes: Map<string, CauseTotal[]>, difference: ReportedAmount, factor: number, settings: StripeSettings): DifferenceCause[] {
  const lines: DifferenceCause[] = [];
  for (const [currency, unordered] of [...causes].sort(([a], [b]) => compareText(a, b))) {
    // Causes are collected in the order subscriptions arrive, which parallel reads change
    // from run to run: a spare minor unit between equal remainders goes by name instead.
    const totals = [...unordered].sort((a, b) => compareText(causeKey(a), causeKey(b)));
    const amounts = apportion(totals.map((total) => total.amount.times(factor)), difference.byCurrency[currency] ?? 0n);
    totals.forEach((total, index) =>
      lines.push({
        kind: total.kind,
        couponId: total.coupon?.id ?? null,
        description: describeCause(total, currency, settings),
        currency,
        amount: amounts[index] as bigint,
        subscriptions: total.subscriptions,
      }),
    );
  }
  return lines.sort(largestFirst);
}

function explainCauses(causes: readonly ContributionCause[], difference: bigint, factor: number): ExplainCause[] {
  const amounts = apportion(causes.map((cause) => cause.amount.times(factor)), difference);
  return causes
    .map((cause, index) => ({ kind: cause.kind, couponId: cause.coupon?.id ?? null, amount: amounts[index] as bigint }))
    .sort(largestFirst);
}

function causeKey(cause: { kind: string; coupon: Coupon | null }): string {
  return `${cause.kind}/${cause.coupon?.id ?? ''}`;
}

function largestFirst(a: { amount: bigint; kind: string; couponId: string | null }, b: { amount: bigint; kind: string; couponId: string | null }): number {
  const size = (value: bigint) => (value < 0n ? -value : value);
  const bySize = size(b.amount) - size(a.amount);
  if (bySize !== 0n) return bySize > 0n ? 1 : -1;
  return compareText(`${a.kind}/${a.couponId ?? ''}`, `${b.kind}/${b.couponId ?? ''}`);
}

function describeCause(cause: { kind: CauseKind; coupon: Coupon | null }, currency: string, settings: StripeSettings): string {
  const coupon = cause.coupon ? describeCoupon(cause.coupon, currency) : '';
  // Only once and repeating coupons can differ under rule billed: both sides always subtract forever ones.
  const duration = cause.coupon?.duration === 'once' ? 'once' : 'repeating';
  const configKey = `discounts.count_${duration}`;
  const stripeKey = `stripe_settings.subtract_${duration}`;
  switch (cause.kind) {
    case 'coupon-ignored-by-list-price':
      return `${coupon} ignored by rule list-price`;
    case 'coupon-subtracted-by-config-only':
      return `${coupon} subtracted by ${configKey}, not by ${stripeKey}`;
    case 'coupon-subtracted-by-stripe-only':
      return `${coupon} subtracted by ${stripeKey}, not by ${configKey}`;
    case 'scheduled-to-end':
      return `subscriptions set to end, no longer counted by Stripe (stripe_settings.churn: ${settings.churn})`;
  }
}

/** "forever coupon SPRING10 (10 %)", "repeating coupon WELCOME (5.00 USD off)". */
export function describeCoupon(coupon: Coupon, currency: string): string {
  const amountOff = coupon.amountOff.get(currency);
  const off = coupon.percentOff
    ? `${percentText(coupon.percentOff)} %`
    : amountOff !== undefined
      ? `${formatMoneyForHumans(amountOff, currency)} off`
      : 'amount off in another currency';
  return `${coupon.duration} coupon ${coupon.id} (${off})`;
}

/** The settings in words, for headings and `kpi config check`. */
export function describeStripeSettings(settings: StripeSettings): string {
  const subtracted = (yes: boolean) => (yes ? 'subtracted' : 'not subtracted');
  return [
    'forever coupons subtracted',
    `repeating ${subtracted(settings.countRepeating)}`,
    `once ${subtracted(settings.countOnce)}`,
    `churn ${settings.churn === 'at_cancellation' ? 'at cancellation' : 'at the end of the billing period'}`,
  ].join(', ');
}

function describeWarning(warning: DiscountWarningSummary): string {
  const on = `${warning.subscriptions} subscription${warning.subscriptions === 1 ? '' : 's'}`;
  return warning.kind === 'amount-off-currency'
    ? `coupon ${warning.couponId} takes an amount off in another currency than ${warning.currency?.toUpperCase()} on ${on}; it was not applied`
    : `coupon ${warning.couponId} is no longer listed (deleted?), so its product restriction is unknown; it was applied to every product on ${on}`;
}
