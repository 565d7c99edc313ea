import type { KpiConfig } from '../config/schema.js';
import { minorUnitExponent } from '../money/currency.js';
import { decimalString, Rational } from '../money/rational.js';
import { isPeriodMetric, secretVariables, type KpiDefinition, type PeriodMetric, type KpiTarget, type ReportConfig } from '../scoreboard/kpi-config.js';
import { resolvePeriod, type CalendarSettings, type Period } from '../scoreboard/periods.js';
import type { RecordedReport } from '../scoreboard/history.js';
import { readCommandSource } from '../scoreboard/sources/command-source.js';
import { readCsvSource } from '../scoreboard/sources/csv-source.js';
import { readGithubSource } from '../scoreboard/sources/github-source.js';
import { readJsonSource } from '../scoreboard/sources/json-source.js';
import { checkSourceEnvironment, hubspotApiBase } from '../scoreboard/sources/source-environment.js';
import { readHubspotSource } from '../scoreboard/sources/hubspot/hubspot-source.js';
import { httpHubspotTransport, type HubspotTransport } from '../scoreboard/sources/hubspot/hubspot-transport.js';
import type { RatesAt } from './reporting-rates.js';
import { MAX_BODY_BYTES, NoValue, SourceError, type SourceContext, type SourcedValue } from '../scoreboard/sources/source-types.js';
import { Redactor } from '../secrets/redact.js';
import { statusOf, trendOf, type KpiStatus, type TrendDirection } from '../scoreboard/status.js';
import type { Measure, ReportedAmount, RevenueReport, TierLine } from '../revenue/revenue-report.js';
import type { AtRiskReport } from '../revenue/at-risk-report.js';
import { ratesInBrief } from '../revenue/conversion.js';
import { KpiError } from '../errors.js';
import { ratioValue, type Ratio, type SaasMetrics } from '../history/saas-metrics.js';
import type { SaasMetricsReport } from './saas-metrics.js';

export interface KpiResult {
  id: string;
  name: string;
  unit: KpiDefinition['unit'];
  currency: string | null;
  period: Period;
  source: string;
  value: number | null;
  target: number | null;
  direction: 'higher' | 'lower';
  status: KpiStatus;
  /** Why there is no value or no target; null when all is well. */
  reason: string | null;
  note: string | null;
  trend: { direction: TrendDirection; previous: number; recordedAt: string } | null;
  /**
   * This KPI's recorded values before this run, oldest first (at most `HISTORY_POINTS`):
   * only records in the same unit and currency, so a sparkline never mixes scales.
   */
  history: RecordedPoint[];
}

export interface RecordedPoint {
  recordedAt: string;
  value: number;
}

/** Half a year of weekly records: what a sparkline or a trend chart shows. */
export const HISTORY_POINTS = 26;

export interface KpiReport {
  generatedAt: Date;
  timeZone: string;
  results: KpiResult[];
  /** What each KPI's source read and how long it took, in config order (for `--verbose`). */
  reads: SourceRead[];
}

export interface SourceRead {
  id: string;
  source: string;
  /** Requests, rows, bytes; or why nothing was read. */
  read: string;
  seconds: number;
}

/** What the report needs from outside: Stripe figures (read once) and last week's ARR. */
export interface KpiReportInputs {
  now: Date;
  env: NodeJS.ProcessEnv;
  /** Relative paths in the config are resolved from here. */
  baseDir: string;
  /** MRR and ARR reports from one read of the billing source. */
  stripe(): Promise<Partial<Record<Measure, RevenueReport>>>;
  /** The same figures a week ago: the latest snapshot at least six days old, if any. */
  stripeWeekAgo(): Promise<Partial<Record<Measure, RevenueReport>> | null>;
  /**
   * SaaS metrics between the snapshots at or before the period's start and its end (one
   * reading per period however many KPIs use it); a SourceError when there are not two.
   */
  saasMetrics?(period: Pick<Period, 'start' | 'end'>): Promise<SaasMetricsReport>;
  /** The report history, oldest first: the last record gives the trend, all of them the series. */
  history: readonly RecordedReport[];
  /** The user's opt-in to running the config's shell commands. */
  allowCommands: boolean;
  /** Overrides MAX_BODY_BYTES (tests). */
  maxBodyBytes?: number;
  /** Converts money sources count in several currencies (hubspot deals). */
  rates?: RatesAt;
  /** Where hubspot sources send their requests; default: HUBSPOT_API_URL over HTTP. */
  hubspot?: HubspotTransport;
}

