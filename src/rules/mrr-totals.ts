import { Rational } from '../money/rational.js';
import type { Coupon, Subscription } from '../billing/model.js';
import type { TierLayout } from '../catalog/tier-layout.js';
import type { MrrRule } from '../config/schema.js';
import type { DiscountPolicy } from './discounts.js';
import { amountByRule, evaluateSubscription, type DiscountWarning } from './subscription-mrr.js';
import { differenceSteps, stripeCountsSubscription, type CauseKind, type CauseStep, type StripeSettingsPolicy } from './difference-causes.js';

/** Exact monthly amounts per currency code. */
export type AmountsByCurrency = Map<string, Rational>;

export interface ProductTotals {
  /** The tier's own rule (handbook figure). */
  mrr: AmountsByCurrency;
  /** Stripe's definition (rule `billed`) for comparison with the Billing Overview. */
  stripeMrr: AmountsByCurrency;
  subscriptions: number;
  quantity: number;
  /** The same counts per currency of the subscriptions holding the product. */
  holders: Map<string, { subscriptions: number; quantity: number }>;
}

export interface TierTotals {
  mrr: AmountsByCurrency;
  stripeMrr: AmountsByCurrency;
  subscriptions: number;
  products: ProductTotals[];
  /** (mrr - stripeMrr) split by cause, per currency: each currency's causes add up to its difference exactly. */
  causes: Map<string, CauseTotal[]>;
}

/** One cause of a tier's difference in one currency. */
export interface CauseTotal {
  kind: CauseKind;
  coupon: Coupon | null;
  /** Monthly, exact. */
  amount: Rational;
  subscriptions: number;
}

/** One cause's share of one subscription's contribution. */
export interface ContributionCause {
  kind: CauseKind;
  coupon: Coupon | null;
  amount: Rational;
}

export interface DiscountWarningSummary {
  kind: DiscountWarning['kind'];
  couponId: string;
  currency: string | null;
  subscriptions: number;
}

/** One subscription's contribution to one configured product, for `--explain`. */
export interface Contribution {
  subscriptionId: string;
  customerId: string;
  status: string;
  currency: string;
  tierIndex: number;
  productIndex: number;
  quantity: number;
  mrr: Rational;
  stripeMrr: Rational;
  /** What makes mrr and stripeMrr differ; their amounts add up to mrr - stripeMrr. */
  causes: ContributionCause[];
}

export interface MrrTotals {
  tiers: TierTotals[];
  /** Subscriptions holding a positive quantity of any configured product. */
  subscriptions: number;
  /** Subscriptions read, whether or not they hold a configured product. */
  subscriptionsRead: number;
  /** Metered items of configured products, left out as Stripe leaves them out. */
  meteredItems: number;
  /** Discounts that could not be applied as written, counted per coupon. */
  warnings: DiscountWarningSummary[];
  contributions: Contribution[] | null;
}

/**
 * Adds up subscriptions one at a time, so a source can stream them page by page and
 * memory holds only the totals (plus the per-subscription rows when `--explain` asks).
 */
export class MrrAccumulator {
  private readonly totals: MrrTotals;
  private readonly stripe: StripeSettingsPolicy;

  /**
   * @param options.stripe Stripe's Billing Overview settings for the Stripe-definition
   *   figure; without it, Stripe's figure uses the handbook's discount policy and counts a
   *   subscription until it ends.
   */
  constructor(
    private readonly layout: TierLayout,
    private readonly policy: DiscountPolicy,
    options: { explain: boolean; stripe?: StripeSettingsPolicy },
  ) {
    this.stripe = options.stripe ?? { discounts: policy, churn: 'at_period_end' };
    this.totals = {
      tiers: layout.tiers.map((tier) => ({
        mrr: new Map(),
        stripeMrr: new Map(),
        causes: new Map(),
        subscriptions: 0,
        products: tier.products.map(() => ({ mrr: new Map(), stripeMrr: new Map(), subscriptions: 0, quantity: 0, holders: new Map() })),
      })),
      subscriptions: 0,
      subscriptionsRead: 0,
      meteredItems: 0,
      warnings: [],
      contributions: options.explain ? [] : null,
    };
  }

