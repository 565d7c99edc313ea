/**
 * The demo account's catalog: products, prices and coupons of a fictional FlowFuse-like
 * self-service SaaS. Ids come from their own fixed-seed PRNG, so the catalog (and any
 * config that pins its product ids) is the same for every `--seed` and `--subscriptions`.
 * Creation dates are relative to `as_of`.
 */
import type { WireCoupon, WirePrice, WireProduct, WireRecurring, WireTier } from '../../src/sources/stripe/wire.js';
import { IdFactory, Rng } from './prng.js';
import { DAY } from './time.js';

/** Seed of the catalog's own PRNG: independent of the subscription seed on purpose. */
const CATALOG_SEED = 0x0f10_f05e;

/** Exact product names. The default kpi config matches Starter and Pro (formerly Team) by name. */
export const PRODUCT_NAMES = {
  starter: 'FlowFuse Cloud - Starter',
  starterSmall: 'Starter - Small Instance Add-On',
  starterRemote: 'Starter - Remote Instance Add-On',
  pro: 'FlowFuse Pro Platform - Cloud',
  proSmall: 'Pro - Small Instance Add-On',
  proMedium: 'Pro - Medium Instance Add-On',
  proLarge: 'Pro - Large Instance Add-On',
  proRemote: 'Pro - Remote Instance Add-On',
  teamSmall: 'Team - Small Instance Add-On',
  enterprise: 'FlowFuse Enterprise - Self-Hosted',
  dataTransfer: 'Pro - Data Transfer',
  mqtt: 'Pro - MQTT Messages',
  deviceAgent: 'Pro - Device Agent Pack',
  onboarding: 'Onboarding Workshop',
} as const;

export type ProductKey = keyof typeof PRODUCT_NAMES;

export type PriceKey =
  | 'starterMonthly'
  | 'starterLegacy'
  | 'starterYearly'
  | 'starterEur'
  | 'starterSmall'
  | 'starterRemote'
  | 'proMonthly'
  | 'proYearly'
  | 'proEur'
  | 'proSmall'
  | 'proSmallYearly'
  | 'proMedium'
  | 'proLarge'
  | 'proRemote'
  | 'teamSmall'
  | 'enterpriseYearly'
  | 'dataTransfer'
  | 'mqtt'
  | 'deviceAgent'
  | 'onboarding';

export type CouponKey =
  | 'NONPROFIT20'
  | 'PARTNER50'
  | 'LAUNCH50'
  | 'FIRSTMONTH'
  | 'EDU125'
  | 'SPRING10'
  | 'SMALLADDON10';

/** How many "legacy batch" prices exist on the Pro Small product (for >20-item subscriptions). */
export const BATCH_PRICE_COUNT = 24;

/** Days before `as_of` of the catalog's milestones; subscriptions use them as windows. */
export const MILESTONES = {
  /** Starter launched with the $15 price. */
  starterLaunch: 1280,
  /** Enterprise self-hosted product created. */
  enterpriseLaunch: 1200,
  /** Team tier (now Pro) launched, late 2023. */
  teamLaunch: 1140,
  /** The Team Small add-on product was replaced by a new small add-on product. */
  teamSmallReplaced: 930,
  /** Starter moved from $15 to $20 a month (and gained a yearly price). */
  starter20: 800,
  /** EUR prices introduced. */
  eurPrices: 500,
  /** Team renamed Pro (July-Sept 2025): products' `updated`. */
  proRename: 440,
  /** The SPRING10 coupon was created, then deleted. */
  spring10Created: 1000,
  spring10Deleted: 880,
} as const;

export interface Catalog {
  products: WireProduct[];
  prices: WirePrice[];
  coupons: WireCoupon[];
  product: Record<ProductKey, WireProduct>;
  price: Record<PriceKey, WirePrice>;
  /** Active:false per-unit prices on the Pro Small product, "legacy batch 1..24". */
  batch: WirePrice[];
  coupon: Record<CouponKey, WireCoupon>;
}