/**
 * Evaluates every KPI of the configuration: its value from its source over its period,
 * its target, and a status. A failing source makes only its own KPI "error" (n/a).
 */
export async function buildKpiReport(config: KpiConfig, report: ReportConfig, inputs: KpiReportInputs): Promise<KpiReport> {
  const calendar: CalendarSettings = { timeZone: report.time_zone, fiscalYearStartMonth: report.fiscal_year_start_month };
  checkSourceEnvironment(report.kpis, inputs.env);
  const redactor = new Redactor(secretVariables(report.kpis).map((name) => inputs.env[name]));
  const sourceInputs = { env: inputs.env, baseDir: inputs.baseDir, allowCommands: inputs.allowCommands, maxBodyBytes: inputs.maxBodyBytes ?? MAX_BODY_BYTES, rates: inputs.rates, now: inputs.now };
  // One transport (one rate limiter) for every hubspot KPI of the report.
  let hubspot = inputs.hubspot;
  const hubspotTransport = () => (hubspot ??= httpHubspotTransport(hubspotApiBase(inputs.env), { maxBodyBytes: sourceInputs.maxBodyBytes }));
  const sourced = await Promise.all(
    report.kpis.map(async (kpi) => {
      const period = resolvePeriod(kpi.period, inputs.now, calendar);
      if (!kpi.source) return { kpi, period, value: null, error: null, noValue: null, notConfigured: true, read: null };
      const started = performance.now();
      const read = (what: string): SourceRead => ({ id: kpi.id, source: kpi.source!.type, read: what, seconds: (performance.now() - started) / 1000 });
      try {
        const sourcedValue = await readSource(kpi, { kpi, period, calendar, ...sourceInputs }, inputs, hubspotTransport);
        const value = { ...sourcedValue, note: sourcedValue.note === undefined ? undefined : redactor.redact(sourcedValue.note) };
        return { kpi, period, value, error: null, noValue: null, notConfigured: false, read: read(redactor.redact(sourcedValue.read ?? 'from the config')) };
      } catch (error) {
        if (error instanceof NoValue) {
          const reason = redactor.redact(error.message);
          return { kpi, period, value: null, error: null, noValue: reason, notConfigured: false, read: read(`no value: ${reason}`) };
        }
        // Every message a source produced passes the redactor before it is shown or recorded.
        if (error instanceof SourceError || error instanceof KpiError) {
          const message = redactor.redact(error.message);
          return { kpi, period, value: null, error: message, noValue: null, notConfigured: false, read: read(`failed: ${message}`) };
        }
        throw error;
      }
    }),
  );
  const byId = new Map(sourced.map((entry) => [entry.kpi.id, entry]));

  const results: KpiResult[] = [];
  for (const { kpi, period, value, error, noValue, notConfigured } of sourced) {
    const currency = value?.currency ?? kpi.currency ?? null;
    const base = {
      id: kpi.id,
      name: kpi.name,
      unit: kpi.unit,
      currency: kpi.unit === 'money' ? currency : null,
      period,
      source: kpi.source?.type ?? 'not configured',
      direction: kpi.direction,
      note: value?.note ?? null,
    };
    if (notConfigured) {
      results.push({ ...base, value: null, target: null, status: 'not_configured', reason: 'no source configured', trend: null, history: recordedPoints(inputs.history, kpi) });
      continue;
    }
    if (noValue !== null) {
      // The target is still shown (the meeting sees what the figure is held to), when the
      // config gives the currency money needs.
      const knowsUnits = kpi.unit !== 'money' || kpi.currency !== undefined;
      const target = kpi.target !== null && knowsUnits ? await resolveTarget(kpi, kpi.target, period, { value: 0, currency: kpi.currency }, byId, inputs) : { value: null };
      results.push({ ...base, value: null, target: target.value, status: 'no_value', reason: noValue, trend: null, history: recordedPoints(inputs.history, kpi) });
      continue;
    }
    if (!value) {
      results.push({ ...base, value: null, target: null, status: 'error', reason: error, trend: null, history: recordedPoints(inputs.history, kpi) });
      continue;
    }
    // `target: 0` is a real target (incidents, a net change that must not go negative).
    const target = kpi.target !== null ? await resolveTarget(kpi, kpi.target, period, value, byId, inputs) : { value: null, reason: 'no target set' };
    const status: KpiStatus =
      target.value === null ? 'no_target' : statusOf(value.value, target.value, kpi.direction, kpi.yellow_within_percent ?? report.yellow_within_percent);
    const last = inputs.history.at(-1);
    const previous = last?.kpis[kpi.id];
    const direction = trendOf(previous?.value, value.value);
    results.push({
      ...base,
      value: value.value,
      target: target.value,
      status,
      reason: target.value === null ? target.reason : null,
      trend: direction && last && previous?.value !== null && previous?.value !== undefined ? { direction, previous: previous.value, recordedAt: last.recorded_at } : null,
      history: recordedPoints(inputs.history, kpi),
    });
  }
  const reads = sourced.flatMap((entry) => (entry.read ? [entry.read] : []));
  return { generatedAt: inputs.now, timeZone: report.time_zone, results, reads };
}

