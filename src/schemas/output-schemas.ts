/**
 * The JSON outputs' shapes, one zod schema per kind. `npm run schemas` turns them into
 * JSON Schema files in schemas/ (shipped with the package), and tests check real outputs
 * against those files.
 */
import { z } from 'zod';
import { CHURN_TIMINGS } from '../config/schema.js';
import { CAUSE_KINDS } from '../rules/difference-causes.js';
import { RECONCILE_CAUSE_KINDS } from '../reconcile/compare.js';

const isoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const currency = z.string().regex(/^[a-z]{3}$/);
/** Integer minor units (cents for USD), Stripe's convention. */
const minorUnits = z.number().int();
const byCurrency = z.record(currency, minorUnits);
const count = z.number().int().min(0);
/** Stripe's Billing Overview settings as kpi.config mirrors them (`stripe_settings:`). */
const stripeSettingsSchema = z.strictObject({ subtract_repeating: z.boolean(), subtract_once: z.boolean(), churn: z.enum(CHURN_TIMINGS) });
const envelope = { schema_version: z.literal(1), generated_at: isoTimestamp };
/** History outputs say whose snapshots they compared and which they left out. */
const historyFields = {
  account: z.strictObject({ id: z.string().nullable(), livemode: z.boolean() }).nullable(),
  ignored_snapshots: z.array(
    z.strictObject({ path: z.string(), taken_at: isoTimestamp, account: z.string().nullable(), livemode: z.boolean(), reason: z.enum(['other_account', 'other_mode']) }),
  ),
  misnamed_snapshots: z.array(z.strictObject({ path: z.string(), named_at: isoTimestamp, taken_at: isoTimestamp })),
};

/** `kpi mrr --at-risk`: amounts are monthly, in minor units, like `mrr`. */
const atRiskSchema = (() => {
  const amount = { mrr: minorUnits.nullable(), mrr_by_currency: byCurrency };
  const line = z.strictObject({
    subscription: z.string(),
    customer: z.string(),
    tier: z.string(),
    currency,
    mrr: minorUnits,
    date: isoTimestamp.nullable().describe('when the subscription, discount or trial ends; null for past due, or when the source does not say'),
    coupon: z.string().optional(),
  });
  const section = {
    ...amount,
    subscriptions: count,
    tiers: z.array(z.strictObject({ name: z.string(), ...amount, subscriptions: count })),
    explain: z.array(line).optional().describe('with --explain: one line per subscription and tier (and coupon), soonest first'),
  };
  const share = z
    .string()
    .regex(/^\d+\.\d{4}$/)
    .nullable()
    .describe('past-due MRR / MRR as a fraction, a decimal string rounded half-up to 4 places ("0.1250" is 12.5 %); null when MRR is 0 or the currencies are not converted');
  return z.strictObject({
    horizon_days: z.number().int().min(1),
    horizon_end: isoTimestamp,
    past_due: z.strictObject({ ...section, share_of_mrr: share, share_of_mrr_by_currency: z.record(currency, share) }),
    scheduled_to_end: z.strictObject(section),
    discounts_ending: z.strictObject({
      ...section,
      coupons: z.array(z.strictObject({ coupon: z.string(), description: z.string(), ...amount, subscriptions: count })),
    }).describe('the MRR change (an increase) when discounts counted by rule billed end within the horizon'),
    trials_ending: z.strictObject(section).describe('MRR trialing subscriptions would add if they convert; not part of mrr'),
  });
})();

