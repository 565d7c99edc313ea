import type { Product } from '../billing/model.js';
import type { KpiConfig, MrrRule, ProductSelector, TierConfig, TierGroup } from '../config/schema.js';

export type { TierGroup };
import { UsageError } from '../errors.js';
import { closestNames, normaliseProductName } from './product-names.js';

export interface ResolvedProduct {
  /** The name the output uses: the config's label, else the newest configured name the account carries. */
  displayName: string;
  /** Every Stripe product the selector matched (an archived and a current product may share a name). */
  productIds: string[];
}

export interface ResolvedTier {
  displayName: string;
  group: TierGroup;
  rule: MrrRule;
  products: ResolvedProduct[];
}

export interface ProductPosition {
  tierIndex: number;
  productIndex: number;
}

/** The configured tiers with their products found in the account. */
export class TierLayout {
  private readonly positions = new Map<string, ProductPosition>();

  constructor(readonly tiers: ResolvedTier[]) {
    tiers.forEach((tier, tierIndex) =>
      tier.products.forEach((product, productIndex) => {
        for (const id of product.productIds) this.positions.set(id, { tierIndex, productIndex });
      }),
    );
  }

  /** Where a Stripe product counts, or undefined for products outside the configuration. */
  locate(productId: string): ProductPosition | undefined {
    return this.positions.get(productId);
  }
}

/**
 * Matches the configured tiers against the account's products (active and archived: an
 * archived product's subscriptions still bill). A configured product that matches nothing
 * is an error listing the closest names, unless the config marks it optional.
 */
export function resolveTierLayout(config: KpiConfig, products: readonly Product[], options: { otherRecurring: boolean } = { otherRecurring: false }): TierLayout {
  const byName = new Map<string, Product[]>();
  for (const product of products) {
    const key = normaliseProductName(product.name);
    byName.set(key, [...(byName.get(key) ?? []), product]);
  }
  const byId = new Map(products.map((product) => [product.id, product]));
  const claimedBy = new Map<string, string>();

  const configured = options.otherRecurring ? [...config.tiers, ...config.arr.otherRecurring] : config.tiers;
  const tiers = configured.map((tier) => {
    let newestEra = -1;
    const resolved = tier.products.map((selector) => {
      const match = matchSelector(selector, tier, byName, byId, config.origin, products);
      newestEra = Math.max(newestEra, match.era);
      for (const id of match.productIds) {
        const claimant = `tier "${tier.names.at(-1)}", product "${describeSelector(selector)}"`;
        const previous = claimedBy.get(id);
        if (previous) {
          throw new UsageError(
            `config ${config.origin}: Stripe product ${id} ("${byId.get(id)?.name}") is selected twice: by ${previous} and by ${claimant}`,
            'Each Stripe product may count in one place only.',
          );
        }
        claimedBy.set(id, claimant);
      }
      return match;
    });
    return {
      displayName: tier.names[newestEra >= 0 ? newestEra : tier.names.length - 1] as string,
      group: tier.group,
      rule: tier.rule,
      products: resolved.map(({ displayName, productIds }) => ({ displayName, productIds })),
    };
  });
  return new TierLayout(tiers);
}

interface SelectorMatch extends ResolvedProduct {
  /** Index of the tier name era the match shows; -1 when it tells nothing. */
  era: number;
}

function matchSelector(
  selector: ProductSelector,
  tier: TierConfig,
  byName: Map<string, Product[]>,
  byId: Map<string, Product>,
  origin: string,
  allProducts: readonly Product[],
): SelectorMatch {
  if (selector.ids.length > 0) {
    const found = selector.ids.filter((id) => byId.has(id));
    const missing = selector.ids.filter((id) => !byId.has(id));
    if (missing.length > 0 && !selector.optional) {
      throw new UsageError(
        `config ${origin}: tier "${tier.names.at(-1)}" pins product id ${missing.join(', ')}, which the Stripe account does not have`,
        'Check the id in the Stripe dashboard, or mark the product "optional: true".',
      );
    }
    const firstName = found.length > 0 ? byId.get(found[0] as string)?.name : undefined;
    return { displayName: selector.label ?? firstName ?? (selector.ids[0] as string), productIds: found, era: -1 };
  }

  const productIds: string[] = [];
  let era = -1;
  selector.names.forEach((name, index) => {
    const matches = byName.get(normaliseProductName(name)) ?? [];
    if (matches.length === 0) return;
    productIds.push(...matches.map((product) => product.id));
    // Only a product that lists one name per tier name says which era the account is in.
    if (selector.names.length === tier.names.length && selector.names.length > 1) era = Math.max(era, index);
  });
  if (productIds.length === 0 && !selector.optional) {
    const suggestions = closestNames(selector.names.at(-1) as string, allProducts.map((product) => product.name));
    throw new UsageError(
      `config ${origin}: tier "${tier.names.at(-1)}" lists product ${selector.names.map((name) => `"${name}"`).join(' / ')}, but no Stripe product has ${selector.names.length > 1 ? 'any of these names' : 'that name'}`,
      suggestions.length > 0
        ? `Closest product names in the account: ${suggestions.map((name) => `"${name}"`).join(', ')}. Fix the name, or mark the product "optional: true".`
        : 'The account has no products at all. Is this the right Stripe account?',
    );
  }
  const newestMatchedName = [...selector.names].reverse().find((name) => byName.has(normaliseProductName(name)));
  return { displayName: selector.label ?? newestMatchedName ?? (selector.names.at(-1) as string), productIds, era };
}

function describeSelector(selector: ProductSelector): string {
  return selector.label ?? selector.names.at(-1) ?? selector.ids.join(', ');
}