/** The KPI's recorded values in the unit and currency it has now, the newest `HISTORY_POINTS`. */
function recordedPoints(history: readonly RecordedReport[], kpi: KpiDefinition): RecordedPoint[] {
  const points: RecordedPoint[] = [];
  for (const record of history) {
    const entry = record.kpis[kpi.id];
    if (!entry || entry.value === null || entry.unit !== kpi.unit) continue;
    if (kpi.unit === 'money' && kpi.currency !== undefined && entry.currency !== kpi.currency) continue;
    points.push({ recordedAt: record.recorded_at, value: entry.value });
  }
  return points.slice(-HISTORY_POINTS);
}

async function readSource(kpi: KpiDefinition, context: SourceContext, inputs: KpiReportInputs, hubspot: () => HubspotTransport): Promise<SourcedValue> {
  const source = kpi.source!;
  switch (source.type) {
    case 'value':
      return kpi.unit === 'money' ? { value: toMinorUnits(source.value, kpi.currency as string), currency: kpi.currency, read: 'from the config' } : { value: source.value, read: 'from the config' };
    case 'csv':
      return readCsvSource(source, context);
    case 'json':
      return scaleMoney(kpi, await readJsonSource(source, context));
    case 'command':
      return scaleMoney(kpi, await readCommandSource(source, context));
    case 'github':
      return readGithubSource(source, context);
    case 'hubspot':
      return readHubspotSource(source, context, hubspot());
    case 'stripe':
      return isPeriodMetric(source.metric) ? periodMetricValue(kpi, source.metric, await periodMetrics(inputs, context.period)) : stripeValue(kpi, await inputs.stripe());
  }
}

/** Money from files and commands is in major units (what people write); kpi keeps minor units. */
function scaleMoney(kpi: KpiDefinition, sourced: SourcedValue): SourcedValue {
  if (kpi.unit !== 'money') return sourced;
  return { ...sourced, value: toMinorUnits(sourced.value, kpi.currency as string), currency: kpi.currency };
}

function toMinorUnits(major: number, currency: string): number {
  return Number(Rational.fromNumber(major).times(10 ** minorUnitExponent(currency)).roundHalfUp());
}

