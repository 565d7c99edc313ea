import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../billing/model.js';
import { isIsoDate, isPositiveDecimal } from '../rates/ecb-day.js';
import { SNAPSHOT_OBJECT, SNAPSHOT_VERSION } from './snapshot-format.js';
import { wireCouponSchema, wireFields, wirePriceSchema } from '../sources/stripe/wire-schema.js';

/**
 * What a snapshot file must hold to be trusted: the fields the mapping and rules read,
 * with their types and Stripe's ranges (the same rules the mapper applies to live data).
 * A damaged or hand-edited file fails here with the field named.
 */
const discount = z.union([
  z.string(),
  z.looseObject({
    id: z.string(),
    source: z.looseObject({ coupon: z.union([z.string(), wireCouponSchema, z.null()]) }),
    start: z.number(),
    end: z.number().nullable(),
  }),
]);
/**
 * Pinned ECB rates: a real calendar date and, per lower-case currency code, a positive
 * decimal (units per euro), by the same rules as the feed they were read from.
 */
const pinnedRates = z.strictObject({
  source: z.literal('ecb'),
  date: z.string().refine(isIsoDate, 'must be a real calendar date written YYYY-MM-DD'),
  per_eur: z.record(
    z.string().regex(/^[a-z]{3}$/, 'must be a lower-case 3-letter currency code').refine((code) => code !== 'eur', 'the euro is the base of ECB rates, not one of them'),
    z.string().refine(isPositiveDecimal, 'must be a positive decimal number such as "1.0823"'),
  ),
});

export const snapshotSchema = z.looseObject({
  object: z.literal(SNAPSHOT_OBJECT),
  version: z.literal(SNAPSHOT_VERSION),
  taken_at: z.number().int().positive(),
  source: z.string(),
  livemode: z.boolean(),
  account: z.string().regex(/^(acct|fp)_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_...) or a kpi fingerprint (fp_...)').optional(),
  account_fingerprint: z.string().regex(/^fp_[0-9a-f]+$/, 'must be a kpi fingerprint (fp_...)').nullable().optional(),
  exchange_rates: pinnedRates.optional(),
  products: z.array(z.looseObject({ id: z.string(), name: z.string(), active: z.boolean() })),
  prices: z.array(
    wirePriceSchema
      .and(z.looseObject({ product: z.string() }))
      .refine((price) => price.billing_scheme !== 'tiered' || (price.tiers?.length ?? 0) > 0, { message: 'a tiered price needs its tiers', path: ['tiers'] }),
  ),
  coupons: z.array(wireCouponSchema),
  subscriptions: z.array(
    z.looseObject({
      id: z.string(),
      customer: z.string(),
      status: z.enum(SUBSCRIPTION_STATUSES),
      currency: wireFields.currencyCode,
      created: z.number().int(),
      // Snapshots written before kpi read these fields lack them: the subscription then counts as not set to end.
      cancel_at: z.number().int().nullable().optional(),
      cancel_at_period_end: z.boolean().optional(),
      items: z.looseObject({
        data: z.array(z.looseObject({ id: z.string(), price: z.looseObject({ id: z.string() }), quantity: wireFields.quantity.nullable().optional(), discounts: z.array(discount), created: z.number() })),
      }),
      discounts: z.array(discount),
    }),
  ),
}).superRefine((snapshot, context) => {
  // A repeated object would be counted twice: a sign of a damaged or hand-edited file.
  for (const [collection, objects] of [['products', snapshot.products], ['prices', snapshot.prices], ['coupons', snapshot.coupons], ['subscriptions', snapshot.subscriptions]] as const) {
    const seen = new Set<string>();
    objects.forEach((object, index) => {
      if (seen.has(object.id)) context.addIssue({ code: 'custom', path: [collection, index, 'id'], message: `${object.id} appears twice` });
      seen.add(object.id);
    });
  }
});
