/**
 * The values kpi accepts in the Stripe fields it reads, as Stripe defines them. One set of
 * rules for every path: the snapshot schema checks files with them, and the mapper checks
 * objects from the API and account files with them, so an impossible value (a negative
 * price, 250 % off, "12.3.4") is a data error naming where it sits, never a figure or a crash.
 */
import { z } from 'zod';
import { DataSourceError } from '../../errors.js';
import { formatPath } from '../../config/load.js';

/**
 * Stripe caps a charge at 8 digits in most currencies and at 12 in a few (IDR, ...): no
 * price, tier or amount off can be larger, whatever the currency.
 */
export const MAX_MINOR_AMOUNT = 999_999_999_999;

/**
 * Stripe documents no cap on quantities; a trillion units is far beyond any real seat
 * count, and keeps a quantity times the largest amount well within exact bigint figures.
 */
export const MAX_QUANTITY = 1_000_000_000_000;

/** Stripe: "interval_count ... maximum of three years interval allowed". */
const MAX_INTERVALS_IN_THREE_YEARS = { day: 3 * 365, week: 3 * 52, month: 36, year: 3 } as const;

const currencyCode = z.string().regex(/^[a-zA-Z]{3}$/, 'must be a three-letter currency code');

const minorAmount = z
  .number({ error: 'must be a number' })
  .int('must be a whole number of minor units')
  .min(0, 'must not be negative')
  .max(MAX_MINOR_AMOUNT, `must be at most ${MAX_MINOR_AMOUNT} minor units`);

/** Stripe: "a decimal value in cents ... with at most 12 decimal places", never negative. */
const DECIMAL_TEXT = /^\d{1,12}(\.\d{1,12})?$/;

/** A string on the wire and in files, a `Stripe.Decimal` through the SDK: judged by its text. */
const decimalAmount = z.custom<unknown>(
  (value) =>
    value === null ||
    value === undefined ||
    ((typeof value === 'string' || typeof value === 'number' || (typeof value === 'object' && !Array.isArray(value))) && DECIMAL_TEXT.test(String(value))),
  { error: (issue) => `must be a non-negative decimal string with at most 12 decimal places, got ${JSON.stringify(typeof issue.input === 'object' ? String(issue.input) : issue.input)}` },
);

const quantity = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

const tier = z.looseObject({
  up_to: z.number().int('must be a whole number').positive('must be positive').nullable(),
  unit_amount: minorAmount.nullable().optional(),
  unit_amount_decimal: decimalAmount,
  flat_amount: minorAmount.nullable().optional(),
  flat_amount_decimal: decimalAmount,
});

/** Stripe: each tier's `up_to` above the last, and only the last one open-ended (`inf`). */
const tiers = z.array(tier).superRefine((list, context) => {
  list.forEach((entry, index) => {
    const last = index === list.length - 1;
    const previous = index > 0 ? list[index - 1]!.up_to : 0;
    if (last && entry.up_to !== null) context.addIssue({ code: 'custom', path: [index, 'up_to'], message: 'the last tier must be open-ended (null)' });
    if (!last && entry.up_to === null) context.addIssue({ code: 'custom', path: [index, 'up_to'], message: 'only the last tier may be open-ended (null)' });
    if (entry.up_to !== null && previous !== null && entry.up_to <= previous) {
      context.addIssue({ code: 'custom', path: [index, 'up_to'], message: `must be greater than the tier before (${previous})` });
    }
  });
});

const wireRecurringSchema = z
  .looseObject({
    interval: z.enum(['day', 'week', 'month', 'year']),
    interval_count: z.number().int('must be a whole number').positive('must be positive'),
    usage_type: z.enum(['licensed', 'metered']),
  })
  .refine((recurring) => recurring.interval_count <= MAX_INTERVALS_IN_THREE_YEARS[recurring.interval], {
    message: 'must not make a billing period longer than three years',
    path: ['interval_count'],
  });

export const wirePriceSchema = z
  .looseObject({
    id: z.string().min(1),
    currency: currencyCode,
    product: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]),
    type: z.enum(['recurring', 'one_time']),
    recurring: wireRecurringSchema.nullable(),
    billing_scheme: z.enum(['per_unit', 'tiered']),
    tiers_mode: z.enum(['graduated', 'volume']).nullable().optional(),
    tiers: tiers.optional(),
    unit_amount: minorAmount.nullable().optional(),
    unit_amount_decimal: decimalAmount,
    transform_quantity: z
      .looseObject({ divide_by: z.number().int('must be a whole number').positive('must be positive'), round: z.enum(['up', 'down']) })
      .nullable()
      .optional(),
    currency_options: z
      .record(currencyCode, z.looseObject({ unit_amount: minorAmount.nullable().optional(), unit_amount_decimal: decimalAmount, tiers: tiers.optional() }))
      .optional(),
  })
  .refine((price) => (price.type === 'recurring') === (price.recurring !== null), {
    message: 'a recurring price needs "recurring", a one-time price must not have it',
    path: ['recurring'],
  });

export const wireCouponSchema = z
  .looseObject({
    id: z.string().min(1),
    percent_off: z.number({ error: 'must be a number' }).gt(0, 'must be above 0').max(100, 'must be at most 100').nullable().optional(),
    amount_off: minorAmount.nullable().optional(),
    currency: currencyCode.nullable().optional(),
    currency_options: z.record(currencyCode, z.looseObject({ amount_off: minorAmount })).optional(),
    duration: z.enum(['forever', 'once', 'repeating']),
    duration_in_months: z.number().int('must be a whole number').positive('must be positive').nullable().optional(),
    applies_to: z.looseObject({ products: z.array(z.string()) }).optional(),
  })
  .refine((coupon) => coupon.duration !== 'repeating' || typeof coupon.duration_in_months === 'number', {
    message: 'a repeating coupon needs its number of months',
    path: ['duration_in_months'],
  })
  .refine((coupon) => coupon.amount_off === null || coupon.amount_off === undefined || typeof coupon.currency === 'string', {
    message: 'an amount-off coupon needs its currency',
    path: ['currency'],
  });

// The mapper checks every subscription and item with these and keeps only the verdict: a
// plain (stripping) object gives the same verdict as a loose one without copying every
// other field of the object, which is most of the cost on a large account.
export const wireSubscriptionSchema = z.object({
  id: z.string().min(1),
  currency: currencyCode,
  cancel_at: z.number().int().nullable().optional(),
  cancel_at_period_end: z.boolean().optional(),
});
// Metered items have no quantity: left out, or null.
export const wireItemSchema = z.object({ id: z.string().min(1), quantity: quantity.nullable().optional() });

/** Single field rules, for schemas that hold these fields in another shape (snapshots). */
export const wireFields = { currencyCode, quantity } as const;

/** The object named as a user reads it ("price price_123"), then the field and the rule. */
export function checkWire<T>(schema: z.ZodType<T>, value: unknown, what: string): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  throw new DataSourceError(
    `${what} has an impossible value: ${formatPath(issue.path)}: ${issue.message}`,
    'Stripe never sends such a value; if it came from a file, the file is damaged or was edited by hand.',
  );
}
