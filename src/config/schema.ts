/**
 * The configuration file's shape (JSON or YAML), validated with zod. Keys are snake_case
 * like Stripe's. `KpiConfig` is the resolved form the rest of the program reads.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../billing/model.js';
import { reportSchema, type ReportConfig } from '../scoreboard/kpi-config.js';
import { HANDBOOK_ARR, HANDBOOK_TIERS } from './handbook-tiers.js';

export const MRR_RULES = ['list-price', 'billed'] as const;
export type MrrRule = (typeof MRR_RULES)[number];

/** When Stripe's Billing Overview stops counting a cancelled subscription's MRR. */
export const CHURN_TIMINGS = ['at_cancellation', 'at_period_end'] as const;
export type ChurnTiming = (typeof CHURN_TIMINGS)[number];

/**
 * Stripe's defaults, as its support articles "Impact of discounts and coupons on Monthly
 * Recurring Revenue (MRR) in Billing" (once and repeating coupons leave MRR unaffected) and
 * "Impact of Subscription Cancellations on Monthly Recurring Revenue (MRR) in Billing"
 * (a `cancel_at_period_end` subscription stops counting at the time of the request) describe
 * them. The "metric configurations" article lists the settings but names no default.
 */
export const STRIPE_DEFAULT_SETTINGS = { subtract_repeating: false, subtract_once: false, churn: 'at_cancellation' } as const;

const nonEmptyText = z.string().trim().min(1, 'must not be empty');
const productId = z.string().regex(/^prod_[A-Za-z0-9]+$/, 'must be a Stripe product id such as "prod_Nabc123"');
const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code such as "usd"')
  .transform((code) => code.toLowerCase());
const positiveDecimal = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal such as "1.0825"')])
  .transform(String)
  .refine((text) => Number(text) > 0, 'must be greater than zero');

const productEntry = z.union([
  nonEmptyText,
  z
    .strictObject({
      name: nonEmptyText.optional(),
      names: z.array(nonEmptyText).min(1).optional(),
      id: productId.optional(),
      ids: z.array(productId).min(1).optional(),
      label: nonEmptyText.optional(),
      optional: z.boolean().default(false),
    })
    .refine(
      (entry) => [entry.name, entry.names, entry.id, entry.ids].filter((field) => field !== undefined).length === 1,
      'give exactly one of "name", "names", "id" or "ids"',
    ),
]);

const tierEntry = z
  .strictObject({
    name: nonEmptyText.optional(),
    names: z.array(nonEmptyText).min(1).optional(),
    rule: z.enum(MRR_RULES),
    products: z.array(productEntry).min(1, 'a tier needs at least one product'),
  })
  .refine((tier) => (tier.name === undefined) !== (tier.names === undefined), 'give exactly one of "name" or "names"')
  .superRefine((tier, context) => {
    // A renamed tier's products list their names in the same order as the tier's names,
    // so the output can tell which era of naming the account is in.
    const eras = tier.names?.length ?? 1;
    tier.products.forEach((product, index) => {
      if (typeof product === 'string' || !product.names || product.names.length === 1) return;
      if (product.names.length !== eras) {
        context.addIssue({
          code: 'custom',
          path: ['products', index, 'names'],
          message: `lists ${product.names.length} names but the tier has ${eras}: give one name, or one per tier name in the same order`,
        });
      }
    });
  });

export const configFileSchema = z.strictObject({
  version: z.literal(1).default(1),
  counted_statuses: z
    .array(z.enum(SUBSCRIPTION_STATUSES))
    .min(1)
    .default(['active', 'past_due']),
  discounts: z
    .strictObject({
      count_repeating: z.boolean().default(false),
      count_once: z.boolean().default(false),
    })
    .default({ count_repeating: false, count_once: false }),
  /** Stripe's Billing Overview settings ("Configure"), which kpi's Stripe-definition column follows. */
  stripe_settings: z
    .strictObject({
      subtract_repeating: z.boolean().default(STRIPE_DEFAULT_SETTINGS.subtract_repeating),
      subtract_once: z.boolean().default(STRIPE_DEFAULT_SETTINGS.subtract_once),
      churn: z.enum(CHURN_TIMINGS).default(STRIPE_DEFAULT_SETTINGS.churn),
    })
    .default({ ...STRIPE_DEFAULT_SETTINGS }),
  reporting: z
    .strictObject({
      currency: currencyCode,
      /** Fixed rates (units of `currency` per unit of the key), or `ecb`: the ECB's reference rates of each date. */
      rates: z.union([z.literal('ecb'), z.record(currencyCode, positiveDecimal)]).default({}),
    })
    .optional(),
  /** Default: the handbook's Starter and Team/Pro tiers. */
  tiers: z.array(tierEntry).min(1, 'configure at least one tier').default(() => structuredClone(HANDBOOK_TIERS) as never),
  arr: z
    .strictObject({
      /** Week-over-week ARR growth the strategy aims for, in percent. */
      weekly_growth_target: z.number().min(0).max(1000).default(10),
      /** Recurring revenue outside self-service (a yearly enterprise plan): in ARR, not in MRR. */
      other_recurring: z.array(tierEntry).default([]),
    })
    .default(() => structuredClone(HANDBOOK_ARR) as never),
  /** Where snapshots are kept (see README: data directory). */
  data_dir: z.string().trim().min(1).optional(),
  /** The weekly KPI scoreboard (`kpi report`); default: the handbook's KPIs. */
  report: reportSchema.optional(),
});
export type ConfigFile = z.input<typeof configFileSchema>;

