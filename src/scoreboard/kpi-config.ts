/**
 * The `report` part of the configuration: which KPIs the weekly scoreboard shows, where
 * each comes from, over which period, and against which target.
 */
import { z } from 'zod';
import { PERIOD_PATTERN, isValidTimeZone } from './periods.js';
import { isSafeForSecrets } from '../secrets/redact.js';
import { hubspotSourceSchema, HUBSPOT_PRESET_UNITS } from './sources/hubspot/hubspot-config.js';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case, e.g. "carr_closed"');
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code such as "usd"').transform((code) => code.toLowerCase());
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as "STATS_TOKEN"');
/** The Stripe key only ever goes to Stripe: a config file may not hand it to a URL or a command. */
const forwardableEnvName = envName.refine((name) => name !== 'STRIPE_API_KEY', 'may not be STRIPE_API_KEY: the Stripe key goes to Stripe only (use a stripe source)');
/** RFC 9110 token: what a header name (or an auth scheme) may be made of. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * SaaS metrics over the KPI's period (`kpi metrics` between the snapshots at or before its
 * start and its end), with the unit each is shown in.
 */
export const PERIOD_METRIC_UNITS = {
  nrr: 'percent',
  grr: 'percent',
  logo_churn: 'percent',
  revenue_churn: 'percent',
  net_revenue_churn: 'percent',
  mrr_growth: 'percent',
  quick_ratio: 'count',
  arpa: 'money',
} as const;
export type PeriodMetric = keyof typeof PERIOD_METRIC_UNITS;
const PERIOD_METRICS = Object.keys(PERIOD_METRIC_UNITS) as PeriodMetric[];

export function isPeriodMetric(metric: string): metric is PeriodMetric {
  return metric in PERIOD_METRIC_UNITS;
}

/** The stripe metrics whose figure has one meaning only: a share, an amount. */
const FIXED_UNITS = { ...PERIOD_METRIC_UNITS, past_due_share: 'percent', scheduled_to_end_mrr: 'money' } as const;

const stripeSource = z.strictObject({
  type: z.literal('stripe'),
  /**
   * past_due_share (percent of MRR) and scheduled_to_end_mrr (money) are MRR at risk within
   * 30 days, valued now; the period metrics (nrr, grr ...) compare two snapshots.
   */
  metric: z.enum(['mrr', 'arr', 'subscriptions', 'past_due_share', 'scheduled_to_end_mrr', ...PERIOD_METRICS]),
  /** One tier (or other recurring group) only; default: all. */
  tier: z.string().min(1).optional(),
});
const githubSource = z.strictObject({
  type: z.literal('github'),
  /** "owner/name" of each repository whose merged pull requests count. */
  repositories: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"')).min(1),
});
const csvSource = z.strictObject({
  type: z.literal('csv'),
  file: z.string().min(1),
  /** Count the rows, or sum this column. */
  sum: z.string().min(1).optional(),
  /** Keep only rows whose column equals the value (all must match). */
  where: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
  /** Keep only rows whose date in this column falls in the KPI's period. */
  date_column: z.string().min(1).optional(),
});
const jsonSource = z
  .strictObject({
    type: z.literal('json'),
    /** A file path or an http(s) URL. */
    location: z.string().min(1),
    /** RFC 6901 JSON pointer to the number, e.g. "/instances/active". */
    pointer: z.string().regex(/^(\/.*)?$/, 'must be a JSON pointer such as "/stats/active" ("" for the whole document)'),
    /** An HTTP header whose value comes from an environment variable (never from the config). */
    auth: z
      .strictObject({
        header: z.string().regex(HTTP_TOKEN, 'must be an HTTP header name such as "Authorization"').default('Authorization'),
        env: forwardableEnvName,
        scheme: z.string().regex(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+)?$/, 'must be one word such as "Bearer" ("" for the bare value)').default('Bearer'),
      })
      .optional(),
  })
  .superRefine((source, context) => {
    if (!/^https?:\/\//i.test(source.location)) return;
    const problem = urlProblem(source.location, source.auth !== undefined);
    if (problem) context.addIssue({ code: 'custom', path: ['location'], message: problem });
  });

/** Why an http(s) location cannot be used; the message never repeats the URL (it may hold a secret). */
export function urlProblem(location: string, sendsSecret: boolean): string | null {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return 'is not a valid URL (expected something like "https://stats.example.com/api/stats")';
  }
  if (url.username || url.password) return 'must not hold a user name or password: give the secret with auth: { env: VARIABLE }';
  if (sendsSecret && !isSafeForSecrets(url)) return 'must be https (or http to this machine) when auth sends a secret';
  return null;
}
const commandSource = z.strictObject({
  type: z.literal('command'),
  run: z.string().min(1),
  timeout_seconds: z.number().positive().max(600).default(30),
  /** Variables passed on to the command besides PATH, HOME, LANG and TZ. */
  env: z.array(forwardableEnvName).default([]),
});
const hubspotSource = hubspotSourceSchema(forwardableEnvName);
const valueSource = z.strictObject({ type: z.literal('value'), value: z.number() });