  add(subscription: Subscription): void {
    const evaluation = evaluateSubscription(subscription, this.policy, this.stripe.discounts);
    const currency = subscription.currency;
    const perProduct = new Map<string, Contribution>();
    this.totals.subscriptionsRead += 1;
    const positions = evaluation.items.map((item) => this.layout.locate(item.productId));
    const rules = positions.map((position): MrrRule | null => (position ? (this.layout.tiers[position.tierIndex]?.rule ?? null) : null));
    const steps = differenceSteps(evaluation, rules, this.policy, this.stripe);
    const stripeCounts = stripeCountsSubscription(subscription, this.stripe.churn);

    evaluation.items.forEach((item, index) => {
      const position = positions[index];
      if (!position) return;
      const rule = rules[index];
      const key = `${position.tierIndex}/${position.productIndex}`;
      const row = perProduct.get(key) ?? {
        subscriptionId: subscription.id,
        customerId: subscription.customerId,
        status: subscription.status,
        currency,
        ...position,
        quantity: 0,
        mrr: Rational.ZERO,
        stripeMrr: Rational.ZERO,
        causes: [],
      };
      row.quantity += item.quantity;
      row.mrr = row.mrr.plus(amountByRule(item, rule));
      if (stripeCounts) row.stripeMrr = row.stripeMrr.plus(item.stripeBilled);
      row.causes = mergeCauses(row.causes, steps[index] ?? []);
      perProduct.set(key, row);
    });
    for (const item of evaluation.meteredItems) {
      if (this.layout.locate(item.price.productId)) this.totals.meteredItems += 1;
    }
    this.recordWarnings(evaluation.warnings, perProduct.size > 0);

    const tiersHeld = new Set<number>();
    const causesPerTier = new Map<number, ContributionCause[]>();
    for (const row of perProduct.values()) {
      causesPerTier.set(row.tierIndex, mergeCauses(causesPerTier.get(row.tierIndex) ?? [], row.causes));
      const tier = this.totals.tiers[row.tierIndex] as TierTotals;
      const product = tier.products[row.productIndex] as ProductTotals;
      addTo(product.mrr, currency, row.mrr);
      addTo(product.stripeMrr, currency, row.stripeMrr);
      addTo(tier.mrr, currency, row.mrr);
      addTo(tier.stripeMrr, currency, row.stripeMrr);
      const holders = product.holders.get(currency) ?? { subscriptions: 0, quantity: 0 };
      product.holders.set(currency, holders);
      product.quantity = addQuantity(product.quantity, row.quantity);
      holders.quantity = addQuantity(holders.quantity, row.quantity);
      if (row.quantity > 0) {
        product.subscriptions += 1;
        holders.subscriptions += 1;
        tiersHeld.add(row.tierIndex);
      }
      this.totals.contributions?.push(row);
    }
    for (const [tierIndex, causes] of causesPerTier) addCauses(this.totals.tiers[tierIndex] as TierTotals, currency, causes);
    for (const tierIndex of tiersHeld) (this.totals.tiers[tierIndex] as TierTotals).subscriptions += 1;
    if (tiersHeld.size > 0) this.totals.subscriptions += 1;
  }

  result(): MrrTotals {
    return this.totals;
  }

  private readonly warningsByKey = new Map<string, DiscountWarningSummary>();

  /** Only warnings on subscriptions that hold a configured product can touch a figure. */
  private recordWarnings(warnings: DiscountWarning[], relevant: boolean): void {
    if (!relevant) return;
    const keys = new Set<string>();
    for (const warning of warnings) {
      const currency = warning.kind === 'amount-off-currency' ? warning.currency : null;
      const key = `${warning.kind}/${warning.couponId}/${currency}`;
      if (keys.has(key)) continue;
      keys.add(key);
      let summary = this.warningsByKey.get(key);
      if (!summary) {
        summary = { kind: warning.kind, couponId: warning.couponId, currency, subscriptions: 0 };
        this.warningsByKey.set(key, summary);
        this.totals.warnings.push(summary);
      }
      summary.subscriptions += 1;
    }
  }
}

/**
 * JSON readers and spreadsheets hold numbers as doubles: a total beyond 2^53 minor units
 * (90 trillion dollars) could not be reported exactly, and no real account comes near it,
 * so reaching it means a quantity or amount in the data is wrong.
 */
const LARGEST_REPORTABLE = Number.MAX_SAFE_INTEGER;
const LARGEST_REPORTABLE_AMOUNT = Rational.of(LARGEST_REPORTABLE);

function addTo(amounts: AmountsByCurrency, currency: string, amount: Rational): void {
  const total = (amounts.get(currency) ?? Rational.ZERO).plus(amount);
  if (total.compare(LARGEST_REPORTABLE_AMOUNT) > 0) {
    throw new RangeError(`it takes the ${currency.toUpperCase()} total past ${LARGEST_REPORTABLE} minor units, more than any real account bills; a quantity or amount in the data is wrong`);
  }
  amounts.set(currency, total);
}

const causeKey = (cause: { kind: CauseKind; coupon: Coupon | null }) => `${cause.kind}/${cause.coupon?.id ?? ''}`;

/** One entry per cause and coupon, amounts added; causes that cancel out to zero are dropped. */
function mergeCauses(into: ContributionCause[], steps: readonly CauseStep[]): ContributionCause[] {
  // Most items carry no discount: nothing to merge, and no map per item.
  if (steps.length === 0) return into;
  const merged = new Map(into.map((cause) => [causeKey(cause), { ...cause }]));
  for (const step of steps) {
    const existing = merged.get(causeKey(step));
    if (existing) existing.amount = existing.amount.plus(step.amount);
    else merged.set(causeKey(step), { kind: step.kind, coupon: step.coupon, amount: step.amount });
  }
  return [...merged.values()].filter((cause) => !cause.amount.isZero());
}

/** A subscription's causes in one tier: each counts the subscription once. */
function addCauses(tier: TierTotals, currency: string, causes: readonly ContributionCause[]): void {
  const totals = tier.causes.get(currency) ?? [];
  tier.causes.set(currency, totals);
  for (const cause of causes) {
    const existing = totals.find((total) => causeKey(total) === causeKey(cause));
    if (existing) {
      existing.amount = existing.amount.plus(cause.amount);
      existing.subscriptions += 1;
    } else {
      totals.push({ kind: cause.kind, coupon: cause.coupon, amount: cause.amount, subscriptions: 1 });
    }
  }
}

function addQuantity(total: number, quantity: number): number {
  const sum = total + quantity;
  if (sum > LARGEST_REPORTABLE) throw new RangeError(`it takes a product's total quantity past ${LARGEST_REPORTABLE}; a quantity in the data is wrong`);
  return sum;
}