function revenueSchema(measure: 'mrr' | 'arr') {
  const amount = (prefix: string) => ({ [prefix]: minorUnits.nullable(), [`${prefix}_by_currency`]: byCurrency });
  const product = z.strictObject({
    name: z.string(),
    product_ids: z.array(z.string()),
    ...amount(measure),
    subscriptions: count,
    quantity: count,
  });
  const tier = z.strictObject({
    name: z.string(),
    group: z.enum(['self-service', 'other-recurring']),
    rule: z.enum(['list-price', 'billed']),
    ...amount(measure),
    subscriptions: count,
    products: z.array(product),
  });
  const explainLine = z.strictObject({
    subscription: z.string(),
    customer: z.string(),
    status: z.string(),
    tier: z.string(),
    product: z.string(),
    currency,
    quantity: z.number().int(),
    [measure]: minorUnits,
    [`stripe_${measure}`]: minorUnits,
    /** Add up to the line's measure minus its stripe_ figure. */
    causes: z.array(z.strictObject({ cause: z.enum(CAUSE_KINDS), coupon: z.string().nullable(), [measure]: minorUnits })),
  });
  /** Per currency, a tier's causes add up to its difference in that currency. */
  const cause = z.strictObject({
    cause: z.enum(CAUSE_KINDS),
    coupon: z.string().nullable(),
    description: z.string(),
    currency,
    [measure]: minorUnits,
    subscriptions: count,
  });
  return z.strictObject({
    ...envelope,
    kind: z.literal(measure),
    as_of: isoTimestamp,
    source: z.string(),
    counted_statuses: z.array(z.string()),
    currency: currency.nullable(),
    ...amount(measure),
    subscriptions: count,
    currencies: z.array(currency),
    conversion: z
      .strictObject({
        currency: currency.nullable(),
        source: z.enum(['ecb', 'config']).describe('ecb: the European Central Bank reference rates; config: fixed rates in the config'),
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().describe('the business day of the ECB rates; null for fixed rates'),
        quoted: z.record(currency, z.string()).describe('the rates as their source quoted them: ECB per euro, fixed per unit of the key'),
        rates: z.record(currency, z.string()).describe('units of the reporting currency one unit of each converted currency is worth'),
      })
      .nullable(),
    tiers: z.array(tier),
    reconciliation: z.strictObject({
      definition: z.literal('stripe-billing-analytics'),
      description: z.string(),
      stripe_settings: stripeSettingsSchema,
      ...amount(`stripe_${measure}`),
      ...amount('difference'),
      tiers: z.array(
        z.strictObject({ name: z.string(), ...amount(`handbook_${measure}`), ...amount(`stripe_${measure}`), ...amount('difference'), causes: z.array(cause) }),
      ),
    }),
    excluded: z.strictObject({ metered_items: count }),
    warnings: z.array(z.string()),
    explain: z.array(explainLine).optional(),
    ...(measure === 'mrr' ? { at_risk: atRiskSchema.optional() } : {}),
  });
}

export const mrrOutputSchema = revenueSchema('mrr');
export const arrOutputSchema = revenueSchema('arr');

const ratesOfDay = z.strictObject({ source: z.enum(['config', 'ecb']), date: isoDate.nullable() });
/** Rates as an output names them: config quotes are reporting-currency units per unit of the key; ECB quotes are units of the key per euro. */
const ratesUsed = ratesOfDay.extend({ quotes: z.record(currency, z.string()) });

export const weeklyArrOutputSchema = z.strictObject({
  ...envelope,
  kind: z.literal('arr_weekly'),
  ...historyFields,
  target_growth_percent: z.number(),
  reconstructed_from: z.string().nullable(),
  constant_currency: ratesUsed.nullable().describe('with --constant-currency: the rates every week is converted with (the first shown week\'s)'),
  weeks: z.array(
    z.strictObject({
      week_start: isoDate,
      week_end: isoDate,
      basis: z.enum(['snapshot', 'reconstructed', 'missing']),
      snapshot: z.strictObject({ path: z.string(), taken_at: isoTimestamp }).nullable(),
      currency: currency.nullable(),
      arr: minorUnits.nullable(),
      arr_by_currency: byCurrency.nullable(),
      growth_percent: z.number().nullable(),
      growth_percent_by_currency: z.record(currency, z.number().nullable()),
      met_target: z.boolean().nullable(),
      met_target_by_currency: z.record(currency, z.boolean().nullable()),
      rates: ratesUsed.nullable().describe("the rates the week's arr is converted with; null without conversion"),
      fx: minorUnits.nullable().describe("the part of the growth from rates alone: this week's ARR at its rates minus at last week's; null without conversion or a last week"),
    }),
  ),
});

const movementLine = z.strictObject({
  tier: z.string(),
  group: z.enum(['self-service', 'other-recurring']),
  currency,
  start_mrr: minorUnits,
  end_mrr: minorUnits,
  change: minorUnits,
  movements: z.strictObject(
    Object.fromEntries(
      ['new', 'reactivation', 'expansion', 'contraction', 'churn'].map((kind) => [
        kind,
        z.strictObject({ mrr: minorUnits, customers: count, subscriptions: count }),
      ]),
    ),
  ),
});
const movementEnd = z.strictObject({ requested: isoTimestamp, snapshot: z.string(), taken_at: isoTimestamp });

