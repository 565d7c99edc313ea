import { Rational } from '../money/rational.js';
import type { Price, PriceTier } from '../billing/model.js';

/** Stripe bills a licensed item with no quantity as one unit. */
export function effectiveQuantity(quantity: number | null): number {
  return quantity ?? 1;
}

/**
 * What one billing period of an item costs at list price, in minor units, before any
 * discount: per-unit (with `transform_quantity`) or tiered (graduated or volume).
 * A quantity of zero costs nothing, whatever the tiers' flat amounts say.
 */
export function amountPerPeriod(price: Price, quantity: number | null): Rational {
  const units = effectiveQuantity(quantity);
  if (!Number.isInteger(units) || units < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${units} (price ${price.id})`);
  }
  if (units === 0) return Rational.ZERO;
  const scheme = price.scheme;
  if (scheme.kind === 'per_unit') {
    return scheme.unitAmount.times(billedUnits(units, scheme.transformQuantity));
  }
  return scheme.mode === 'graduated' ? graduatedAmount(scheme.tiers, units) : volumeAmount(scheme.tiers, units);
}

function billedUnits(units: number, transform: { divideBy: number; round: 'up' | 'down' } | null): bigint {
  if (!transform) return BigInt(units);
  const packs = Rational.of(units, transform.divideBy);
  return transform.round === 'up' ? packs.ceil() : packs.floor();
}

/** Each tier bills the units that fall inside it, plus its flat amount if any unit does. */
function graduatedAmount(tiers: readonly PriceTier[], units: number): Rational {
  let total = Rational.ZERO;
  let previousBound = 0;
  for (const tier of tiers) {
    const bound = tier.upTo ?? Number.POSITIVE_INFINITY;
    const unitsInTier = Math.min(units, bound) - previousBound;
    if (unitsInTier > 0) total = total.plus(tier.unitAmount.times(unitsInTier)).plus(tier.flatAmount);
    if (units <= bound) return total;
    previousBound = bound;
  }
  throw new RangeError(`quantity ${units} is beyond the last tier (no open-ended tier)`);
}

/** The tier the whole quantity falls into prices every unit. */
function volumeAmount(tiers: readonly PriceTier[], units: number): Rational {
  const tier = tiers.find((candidate) => candidate.upTo === null || units <= candidate.upTo);
  if (!tier) throw new RangeError(`quantity ${units} is beyond the last tier (no open-ended tier)`);
  return tier.unitAmount.times(units).plus(tier.flatAmount);
}