function stripeValue(kpi: KpiDefinition, reports: Partial<Record<Measure, RevenueReport>>): SourcedValue {
  const source = kpi.source as Extract<KpiDefinition['source'], { type: 'stripe' }>;
  const report = source.metric === 'arr' ? reports.arr : reports.mrr;
  if (!report) throw new SourceError(`no ${source.metric} figures`);
  const tier = source.tier ? report.tiers.find((line) => line.name.toLowerCase() === source.tier!.toLowerCase()) : null;
  if (source.tier && !tier) {
    throw new SourceError(`no tier "${source.tier}" (tiers: ${report.tiers.map((line) => line.name).join(', ')})`);
  }
  if (source.metric === 'subscriptions') return { value: tier ? tier.subscriptions : report.subscriptions, read: stripeRead(report) };
  if (source.metric === 'past_due_share') return { value: pastDueSharePercent(report, tier ?? null), read: stripeRead(report) };
  const amount = source.metric === 'scheduled_to_end_mrr' ? scheduledToEnd(report, tier ?? null) : tier ? tier.amount : report.amount;
  if (amount.total === null || !report.reportingCurrency) {
    throw needsRates(report, 'figure');
  }
  // A converted figure says which rates made it, so two weeks' values can be told apart.
  const notes = [...(report.exchangeRates ? [ratesInBrief(report.exchangeRates)] : []), ...report.warnings];
  return {
    value: Number(amount.total),
    currency: report.reportingCurrency,
    note: notes.length > 0 ? notes.join('; ') : undefined,
    read: stripeRead(report),
  };
}

/**
 * A SaaS metric as a KPI value: a percent with 2 decimals (the JSON's 4-decimal fraction
 * x 100), the quick ratio with 2 decimals, ARPA in minor units. The line is the tier's, or
 * the self-service total, in the KPI's currency (needed only when the account bills in several).
 */
function periodMetricValue(kpi: KpiDefinition, metric: PeriodMetric, report: SaasMetricsReport): SourcedValue {
  const source = kpi.source as Extract<KpiDefinition['source'], { type: 'stripe' }>;
  const candidates = source.tier ? report.lines.filter((line) => line.tier.toLowerCase() === source.tier!.toLowerCase()) : report.totals;
  if (source.tier && candidates.length === 0) {
    throw new SourceError(`no self-service tier "${source.tier}" in the snapshots (tiers: ${[...new Set(report.lines.map((line) => line.tier))].join(', ')})`);
  }
  const currencies = candidates.map((line) => line.currency);
  const line = kpi.currency ? candidates.find((candidate) => candidate.currency === kpi.currency) : candidates.length === 1 ? candidates[0] : undefined;
  if (!line) {
    throw new SourceError(
      kpi.currency
        ? `no ${kpi.currency.toUpperCase()} MRR in the snapshots (currencies: ${currencies.map((code) => code.toUpperCase()).join(', ') || 'none'})`
        : `the account bills in ${currencies.map((code) => code.toUpperCase()).join(' and ')}; name the one this KPI follows with currency: (e.g. "${currencies[0] ?? 'usd'}")`,
    );
  }
  const ratio = METRIC_RATIO[metric](line.metrics);
  const value = ratioValue(ratio);
  if (value === null) throw new NoValue(NOT_APPLICABLE_BECAUSE[metric]);
  const read = `snapshots ${report.from.takenAt.toISOString()} and ${report.to.takenAt.toISOString()}`;
  if (metric === 'arpa') return { value: Number(value.roundHalfUp()), currency: line.currency, read };
  const shown = metric === 'quick_ratio' ? value : value.times(100);
  return { value: Number(decimalString(shown, 2)), read };
}

function periodMetrics(inputs: KpiReportInputs, period: Period): Promise<SaasMetricsReport> {
  if (!inputs.saasMetrics) throw new SourceError('no snapshots to compare here');
  return inputs.saasMetrics(period);
}

const NOT_APPLICABLE_BECAUSE: Record<PeriodMetric, string> = {
  nrr: 'no MRR at the start of the period',
  grr: 'no MRR at the start of the period',
  logo_churn: 'no paying customers at the start of the period',
  revenue_churn: 'no MRR at the start of the period',
  net_revenue_churn: 'no MRR at the start of the period',
  mrr_growth: 'no MRR at the start of the period',
  quick_ratio: 'no MRR was lost in the period (no churn or contraction to divide by)',
  arpa: 'no paying customers at the end of the period',
};

const METRIC_RATIO: Record<PeriodMetric, (metrics: SaasMetrics) => Ratio> = {
  nrr: (metrics) => metrics.netRevenueRetention,
  grr: (metrics) => metrics.grossRevenueRetention,
  logo_churn: (metrics) => metrics.logoChurn,
  revenue_churn: (metrics) => metrics.grossRevenueChurn,
  net_revenue_churn: (metrics) => metrics.netRevenueChurn,
  mrr_growth: (metrics) => metrics.growth,
  quick_ratio: (metrics) => metrics.quickRatio,
  // At the end of the period: what an account pays now.
  arpa: (metrics) => metrics.arpa.end,
};

