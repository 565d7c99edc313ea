import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../billing/model.js';
import { SNAPSHOT_OBJECT, SNAPSHOT_VERSION } from './snapshot-format.js';

/**
 * What a snapshot file must hold to be trusted: the fields the mapping and rules read,
 * with their types. A damaged or hand-edited file fails here with the field named.
 */
const decimal = z.union([z.string(), z.null()]).optional();
const discount = z.union([
  z.string(),
  z.looseObject({
    id: z.string(),
    source: z.looseObject({ coupon: z.union([z.string(), z.looseObject({ id: z.string(), duration: z.enum(['forever', 'once', 'repeating']) }), z.null()]) }),
    start: z.number(),
    end: z.number().nullable(),
  }),
]);
const recurring = z.looseObject({
  interval: z.enum(['day', 'week', 'month', 'year']),
  interval_count: z.number().int().positive(),
  usage_type: z.enum(['licensed', 'metered']),
});
export const snapshotSchema = z.looseObject({
  object: z.literal(SNAPSHOT_OBJECT),
  version: z.literal(SNAPSHOT_VERSION),
  taken_at: z.number().int().positive(),
  source: z.string(),
  livemode: z.boolean(),
  account: z.string().regex(/^(acct|fp)_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_...) or a kpi fingerprint (fp_...)').optional(),
  account_fingerprint: z.string().regex(/^fp_[0-9a-f]+$/, 'must be a kpi fingerprint (fp_...)').nullable().optional(),
  products: z.array(z.looseObject({ id: z.string(), name: z.string(), active: z.boolean() })),
  prices: z.array(
    z.looseObject({
      id: z.string(),
      currency: z.string(),
      product: z.string(),
      type: z.enum(['recurring', 'one_time']),
      recurring: recurring.nullable(),
      billing_scheme: z.enum(['per_unit', 'tiered']),
      unit_amount: z.number().nullable(),
      unit_amount_decimal: decimal,
      tiers: z.array(z.looseObject({ up_to: z.number().nullable() })).optional(),
    }).refine((price) => (price.type === 'recurring') === (price.recurring !== null), { message: 'a recurring price needs "recurring", a one-time price must not have it', path: ['recurring'] })
      .refine((price) => price.billing_scheme !== 'tiered' || (price.tiers?.length ?? 0) > 0, { message: 'a tiered price needs its tiers', path: ['tiers'] }),
  ),
  coupons: z.array(z.looseObject({ id: z.string(), duration: z.enum(['forever', 'once', 'repeating']) })),
  subscriptions: z.array(
    z.looseObject({
      id: z.string(),
      customer: z.string(),
      status: z.enum(SUBSCRIPTION_STATUSES),
      currency: z.string(),
      created: z.number().int(),
      items: z.looseObject({
        data: z.array(z.looseObject({ id: z.string(), price: z.looseObject({ id: z.string() }), quantity: z.number().int().min(0).optional(), discounts: z.array(discount), created: z.number() })),
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