export const movementsOutputSchema = z.strictObject({
  ...envelope,
  kind: z.literal('mrr_movements'),
  ...historyFields,
  from: movementEnd,
  to: movementEnd,
  tiers: z.array(movementLine),
  totals: z.array(movementLine),
  converted: z
    .strictObject({
      currency,
      rates: z.record(currency, z.string()).describe('units of the reporting currency one unit of each converted currency is worth at the start rates (the movements are converted at them), as conversion.rates in the mrr output; the quotes are in start_rates'),
      start_rates: ratesUsed,
      end_rates: ratesUsed,
      constant_currency: z.boolean().describe('both ends at the start rates: fx_adjustment is 0'),
      fx_adjustment: minorUnits.describe('the change from rates alone: the end amounts at the end rates minus at the start rates; movements + fx_adjustment = change'),
      total: movementLine,
    })
    .nullable(),
});

/**
 * A ratio as exact integers (minor units or counts) and its value rounded half-up to 4
 * decimals; value null (n/a) when the denominator is 0.
 */
const ratio = z
  .strictObject({ value: z.string().regex(/^-?\d+\.\d{4}$/).nullable(), numerator: z.number().int(), denominator: z.number().int() })
  .describe('value = numerator / denominator, rounded half-up to 4 decimals; null (n/a) when the denominator is 0');
const arpa = z
  .strictObject({ value: minorUnits.nullable(), numerator: minorUnits, denominator: count })
  .describe('ARPA in minor units: MRR (numerator) / paying customers (denominator), rounded half-up; null without customers');
const saasMetricsLine = z.strictObject({
  tier: z.string(),
  currency,
  customers: z.strictObject({ start: count, end: count, new: count, churned: count }),
  subscriptions: z.strictObject({ start: count, end: count }),
  arpa: z.strictObject({ start: arpa, end: arpa }),
  logo_churn: ratio.describe('churned customers / customers at the start'),
  gross_revenue_churn: ratio.describe('(churn + contraction) / start MRR'),
  net_revenue_churn: ratio.describe('(churn + contraction - expansion - reactivation) / start MRR'),
  grr: ratio.describe("end MRR of the customers paying at the start, each capped at its start MRR / start MRR"),
  nrr: ratio.describe('end MRR of the customers paying at the start / start MRR'),
  quick_ratio: ratio.describe('(new + expansion + reactivation) / (churn + contraction); null without losses'),
  mrr_growth: ratio.describe('(end MRR - start MRR) / start MRR'),
  weekly_mrr_growth: z
    .strictObject({ value: z.string().regex(/^-?\d+\.\d{4}$/).nullable(), start_mrr: minorUnits, end_mrr: minorUnits, weeks: z.string().regex(/^\d+\.\d{4}$/) })
    .describe('(end_mrr / start_mrr)^(1 / weeks) - 1, rounded to 4 decimals; null under two weeks or without start MRR'),
});

export const saasMetricsOutputSchema = z.strictObject({
  ...envelope,
  kind: z.literal('saas_metrics'),
  ...historyFields,
  from: movementEnd,
  to: movementEnd,
  tiers: z.array(saasMetricsLine),
  totals: z.array(saasMetricsLine),
});

export const kpiReportOutputSchema = z.strictObject({
  ...envelope,
  kind: z.literal('kpi_report'),
  time_zone: z.string(),
  only_off_track: z.boolean(),
  all_on_track: z.boolean(),
  kpis: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      /** Money in minor units of `currency`. */
      value: z.number().nullable(),
      unit: z.enum(['count', 'money', 'percent']),
      currency: currency.nullable(),
      period: z.strictObject({ name: z.string(), start: isoTimestamp, end: isoTimestamp }),
      target: z.number().nullable(),
      direction: z.enum(['higher', 'lower']),
      status: z.enum(['green', 'yellow', 'red', 'no_value', 'no_target', 'not_configured', 'error']),
      trend: z.strictObject({ direction: z.enum(['up', 'down', 'flat']), previous: z.number(), recorded_at: z.string() }).nullable(),
      history: z.array(z.strictObject({ recorded_at: z.string(), value: z.number() })).describe('Recorded values before this run, oldest first (at most 26), in the same unit and currency'),
      source: z.string(),
      error: z.string().nullable(),
      reason: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
});