interface PriceSpec {
  product: ProductKey;
  daysAgo: number;
  nickname: string;
  currency?: string;
  /** null: one-time price. */
  interval: 'month' | 'year' | null;
  unitAmount?: number | null;
  unitAmountDecimal?: string | null;
  tiers?: WireTier[];
  tiersMode?: 'graduated' | 'volume';
  transform?: { divide_by: number; round: 'up' | 'down' };
  usageType?: 'licensed' | 'metered';
  active?: boolean;
  lookupKey?: string | null;
}

/** `recurring` as Stripe sends it (wire.ts lists only the fields kpi reads). */
type DemoRecurring = WireRecurring & { trial_period_days: number | null };

/**
 * A fresh copy of a price with Stripe's (alphabetical, id/object first) key order. Used to
 * build the catalog and to embed a separate copy in every subscription item; written out
 * field by field because it runs for every item of a 100,000-subscription account.
 * `tiers` is present only on tiered prices.
 */
export function copyPrice(p: WirePrice): WirePrice {
  const r = p.recurring as DemoRecurring | null;
  const recurring: DemoRecurring | null =
    r === null
      ? null
      : {
          interval: r.interval,
          interval_count: r.interval_count,
          meter: r.meter ?? null,
          trial_period_days: r.trial_period_days ?? null,
          usage_type: r.usage_type,
        };
  const tq = p.transform_quantity;
  const transform = tq === null ? null : { divide_by: tq.divide_by, round: tq.round };
  const metadata = copyMetadata(p.metadata);
  const lookupKey = (p.lookup_key as string | null | undefined) ?? null;
  const taxBehavior = (p.tax_behavior as string | undefined) ?? 'unspecified';
  // `tiers` only on tiered prices, in Stripe's key order, so the file stays byte-identical.
  const tiers = p.tiers?.map((t) => ({
    flat_amount: t.flat_amount,
    flat_amount_decimal: t.flat_amount_decimal,
    unit_amount: t.unit_amount,
    unit_amount_decimal: t.unit_amount_decimal,
    up_to: t.up_to,
  }));
  return {
    id: p.id,
    object: 'price',
    active: p.active,
    billing_scheme: p.billing_scheme,
    created: p.created,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: lookupKey,
    metadata,
    nickname: p.nickname ?? null,
    product: p.product,
    recurring,
    tax_behavior: taxBehavior,
    ...(tiers === undefined ? {} : { tiers }),
    tiers_mode: p.tiers_mode,
    transform_quantity: transform,
    type: p.type,
    unit_amount: p.unit_amount,
    unit_amount_decimal: p.unit_amount_decimal,
  };
}

/** A copy of a string-to-string metadata object (Stripe metadata values are strings). */
export function copyMetadata(metadata: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (metadata !== null && typeof metadata === 'object') {
    for (const key in metadata) out[key] = String((metadata as Record<string, unknown>)[key]);
  }
  return out;
}