export const kpiSource = z.discriminatedUnion('type', [stripeSource, githubSource, csvSource, jsonSource, commandSource, valueSource, hubspotSource]);

const target = z.union([
  z.number(),
  z.strictObject({ kpi: id }),
  z.strictObject({ weekly_growth_percent: z.number() }),
  z.record(z.string().regex(/^\d{4}-Q[1-4]$/, 'quarters are written like "2026-Q4"'), z.number()),
]);

const kpi = z
  .strictObject({
    id,
    name: z.string().min(1),
    unit: z.enum(['count', 'money', 'percent']),
    /** For money: the currency amounts are in (targets and values in major units in the config). */
    currency: currency.optional(),
    source: kpiSource.nullable().default(null),
    period: z.string().regex(PERIOD_PATTERN, 'must be now, this_week, last_week, this_month, last_month, this_quarter, last_quarter, this_year or last_N_days').default('now'),
    target: target.nullable().default(null),
    direction: z.enum(['higher', 'lower']).default('higher'),
    /** How far short of the target (in % of it) is still yellow; further is red. */
    yellow_within_percent: z.number().min(0).max(100).optional(),
  })
  .superRefine((entry, context) => {
    if (entry.unit === 'money' && !entry.currency && entry.source?.type !== 'stripe') {
      context.addIssue({ code: 'custom', path: ['currency'], message: 'money KPIs need a currency (e.g. "usd") unless they come from Stripe' });
    }
    const metric = entry.source?.type === 'stripe' ? entry.source.metric : null;
    const metricUnit = metric && metric in FIXED_UNITS ? FIXED_UNITS[metric as keyof typeof FIXED_UNITS] : null;
    if (metric && metricUnit && entry.unit !== metricUnit) {
      context.addIssue({ code: 'custom', path: ['unit'], message: `must be ${metricUnit} for the stripe metric ${metric}` });
    }
    const preset = entry.source?.type === 'hubspot' ? entry.source.preset : undefined;
    if (preset && entry.unit !== HUBSPOT_PRESET_UNITS[preset]) {
      context.addIssue({ code: 'custom', path: ['unit'], message: `must be ${HUBSPOT_PRESET_UNITS[preset]} for the hubspot preset ${preset}` });
    }
    if (metric && isPeriodMetric(metric)) {
      if (entry.period === 'now') {
        context.addIssue({ code: 'custom', path: ['period'], message: `the stripe metric ${metric} compares two snapshots: give a period such as last_28_days or last_month` });
      }
    }
  });

export const reportSchema = z
  .strictObject({
    time_zone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as "UTC" or "Europe/Amsterdam"').default('UTC'),
    fiscal_year_start_month: z.number().int().min(1).max(12).default(1),
    yellow_within_percent: z.number().min(0).max(100).default(10),
    /** Where `--record` appends values; default: report-history.jsonl in the data directory. */
    history_file: z.string().min(1).optional(),
    kpis: z.array(kpi).min(1),
  })
  .superRefine((report, context) => {
    const ids = new Set<string>();
    report.kpis.forEach((entry, index) => {
      if (ids.has(entry.id)) context.addIssue({ code: 'custom', path: ['kpis', index, 'id'], message: `"${entry.id}" is used twice` });
      ids.add(entry.id);
    });
    report.kpis.forEach((entry, index) => {
      const target = entry.target;
      if (target && typeof target === 'object' && 'kpi' in target && !ids.has(target.kpi as string)) {
        context.addIssue({ code: 'custom', path: ['kpis', index, 'target', 'kpi'], message: `no KPI has the id "${target.kpi}"` });
      }
    });
  });

/**
 * Every environment variable whose value the report may send somewhere: the redactor
 * removes their values from every message.
 */
export function secretVariables(kpis: readonly KpiDefinition[]): string[] {
  const names = new Set(['STRIPE_API_KEY', 'GITHUB_TOKEN', 'HUBSPOT_TOKEN']);
  for (const { source } of kpis) {
    if (source?.type === 'json' && source.auth) names.add(source.auth.env);
    if (source?.type === 'command') for (const name of source.env) names.add(name);
    if (source?.type === 'hubspot') names.add(source.token_env);
  }
  return [...names];
}

export type ReportConfigFile = z.input<typeof reportSchema>;
export type ReportConfig = z.output<typeof reportSchema>;
export type KpiDefinition = ReportConfig['kpis'][number];
export type KpiSource = z.output<typeof kpiSource>;
export type KpiTarget = NonNullable<KpiDefinition['target']>;