/** n/a: the score is unknown (a linked KPI's source failed); score and band are then null. */
const okrStatusValue = z.enum(['Not Started', 'On-Track', 'Off-Track', 'Achieved', 'Achieved Poorly', 'n/a']);
const band = z.enum(['green', 'yellow', 'red']);
export const okrStatusOutputSchema = z.strictObject({
  schema_version: z.literal(1),
  kind: z.literal('okr_status'),
  period: z.string(),
  period_start: isoTimestamp,
  period_end: isoTimestamp,
  as_of: isoTimestamp,
  elapsed: z.number(),
  objectives: z.array(
    z.strictObject({
      title: z.string(),
      owner: z.string(),
      type: z.enum(['committed', 'aspirational']),
      score: z.number().min(0).max(1).nullable(),
      status: okrStatusValue,
      band: band.nullable(),
      /** The score leaves out key results whose score is unknown. */
      incomplete: z.boolean(),
      confidence: z.number().nullable(),
      key_results: z.array(
        z.strictObject({
          id: z.string().nullable(),
          title: z.string(),
          milestone: z.boolean(),
          start: z.number().nullable(),
          target: z.number().nullable(),
          current: z.number().nullable(),
          basis: z.enum(['kpi', 'current', 'check-in', 'children', 'milestone']).nullable(),
          score: z.number().min(0).max(1).nullable(),
          status: okrStatusValue,
          band: band.nullable(),
          confidence: z.number().int().min(1).max(10).nullable(),
          confidence_trend: z.enum(['up', 'down', 'flat']).nullable(),
          parent: z.string().nullable(),
          note: z.string().nullable(),
        }),
      ),
    }),
  ),
});

const reconciliationCause = z.enum(RECONCILE_CAUSE_KINDS);

/** `kpi reconcile`: differences are kpi minus the list, in integer minor units. */
export const reconciliationOutputSchema = z.strictObject({
  ...envelope,
  kind: z.literal('reconciliation'),
  as_of: isoTimestamp,
  source: z.string(),
  counted_statuses: z.array(z.string()),
  measure: z.enum(['stripe', 'handbook']),
  stripe_settings: stripeSettingsSchema,
  against: z.strictObject({
    file: z.string(),
    month: z.string().regex(/^\d{4}-\d{2}$/).nullable(),
    months: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
    columns: z.strictObject({ customer: z.string(), mrr: z.string(), currency: z.string().nullable(), month: z.string().nullable() }),
    rows: count,
  }),
  tolerance: minorUnits.min(0),
  totals: z.array(
    z.strictObject({
      currency,
      kpi_mrr: minorUnits,
      list_mrr: minorUnits,
      difference: minorUnits,
      matched: z.strictObject({ customers: count, difference: minorUnits }),
      differing: count,
      kpi_only: count,
      list_only: count,
    }),
  ),
  customers: z.array(
    z.strictObject({
      customer: z.string(),
      currency,
      status: z.enum(['differs', 'kpi_only', 'list_only']),
      kpi_mrr: minorUnits.nullable(),
      list_mrr: minorUnits.nullable(),
      difference: minorUnits,
      causes: z.array(z.strictObject({ cause: reconciliationCause, subscription: z.string().nullable(), detail: z.string(), setting: z.string().nullable() })),
      subscriptions: z.array(
        z.strictObject({
          id: z.string(),
          status: z.string(),
          counted: z.boolean(),
          set_to_end: z.strictObject({ at: isoTimestamp.nullable(), at_period_end: z.boolean() }).nullable(),
          currency,
          intervals: z.array(z.string()),
          mrr: minorUnits,
          coupons: z.array(
            z.strictObject({
              id: z.string(),
              duration: z.enum(['forever', 'once', 'repeating']),
              duration_in_months: z.number().int().nullable(),
              percent_off: z.string().nullable(),
              ends_at: isoTimestamp.nullable(),
              subtracted: z.boolean(),
              setting: z.string().nullable(),
            }),
          ),
          metered_products: z.array(z.string()),
          outside_tiers: z.array(z.string()),
        }),
      ),
      explanation: z.string(),
    }),
  ),
  notes: z.array(z.string()),
});

/** Every JSON output kind, by the file name its JSON Schema is written to. */
export const OUTPUT_SCHEMAS = {
  mrr: mrrOutputSchema,
  arr: arrOutputSchema,
  arr_weekly: weeklyArrOutputSchema,
  mrr_movements: movementsOutputSchema,
  saas_metrics: saasMetricsOutputSchema,
  kpi_report: kpiReportOutputSchema,
  okr_status: okrStatusOutputSchema,
  reconciliation: reconciliationOutputSchema,
} as const;

export function jsonSchemaOf(kind: keyof typeof OUTPUT_SCHEMAS): Record<string, unknown> {
  return {
    $id: `kpi-${kind}.schema.json`,
    title: `kpi JSON output: ${kind}`,
    ...(z.toJSONSchema(OUTPUT_SCHEMAS[kind]) as Record<string, unknown>),
  };
}