export function buildCatalog(asOf: number, ids: IdFactory): Catalog {
  // Ids from a fixed-seed stream, registered with the account-wide factory for uniqueness.
  const catalogIds = new Rng(CATALOG_SEED);
  const newId = (prefix: string, length: 14 | 24): string => {
    const body = length === 24 ? '1' + catalogIds.base62(23) : catalogIds.base62(length);
    return ids.reserve(`${prefix}_${body}`);
  };
  const ago = (days: number): number => asOf - days * DAY + 37 * 60; // a little after midnight

  // ---- products --------------------------------------------------------------------------
  interface ProductSpec {
    daysAgo: number;
    description: string | null;
    active?: boolean;
    updatedDaysAgo?: number;
    unitLabel?: string | null;
  }
  const productSpecs: Record<ProductKey, ProductSpec> = {
    starter: { daysAgo: MILESTONES.starterLaunch, description: 'Starter tier of the hosted platform (fictional demo).' },
    starterSmall: { daysAgo: MILESTONES.starterLaunch, description: 'Extra small instance on the Starter tier.', unitLabel: 'instance' },
    starterRemote: { daysAgo: MILESTONES.starterLaunch, description: 'Extra remote instance on the Starter tier.', unitLabel: 'instance' },
    pro: {
      daysAgo: MILESTONES.teamLaunch,
      description: 'Pro tier of the hosted platform, formerly called Team (fictional demo).',
      updatedDaysAgo: MILESTONES.proRename,
    },
    proSmall: {
      daysAgo: MILESTONES.teamSmallReplaced,
      description: 'Extra small instance on the Pro tier.',
      updatedDaysAgo: MILESTONES.proRename,
      unitLabel: 'instance',
    },
    proMedium: {
      daysAgo: MILESTONES.teamLaunch,
      description: 'Extra medium instance on the Pro tier.',
      updatedDaysAgo: MILESTONES.proRename,
      unitLabel: 'instance',
    },
    proLarge: {
      daysAgo: MILESTONES.teamLaunch,
      description: 'Extra large instance on the Pro tier.',
      updatedDaysAgo: MILESTONES.proRename,
      unitLabel: 'instance',
    },
    proRemote: {
      daysAgo: MILESTONES.teamLaunch,
      description: 'Extra remote instances on the Pro tier, graduated pricing.',
      updatedDaysAgo: MILESTONES.proRename,
      unitLabel: 'instance',
    },
    teamSmall: {
      daysAgo: MILESTONES.teamLaunch,
      description: 'Extra small instance on the Team tier (archived; replaced by the Pro small add-on).',
      active: false,
      updatedDaysAgo: MILESTONES.teamSmallReplaced,
      unitLabel: 'instance',
    },
    enterprise: { daysAgo: MILESTONES.enterpriseLaunch, description: 'Self-hosted Enterprise licence, sales-led (not self-service).' },
    dataTransfer: { daysAgo: 400, description: 'Outbound data transfer, billed per GB from a meter.', unitLabel: 'GB' },
    mqtt: { daysAgo: 300, description: 'MQTT message packs.', unitLabel: 'pack' },
    deviceAgent: { daysAgo: 250, description: 'Device agents, sold in packs of 10.', unitLabel: 'device' },
    onboarding: { daysAgo: 1000, description: 'One-off onboarding workshop.' },
  };

  const product = {} as Record<ProductKey, WireProduct>;
  for (const key of Object.keys(PRODUCT_NAMES) as ProductKey[]) {
    const spec = productSpecs[key];
    const created = ago(spec.daysAgo);
    product[key] = {
      id: newId('prod', 14),
      object: 'product',
      active: spec.active ?? true,
      attributes: [],
      created,
      default_price: null,
      description: spec.description,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: {},
      name: PRODUCT_NAMES[key],
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      tax_code: null,
      type: 'service',
      unit_label: spec.unitLabel ?? null,
      updated: spec.updatedDaysAgo !== undefined ? ago(spec.updatedDaysAgo) : created,
      url: null,
    };
  }

  // ---- prices ----------------------------------------------------------------------------
  const makePrice = (spec: PriceSpec): WirePrice => {
    const tiered = spec.tiers !== undefined;
    const unitAmount = tiered ? null : (spec.unitAmount ?? null);
    const recurring: DemoRecurring | null =
      spec.interval === null
        ? null
        : {
            interval: spec.interval,
            interval_count: 1,
            meter: spec.usageType === 'metered' ? newId('mtr', 24) : null,
            trial_period_days: null,
            usage_type: spec.usageType ?? 'licensed',
          };
    return copyPrice({
      id: newId('price', 24),
      object: 'price',
      active: spec.active ?? true,
      billing_scheme: tiered ? 'tiered' : 'per_unit',
      created: ago(spec.daysAgo),
      currency: spec.currency ?? 'usd',
      lookup_key: spec.lookupKey ?? null,
      metadata: {},
      nickname: spec.nickname,
      product: product[spec.product].id,
      recurring,
      tax_behavior: 'unspecified',
      ...(tiered ? { tiers: spec.tiers } : {}),
      tiers_mode: tiered ? (spec.tiersMode ?? 'graduated') : null,
      transform_quantity: spec.transform ?? null,
      type: spec.interval === null ? 'one_time' : 'recurring',
      unit_amount: unitAmount,
      unit_amount_decimal: tiered ? null : (spec.unitAmountDecimal ?? (unitAmount === null ? null : String(unitAmount))),
    });
  };

  const priceSpecs: Record<PriceKey, PriceSpec> = {
    starterMonthly: { product: 'starter', daysAgo: MILESTONES.starter20, nickname: 'Starter monthly', interval: 'month', unitAmount: 2000, lookupKey: 'starter_monthly' },
    starterLegacy: { product: 'starter', daysAgo: MILESTONES.starterLaunch, nickname: 'Starter monthly (legacy $15)', interval: 'month', unitAmount: 1500, active: false },
    starterYearly: { product: 'starter', daysAgo: MILESTONES.starter20, nickname: 'Starter yearly', interval: 'year', unitAmount: 22000, lookupKey: 'starter_yearly' },
    starterEur: { product: 'starter', daysAgo: MILESTONES.eurPrices, nickname: 'Starter monthly EUR', currency: 'eur', interval: 'month', unitAmount: 1900, lookupKey: 'starter_monthly_eur' },
    starterSmall: { product: 'starterSmall', daysAgo: MILESTONES.starterLaunch, nickname: 'Starter small instance monthly', interval: 'month', unitAmount: 1500 },
    starterRemote: { product: 'starterRemote', daysAgo: MILESTONES.starterLaunch, nickname: 'Starter remote instance monthly', interval: 'month', unitAmount: 500 },
    proMonthly: { product: 'pro', daysAgo: MILESTONES.teamLaunch, nickname: 'Pro platform monthly', interval: 'month', unitAmount: 42500, lookupKey: 'pro_monthly' },
    proYearly: { product: 'pro', daysAgo: MILESTONES.teamLaunch, nickname: 'Pro platform yearly', interval: 'year', unitAmount: 467500, lookupKey: 'pro_yearly' },
    proEur: { product: 'pro', daysAgo: MILESTONES.eurPrices, nickname: 'Pro platform monthly EUR', currency: 'eur', interval: 'month', unitAmount: 39900, lookupKey: 'pro_monthly_eur' },
    proSmall: { product: 'proSmall', daysAgo: MILESTONES.teamSmallReplaced, nickname: 'Pro small instance monthly', interval: 'month', unitAmount: 3500 },
    proSmallYearly: { product: 'proSmall', daysAgo: MILESTONES.teamSmallReplaced, nickname: 'Pro small instance yearly', interval: 'year', unitAmount: 38500 },
    proMedium: { product: 'proMedium', daysAgo: MILESTONES.teamLaunch, nickname: 'Pro medium instance monthly', interval: 'month', unitAmount: 7000 },
    proLarge: { product: 'proLarge', daysAgo: MILESTONES.teamLaunch, nickname: 'Pro large instance monthly', interval: 'month', unitAmount: 14000 },
    proRemote: {
      product: 'proRemote',
      daysAgo: MILESTONES.teamLaunch,
      nickname: 'Pro remote instances monthly (graduated)',
      interval: 'month',
      tiersMode: 'graduated',
      tiers: [
        { flat_amount: 0, flat_amount_decimal: '0', unit_amount: 1000, unit_amount_decimal: '1000', up_to: 5 },
        { flat_amount: null, flat_amount_decimal: null, unit_amount: 800, unit_amount_decimal: '800', up_to: null },
      ],
    },
    teamSmall: { product: 'teamSmall', daysAgo: MILESTONES.teamLaunch, nickname: 'Team small instance monthly', interval: 'month', unitAmount: 3000, active: false },
    enterpriseYearly: { product: 'enterprise', daysAgo: MILESTONES.enterpriseLaunch, nickname: 'Enterprise self-hosted yearly', interval: 'year', unitAmount: 2_000_000 },
    dataTransfer: { product: 'dataTransfer', daysAgo: 400, nickname: 'Data transfer per GB (metered)', interval: 'month', unitAmount: 2, usageType: 'metered' },
    mqtt: { product: 'mqtt', daysAgo: 300, nickname: 'MQTT message pack (12.5 cents)', interval: 'month', unitAmount: null, unitAmountDecimal: '12.5' },
    deviceAgent: {
      product: 'deviceAgent',
      daysAgo: 250,
      nickname: 'Device agents, per pack of 10',
      interval: 'month',
      unitAmount: 2500,
      transform: { divide_by: 10, round: 'up' },
    },
    onboarding: { product: 'onboarding', daysAgo: 1000, nickname: 'Onboarding workshop (one-time)', interval: null, unitAmount: 150_000 },
  };

  const price = {} as Record<PriceKey, WirePrice>;
  for (const key of Object.keys(priceSpecs) as PriceKey[]) price[key] = makePrice(priceSpecs[key]);

  const batch: WirePrice[] = [];
  for (let n = 1; n <= BATCH_PRICE_COUNT; n++) {
    batch.push(
      makePrice({
        product: 'proSmall',
        daysAgo: 900,
        nickname: `Pro - Instance Add-On (legacy batch ${n})`,
        interval: 'month',
        unitAmount: 3000 + 100 * (n % 6),
        active: false,
      }),
    );
  }

  // Default prices: the current monthly (or only) price of each product.
  const defaults: Partial<Record<ProductKey, PriceKey>> = {
    starter: 'starterMonthly',
    starterSmall: 'starterSmall',
    starterRemote: 'starterRemote',
    pro: 'proMonthly',
    proSmall: 'proSmall',
    proMedium: 'proMedium',
    proLarge: 'proLarge',
    proRemote: 'proRemote',
    enterprise: 'enterpriseYearly',
    dataTransfer: 'dataTransfer',
    mqtt: 'mqtt',
    deviceAgent: 'deviceAgent',
    onboarding: 'onboarding',
  };
  for (const [productKey, priceKey] of Object.entries(defaults) as Array<[ProductKey, PriceKey]>) {
    product[productKey].default_price = price[priceKey].id;
  }

  // ---- coupons ---------------------------------------------------------------------------
  interface CouponSpec {
    daysAgo: number;
    name: string;
    duration: 'forever' | 'once' | 'repeating';
    months?: number;
    percentOff?: number;
    amountOff?: number;
    appliesTo?: ProductKey[];
    deleted?: boolean;
  }
  const couponSpecs: Record<CouponKey, CouponSpec> = {
    NONPROFIT20: { daysAgo: 1200, name: 'Nonprofit 20% off', duration: 'forever', percentOff: 20 },
    PARTNER50: { daysAgo: 1100, name: 'Partner $50 off the Pro platform', duration: 'forever', amountOff: 5000, appliesTo: ['pro'] },
    LAUNCH50: { daysAgo: 400, name: 'Launch offer: 50% off for 3 months', duration: 'repeating', months: 3, percentOff: 50 },
    FIRSTMONTH: { daysAgo: 600, name: 'First month free', duration: 'once', percentOff: 100 },
    EDU125: { daysAgo: 1000, name: 'Education 12.5% off', duration: 'forever', percentOff: 12.5 },
    SPRING10: { daysAgo: MILESTONES.spring10Created, name: 'Spring promo 10% off (deleted)', duration: 'forever', percentOff: 10, deleted: true },
    SMALLADDON10: { daysAgo: 900, name: '$10 off each small add-on', duration: 'forever', amountOff: 1000, appliesTo: ['proSmall'] },
  };
  const coupon = {} as Record<CouponKey, WireCoupon>;
  for (const key of Object.keys(couponSpecs) as CouponKey[]) {
    const spec = couponSpecs[key];
    coupon[key] = {
      id: ids.reserve(key),
      object: 'coupon',
      amount_off: spec.amountOff ?? null,
      ...(spec.appliesTo ? { applies_to: { products: spec.appliesTo.map((p) => product[p].id) } } : {}),
      created: ago(spec.daysAgo),
      currency: spec.amountOff !== undefined ? 'usd' : null,
      ...(spec.deleted ? { deleted: true } : {}),
      duration: spec.duration,
      duration_in_months: spec.months ?? null,
      livemode: false,
      max_redemptions: null,
      metadata: {},
      name: spec.name,
      percent_off: spec.percentOff ?? null,
      redeem_by: null,
      times_redeemed: 0,
      valid: !spec.deleted,
    };
  }

  return {
    products: Object.values(product),
    prices: [...Object.values(price), ...batch],
    coupons: Object.values(coupon),
    product,
    price,
    batch,
    coupon,
  };
}