function atRiskOf(report: RevenueReport): AtRiskReport {
  if (!report.atRisk) throw new SourceError('no MRR-at-risk figures were computed');
  return report.atRisk;
}

/** A tier with nothing set to end is not in the at-risk tiers: zero, in the report's currency. */
function scheduledToEnd(report: RevenueReport, tier: TierLine | null): ReportedAmount {
  const section = atRiskOf(report).scheduledToEnd;
  if (!tier) return section.amount;
  return section.tiers.find((line) => line.name === tier.name)?.amount ?? { byCurrency: {}, total: report.reportingCurrency ? 0n : null };
}

/** Past-due MRR as a percent of MRR (2 decimals), of the whole account or one tier, in one currency. */
function pastDueSharePercent(report: RevenueReport, tier: TierLine | null): number {
  const pastDue = atRiskOf(report).pastDue;
  const part = tier ? (pastDue.tiers.find((line) => line.name === tier.name)?.amount.total ?? 0n) : pastDue.amount.total;
  const whole = tier ? tier.amount.total : report.amount.total;
  if (part === null || whole === null) {
    throw needsRates(report, 'share');
  }
  if (whole === 0n) throw new NoValue(`no MRR${tier ? ` in tier "${tier.name}"` : ''}: a share of nothing has no value`);
  return Number(Rational.of(part * 100n, whole).times(100).roundHalfUp()) / 100;
}

/** Several billing currencies make one total only through the config's rates. */
function needsRates(report: RevenueReport, what: 'figure' | 'share'): SourceError {
  return new SourceError(`the account bills in ${report.currencies.map((code) => code.toUpperCase()).join(' and ')}; one ${what} needs conversion rates (config "reporting")`);
}

function stripeRead(report: RevenueReport): string {
  return `${report.subscriptionsRead} subscriptions (one read shared by every stripe KPI)`;
}

async function resolveTarget(
  kpi: KpiDefinition,
  target: KpiTarget,
  period: Period,
  value: SourcedValue,
  byId: Map<string, { value: SourcedValue | null; kpi: KpiDefinition }>,
  inputs: KpiReportInputs,
): Promise<{ value: number | null; reason: string }> {
  const money = (major: number) => (kpi.unit === 'money' ? toMinorUnits(major, value.currency ?? (kpi.currency as string)) : major);
  if (typeof target === 'number') return { value: money(target), reason: '' };
  if ('kpi' in target && typeof target.kpi === 'string') {
    const other = byId.get(target.kpi);
    if (!other?.value) return { value: null, reason: `target KPI "${target.kpi}" has no value` };
    if ((other.value.currency ?? null) !== (value.currency ?? null) && kpi.unit === 'money') {
      return { value: null, reason: `target KPI "${target.kpi}" is in another currency` };
    }
    return { value: other.value.value, reason: '' };
  }
  if ('weekly_growth_percent' in target && typeof target.weekly_growth_percent === 'number') {
    if (kpi.source?.type === 'stripe' && isPeriodMetric(kpi.source.metric)) {
      return { value: null, reason: `a weekly growth target needs a figure of a moment (mrr, arr, subscriptions), not the period metric ${kpi.source.metric}` };
    }
    const before = kpi.source?.type === 'stripe' ? await inputs.stripeWeekAgo() : null;
    if (!before) return { value: null, reason: 'no snapshot from last week to grow from (take one a week with `kpi snapshot`)' };
    const previous = stripeValue(kpi, before);
    if (previous.currency !== value.currency) return { value: null, reason: 'last week is in another currency' };
    return { value: Number(Rational.of(previous.value).times(Rational.ONE.plus(Rational.fromNumber(target.weekly_growth_percent).dividedBy(100))).roundHalfUp()), reason: '' };
  }
  const perQuarter = target as Record<string, number>;
  const quarterTarget = perQuarter[period.quarter];
  return quarterTarget === undefined ? { value: null, reason: `no target for ${period.quarter}` } : { value: money(quarterTarget), reason: '' };
}