/** A configured product: matched by any of its names, or pinned to product ids. */
export interface ProductSelector {
  /** Names the product has carried, oldest first, aligned with its tier's names when it has several. */
  names: string[];
  ids: string[];
  label: string | null;
  optional: boolean;
}

export type TierGroup = 'self-service' | 'other-recurring';

export interface TierConfig {
  group: TierGroup;
  /** The tier's names, oldest first (Team, then Pro). The output uses the newest one the account shows. */
  names: string[];
  rule: MrrRule;
  products: ProductSelector[];
}

export interface StripeSettings {
  countRepeating: boolean;
  countOnce: boolean;
  churn: ChurnTiming;
}

export interface KpiConfig {
  /** Where the configuration came from, for messages: a file path or "built-in default". */
  origin: string;
  countedStatuses: SubscriptionStatus[];
  /** The handbook rules' discount policy (rule `billed`). */
  discounts: { countRepeating: boolean; countOnce: boolean };
  /** Stripe's Billing Overview settings, for the Stripe-definition column. */
  stripeSettings: StripeSettings;
  /** Converting every currency into one happens only with rates given here: fixed ones, or the ECB's of each date. */
  reporting: { currency: string; rates: Record<string, string> | 'ecb' } | null;
  /** Self-service tiers: MRR. */
  tiers: TierConfig[];
  arr: { weeklyGrowthTargetPercent: number; otherRecurring: TierConfig[] };
  /** The config file's folder, absolute: every relative path in the file resolves from here. Null for the built-in default. */
  directory: string | null;
  /** Absolute once the file's folder is known. */
  dataDir: string | null;
  /** Null means the handbook's default scoreboard. */
  report: ReportConfig | null;
}

export function toKpiConfig(file: z.output<typeof configFileSchema>, origin: string, directory: string | null = null): KpiConfig {
  // Paths in a file mean the same wherever kpi runs from: relative to the file, like its csv and json sources.
  const inConfigFolder = (path: string) => (directory ? resolve(directory, path) : path);
  return {
    origin,
    directory,
    countedStatuses: [...new Set(file.counted_statuses)],
    discounts: { countRepeating: file.discounts.count_repeating, countOnce: file.discounts.count_once },
    stripeSettings: {
      countRepeating: file.stripe_settings.subtract_repeating,
      countOnce: file.stripe_settings.subtract_once,
      churn: file.stripe_settings.churn,
    },
    reporting: file.reporting ? { currency: file.reporting.currency, rates: file.reporting.rates } : null,
    tiers: file.tiers.map((tier) => toTierConfig(tier, 'self-service')),
    arr: {
      weeklyGrowthTargetPercent: file.arr.weekly_growth_target,
      otherRecurring: file.arr.other_recurring.map((tier) => toTierConfig(tier, 'other-recurring')),
    },
    dataDir: file.data_dir ? inConfigFolder(file.data_dir) : null,
    report: file.report ? { ...file.report, history_file: file.report.history_file && inConfigFolder(file.report.history_file) } : null,
  };
}

function toTierConfig(tier: z.output<typeof tierEntry>, group: TierGroup): TierConfig {
  return { group, names: tier.names ?? [tier.name as string], rule: tier.rule, products: tier.products.map(toProductSelector) };
}

function toProductSelector(entry: z.output<typeof productEntry>): ProductSelector {
  if (typeof entry === 'string') return { names: [entry], ids: [], label: null, optional: false };
  return {
    names: entry.names ?? (entry.name ? [entry.name] : []),
    ids: entry.ids ?? (entry.id ? [entry.id] : []),
    label: entry.label ?? null,
    optional: entry.optional,
  };
}
