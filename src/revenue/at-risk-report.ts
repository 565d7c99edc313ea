/**
 * MRR at risk as reported: each category's exact monthly amounts rounded half-up once per
 * figure (a section total, a tier, a coupon, a subscription line), in minor units per
 * currency, converted like the MRR figures when rates are configured.
 */
import { Rational } from '../money/rational.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import type { AtRiskCategory, AtRiskEntries, AtRiskEntry } from '../rules/at-risk.js';
import { describeCoupon, type Converter, type ReportedAmount } from './revenue-report.js';
import { compareText } from '../text-order.js';

export interface AtRiskLine {
  subscriptionId: string;
  customerId: string;
  tier: string;
  currency: string;
  amount: bigint;
  /** When it ends (subscription, discount or trial); null when the source does not say. */
  date: Date | null;
  couponId: string | null;
}

export interface AtRiskGroupLine {
  name: string;
  amount: ReportedAmount;
  subscriptions: number;
}

export interface AtRiskSection {
  amount: ReportedAmount;
  subscriptions: number;
  tiers: AtRiskGroupLine[];
  /** Discounts ending only: per coupon, named as in the difference causes; empty otherwise. */
  coupons: Array<AtRiskGroupLine & { couponId: string }>;
  /** Under `--explain`: each subscription (per tier, and per coupon for discounts ending), soonest first. */
  lines: AtRiskLine[] | null;
}

/** Past-due MRR over MRR, from the two reported figures; null where MRR is zero. */
export interface ShareOfMrr {
  byCurrency: Record<string, Rational | null>;
  total: Rational | null;
}

export interface AtRiskReport {
  horizonDays: number;
  horizonEnd: Date;
  pastDue: AtRiskSection & { shareOfMrr: ShareOfMrr };
  scheduledToEnd: AtRiskSection;
  discountsEnding: AtRiskSection;
  trialsEnding: AtRiskSection;
}

export interface AtRiskContext {
  layout: TierLayout;
  /**
   * Converts a section's amounts. Without rates, a section in MRR's one currency has a
   * total even when another section (a foreign trial) brings a second currency.
   */
  converterFor(currencies: readonly string[]): Converter;
  /** The MRR the past-due share is a share of. */
  mrr: ReportedAmount;
  horizonDays: number;
  horizonEnd: number;
  explain: boolean;
}

export function buildAtRiskReport(entries: AtRiskEntries, context: AtRiskContext): AtRiskReport {
  const section = (category: AtRiskCategory) => buildSection(entries[category], context, category === 'discountsEnding');
  const pastDue = section('pastDue');
  return {
    horizonDays: context.horizonDays,
    horizonEnd: new Date(context.horizonEnd * 1000),
    pastDue: { ...pastDue, shareOfMrr: shareOf(pastDue.amount, context.mrr) },
    scheduledToEnd: section('scheduledToEnd'),
    discountsEnding: section('discountsEnding'),
    trialsEnding: section('trialsEnding'),
  };
}

/** Every currency an at-risk entry is in. */
export function atRiskCurrencies(entries: AtRiskEntries): string[] {
  return [...new Set(Object.values(entries).flatMap((list) => list.map((entry) => entry.currency)))].sort();
}

function buildSection(entries: readonly AtRiskEntry[], context: AtRiskContext, byCoupon: boolean): AtRiskSection {
  const converter = context.converterFor([...new Set(entries.map((entry) => entry.currency))]);
  const tierName = (entry: AtRiskEntry) => context.layout.tiers[entry.tierIndex]?.displayName ?? '';
  const tiers = context.layout.tiers.flatMap((tier, tierIndex) => {
    const inTier = entries.filter((entry) => entry.tierIndex === tierIndex);
    return inTier.length > 0 ? [{ name: tier.displayName, ...summed(inTier, converter) }] : [];
  });
  const couponIds = byCoupon ? [...new Set(entries.map((entry) => entry.coupon?.id ?? ''))].sort() : [];
  const coupons = couponIds.map((couponId) => {
    const ofCoupon = entries.filter((entry) => (entry.coupon?.id ?? '') === couponId);
    const first = ofCoupon[0] as AtRiskEntry;
    return { couponId, name: first.coupon ? describeCoupon(first.coupon, first.currency) : couponId, ...summed(ofCoupon, converter) };
  });
  const lines = context.explain
    ? entries
        .map((entry) => ({
          subscriptionId: entry.subscriptionId,
          customerId: entry.customerId,
          tier: tierName(entry),
          currency: entry.currency,
          amount: entry.amount.roundHalfUp(),
          date: entry.date === null ? null : new Date(entry.date * 1000),
          couponId: entry.coupon?.id ?? null,
        }))
        .sort((a, b) => (a.date?.getTime() ?? Infinity) - (b.date?.getTime() ?? Infinity) || compareText(a.subscriptionId, b.subscriptionId) || compareText(a.tier, b.tier))
    : null;
  return { ...summed(entries, converter), tiers, coupons, lines };
}

function summed(entries: readonly AtRiskEntry[], converter: Converter): { amount: ReportedAmount; subscriptions: number } {
  const amounts = new Map<string, Rational>();
  for (const entry of entries) amounts.set(entry.currency, (amounts.get(entry.currency) ?? Rational.ZERO).plus(entry.amount));
  return { amount: converter.report(amounts), subscriptions: new Set(entries.map((entry) => entry.subscriptionId)).size };
}

function shareOf(part: ReportedAmount, whole: ReportedAmount): ShareOfMrr {
  const ratio = (numerator: bigint, denominator: bigint | null | undefined) =>
    denominator === null || denominator === undefined || denominator === 0n ? null : Rational.of(numerator, denominator);
  return {
    byCurrency: Object.fromEntries(Object.keys(whole.byCurrency).map((code) => [code, ratio(part.byCurrency[code] ?? 0n, whole.byCurrency[code])])),
    total: part.total === null ? null : ratio(part.total, whole.total),
  };
}
