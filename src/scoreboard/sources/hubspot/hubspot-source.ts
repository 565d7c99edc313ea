/**
 * CRM KPIs from HubSpot's search API: the handbook's presets (MQLs, CARR closed and
 * projected) and the generic form. Money is summed exactly per deal, each deal converted
 * from its own currency with the report's rates.
 */
import { closestNames } from '../../../catalog/product-names.js';
import { minorUnitExponent } from '../../../money/currency.js';
import { conversionFactor, rateOf, type ExchangeRates } from '../../../money/exchange-rates.js';
import { decimalString, Rational } from '../../../money/rational.js';
import type { KpiSource } from '../../kpi-config.js';
import { localDate, localMidnight, type Period } from '../../periods.js';
import { formatBytes } from '../bounded-read.js';
import { SourceError, type SourceContext, type SourcedValue } from '../source-types.js';
import type { CrmObject, HubspotFilterConfig } from './hubspot-config.js';
import { SEARCH_RESULT_CAP, type CrmPipeline, type CrmRecord, type CrmRequest } from './hubspot-crm.js';
import type { HubspotTransport } from './hubspot-transport.js';

export type HubspotSource = Extract<KpiSource, { type: 'hubspot' }>;

export const DEFAULT_MQL_DATE_PROPERTY = 'hs_lifecyclestage_marketingqualifiedlead_date';
export const DEFAULT_AMOUNT_PROPERTY = 'hs_arr';
export const DEFAULT_CURRENCY_PROPERTY = 'deal_currency_code';
export const STAGE_PROBABILITY_PROPERTY = 'hs_deal_stage_probability';
const PAGE_SIZE = 100;

/** The scope each endpoint needs, for a 403 whose body names none. */
const SCOPE_OF: Record<string, string> = {
  contacts: 'crm.objects.contacts.read',
  deals: 'crm.objects.deals.read',
  companies: 'crm.objects.companies.read',
};

interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

export async function readHubspotSource(source: HubspotSource, context: SourceContext, transport: HubspotTransport): Promise<SourcedValue> {
  const token = context.env[source.token_env] || undefined;
  if (transport.needsToken && !token) {
    throw new SourceError(`${source.token_env} is not set: give kpi a HubSpot private app access token with read scopes (see "hubspot" in the README)`);
  }
  const client = new HubspotClient(transport, token, source.token_env);
  const value = source.preset === 'mqls' ? await countMqls(source, context, client) : source.preset ? await dealArr(source, context, client) : await generic(source, context, client);
  const notes = [...(client.splits > 0 ? [`the period held over ${SEARCH_RESULT_CAP.toLocaleString('en-US')} results, so it was read in ${client.splits + 1} date ranges`] : []), ...(value.note ? [value.note] : [])];
  return { ...value, note: notes.length > 0 ? notes.join('; ') : undefined, read: client.describe() };
}

async function countMqls(source: HubspotSource, context: SourceContext, client: HubspotClient): Promise<SourcedValue> {
  const dateProperty = source.date_property ?? source.property ?? DEFAULT_MQL_DATE_PROPERTY;
  const records = await client.searchPeriod('contacts', dateProperty, configuredFilters(source.filters), [dateProperty], context);
  return { value: records.length, note: dateProperty === DEFAULT_MQL_DATE_PROPERTY ? undefined : `contacts dated by "${dateProperty}"` };
}

async function generic(source: HubspotSource, context: SourceContext, client: HubspotClient): Promise<SourcedValue> {
  const object = source.object as CrmObject;
  const dateProperty = source.date_property ?? null;
  const sum = source.aggregate === 'sum' ? (source.property as string) : null;
  const currencyProperty = object === 'deals' ? DEFAULT_CURRENCY_PROPERTY : null;
  const wanted = [...(sum ? [sum] : []), ...(currencyProperty && context.kpi.unit === 'money' ? [currencyProperty] : []), ...(dateProperty ? [dateProperty] : [])];
  const records = await client.searchPeriod(object, dateProperty, configuredFilters(source.filters), wanted, context);
  if (!sum) return { value: records.length };
  if (context.kpi.unit === 'money') {
    const money = await sumMoney(records, { amountProperty: sum, factor: Rational.ONE, currencyProperty, weight: () => Rational.ONE }, object, context, client);
    return { value: Number(money.total.roundHalfUp()), currency: context.kpi.currency, note: money.notes.join('; ') || undefined };
  }
  let total = Rational.ZERO;
  let missing = 0;
  for (const record of records) {
    const amount = decimalOf(record, sum, object);
    if (amount === null) missing += 1;
    else total = total.plus(amount);
  }
  if (missing > 0 && missing === records.length) await client.checkProperties(object, [sum]);
  return { value: Number(decimalString(total, 4)), note: missing > 0 ? `${missing} of ${records.length} ${object} without "${sum}" counted as 0` : undefined };
}

async function dealArr(source: HubspotSource, context: SourceContext, client: HubspotClient): Promise<SourcedValue> {
  const projected = source.preset === 'carr_projected';
  const pipelines = selectPipelines(await client.pipelines(), source.pipelines);
  const stages = pipelines.flatMap((pipeline) => pipeline.stages);
  const won = source.closed_won_stages ? resolveStages(source.closed_won_stages, pipelines) : stages.filter((stage) => Number(stage.metadata.probability) === 1 && stage.metadata.isClosed !== 'false').map((stage) => stage.id);
  if (won.length === 0) throw new SourceError(`no closed-won stage in the pipeline${pipelines.length === 1 ? '' : 's'} ${pipelines.map((pipeline) => pipeline.label).join(', ')}: name it with closed_won_stages`);
  const open = projected ? stages.filter((stage) => stage.metadata.isClosed !== 'true' && !won.includes(stage.id)).map((stage) => stage.id) : [];
  const probabilities = projected ? stageProbabilities(source.probabilities ?? {}, pipelines) : new Map<string, Rational>();
  const amountProperty = source.amount_property ?? DEFAULT_AMOUNT_PROPERTY;
  const currencyProperty = source.currency_property ?? DEFAULT_CURRENCY_PROPERTY;
  const dateProperty = source.date_property ?? 'closedate';
  const filters: SearchFilter[] = [
    { propertyName: 'pipeline', operator: 'IN', values: pipelines.map((pipeline) => pipeline.id) },
    { propertyName: 'dealstage', operator: 'IN', values: [...won, ...open] },
    ...configuredFilters(source.filters),
  ];
  const wanted = [amountProperty, currencyProperty, 'dealstage', dateProperty, ...(projected ? [STAGE_PROBABILITY_PROPERTY] : [])];
  const records = await client.searchPeriod('deals', dateProperty, filters, wanted, context);
  const factor = Rational.fromNumber(source.amount_factor ?? 1);
  const probabilityOf = (record: CrmRecord): Rational => {
    const stage = record.properties.dealstage ?? '';
    if (won.includes(stage)) return Rational.ONE;
    const configured = probabilities.get(stage);
    if (configured) return configured;
    return decimalOf(record, STAGE_PROBABILITY_PROPERTY, 'deals') ?? Rational.ZERO;
  };
  const weighted = await sumMoney(records, { amountProperty, factor, currencyProperty, weight: projected ? probabilityOf : () => Rational.ONE }, 'deals', context, client);
  const notes = [...weighted.notes];
  const currency = context.kpi.currency as string;
  if (projected) {
    const unweighted = await sumMoney(records, { amountProperty, factor, currencyProperty, weight: () => Rational.ONE }, 'deals', context, client);
    notes.unshift(`weighted by stage probability; unweighted ${decimalString(unweighted.total.dividedBy(10 ** minorUnitExponent(currency)), minorUnitExponent(currency))} ${currency.toUpperCase()}`);
  }
  const wonCount = records.filter((record) => won.includes(record.properties.dealstage ?? '')).length;
  notes.unshift(projected ? `${wonCount} closed-won and ${records.length - wonCount} open deals` : `${records.length} closed-won deal${records.length === 1 ? '' : 's'}`);
  return { value: Number(weighted.total.roundHalfUp()), currency, note: notes.join('; ') };
}

interface MoneyRule {
  amountProperty: string;
  factor: Rational;
  currencyProperty: string | null;
  weight(record: CrmRecord): Rational;
}

/**
 * The records' amounts in minor units of the KPI's currency, exactly (rounded by the
 * caller, once). A record without a currency is in the KPI's; one in another currency is
 * converted with the report's rates, or the KPI has no value.
 */
async function sumMoney(records: CrmRecord[], rule: MoneyRule, object: CrmObject, context: SourceContext, client: HubspotClient): Promise<{ total: Rational; notes: string[] }> {
  const target = context.kpi.currency as string;
  let rates: ExchangeRates | null | undefined;
  let total = Rational.ZERO;
  let missing = 0;
  const converted = new Set<string>();
  for (const record of records) {
    const amount = decimalOf(record, rule.amountProperty, object);
    if (amount === null) {
      missing += 1;
      continue;
    }
    const code = (rule.currencyProperty ? record.properties[rule.currencyProperty] : null)?.toLowerCase() || target;
    let minor = amount.times(rule.factor).times(rule.weight(record)).times(10 ** minorUnitExponentOf(code, record, object));
    if (code !== target) {
      rates ??= (await context.rates?.(rateMoment(context))) ?? null;
      minor = convert(minor, code, target, rates, record, object);
      converted.add(code.toUpperCase());
    }
    total = total.plus(minor);
  }
  // Only when no record has the amount might the property not exist (a value elsewhere proves it does).
  if (missing > 0 && missing === records.length) await client.checkProperties(object, [rule.amountProperty]);
  const notes: string[] = [];
  if (converted.size > 0 && rates) notes.push(`${[...converted].sort().join(', ')} converted to ${target.toUpperCase()} with ${rates.source === 'ecb' ? `the ECB rates of ${rates.date}` : "the config's rates"}`);
  if (missing > 0) notes.push(`${missing} of ${records.length} ${object} without "${rule.amountProperty}" left out`);
  return { total, notes };
}

function minorUnitExponentOf(code: string, record: CrmRecord, object: CrmObject): number {
  if (!/^[a-z]{3}$/.test(code)) throw new SourceError(`${singular(object)} ${record.id} has the currency "${code}", not a three-letter code`);
  return minorUnitExponent(code);
}

/** Rates of the period's last moment, or of now while the period runs. */
function rateMoment(context: SourceContext): Date {
  const now = context.now ?? new Date();
  return new Date(Math.min(now.getTime(), Math.max(context.period.start.getTime(), context.period.end.getTime() - 1)));
}

function convert(minor: Rational, code: string, target: string, rates: ExchangeRates | null, record: CrmRecord, object: CrmObject): Rational {
  const upper = code.toUpperCase();
  if (!rates) throw new SourceError(`${singular(object)} ${record.id} is in ${upper}, not ${target.toUpperCase()}: converting it needs exchange rates (config "reporting")`);
  const missing = [code, target].filter((currency) => rateOf(rates, currency) === null);
  if (missing.length > 0) throw new SourceError(`${singular(object)} ${record.id} is in ${upper}: the ${rates.source === 'ecb' ? `ECB rates of ${rates.date}` : "config's rates"} have no rate for ${missing.map((currency) => currency.toUpperCase()).join(' and ')}`);
  // Both factors lead into the reporting currency; dividing by the target's comes back out of it.
  return minor.times(conversionFactor(code, rates)).dividedBy(conversionFactor(target, rates));
}

function decimalOf(record: CrmRecord, property: string, object: CrmObject): Rational | null {
  const raw = record.properties[property];
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  try {
    return Rational.parseDecimal(raw);
  } catch {
    throw new SourceError(`${singular(object)} ${record.id} has "${property}" = "${raw.slice(0, 40)}", not a number`);
  }
}

function singular(object: CrmObject): string {
  return object === 'companies' ? 'company' : object.slice(0, -1);
}

function configuredFilters(filters: readonly HubspotFilterConfig[]): SearchFilter[] {
  return filters.map((filter) => ({ propertyName: filter.property, operator: filter.operator, ...(filter.value !== undefined ? { value: filter.value } : {}), ...(filter.values ? { values: filter.values } : {}) }));
}

/** Pipelines named by id or label (any case); all of them when none are named. */
export function selectPipelines(all: CrmPipeline[], wanted: readonly string[] | undefined): CrmPipeline[] {
  if (!wanted) return all;
  return wanted.map((name) => {
    const found = all.find((pipeline) => pipeline.id === name || pipeline.label.toLowerCase() === name.toLowerCase());
    if (!found) throw new SourceError(`HubSpot has no deal pipeline "${name}"; closest: ${closestNames(name, all.flatMap((pipeline) => [pipeline.label]), 3).map((label) => `"${label}"`).join(', ') || 'none'}`);
    return found;
  });
}

/** The stage ids a name means: its id, or its label in every pipeline that has it (each has its own "Closed Won"). */
function findStages(name: string, pipelines: CrmPipeline[]): string[] {
  const stages = pipelines.flatMap((pipeline) => pipeline.stages);
  const found = stages.filter((stage) => stage.id === name || stage.label.toLowerCase() === name.toLowerCase());
  if (found.length === 0) {
    const closest = closestNames(name, stages.flatMap((stage) => [stage.label, stage.id]), 3);
    throw new SourceError(`no deal stage "${name}" in the pipeline${pipelines.length === 1 ? '' : 's'} ${pipelines.map((pipeline) => pipeline.label).join(', ')}; closest: ${closest.map((stage) => `"${stage}"`).join(', ')}`);
  }
  return found.map((stage) => stage.id);
}

function resolveStages(names: readonly string[], pipelines: CrmPipeline[]): string[] {
  return [...new Set(names.flatMap((name) => findStages(name, pipelines)))];
}

function stageProbabilities(configured: Record<string, number>, pipelines: CrmPipeline[]): Map<string, Rational> {
  return new Map(Object.entries(configured).flatMap(([name, probability]) => findStages(name, pipelines).map((id) => [id, Rational.fromNumber(probability)] as const)));
}

/**
 * The instants to search between. HubSpot keeps a date property (no time) as midnight UTC
 * of its date, so west of UTC the period's first date lies before its first instant (and
 * east of UTC, while `last_N_days` runs, today's date after its last): the range covers
 * both readings, and `isInPeriod` then judges each record by its own value.
 */
function searchedRange(period: Period, zone: string): { start: number; end: number } {
  const firstDate = Date.parse(localDate(period.start, zone));
  const lastDate = Date.parse(localDate(new Date(period.end.getTime() - 1), zone));
  return { start: Math.min(period.start.getTime(), firstDate), end: Math.max(period.end.getTime(), lastDate + 1) };
}

/** A date counts when the local day it names starts in the period, a datetime by its instant. */
function isInPeriod(value: string | null | undefined, period: Period, zone: string): boolean {
  if (!value) return true;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const instant = date ? localMidnight(Number(date[1]), Number(date[2]), Number(date[3]), zone).getTime() : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  // A value kpi cannot read is left to HubSpot's own filter.
  if (Number.isNaN(instant)) return true;
  return instant >= period.start.getTime() && instant < period.end.getTime();
}

/** Requests to HubSpot with the counts `--verbose` shows, and HubSpot's errors as messages. */
class HubspotClient {
  requests = 0;
  pages = 0;
  bytes = 0;
  splits = 0;
  private checked = new Map<CrmObject, Promise<string[]>>();

  constructor(
    private readonly transport: HubspotTransport,
    private readonly token: string | undefined,
    private readonly tokenEnv: string,
  ) {}

  describe(): string {
    return `${this.requests} request${this.requests === 1 ? '' : 's'} (${this.pages} search page${this.pages === 1 ? '' : 's'}), ${formatBytes(this.bytes)} from ${this.transport.location}`;
  }

  async pipelines(): Promise<CrmPipeline[]> {
    const body = (await this.ok({ method: 'GET', path: '/crm/v3/pipelines/deals' }, 'crm.objects.deals.read')) as { results?: CrmPipeline[] };
    if (!Array.isArray(body.results)) throw new SourceError("HubSpot's deal pipelines are not a list");
    return body.results;
  }

  /**
   * Every record whose date falls in the period (no date filter for a figure of "now"),
   * page by page. A range over HubSpot's 10,000-result cap is halved until each part fits.
   */
  async searchPeriod(object: CrmObject, dateProperty: string | null, filters: SearchFilter[], properties: string[], context: SourceContext): Promise<CrmRecord[]> {
    const { period, calendar } = context;
    if (!dateProperty || period.start.getTime() === period.end.getTime()) return onceEach(await this.searchRange(object, null, filters, properties));
    const records = await this.searchRange(object, { property: dateProperty, ...searchedRange(period, calendar.timeZone) }, filters, properties);
    return onceEach(records).filter((record) => isInPeriod(record.properties[dateProperty], period, calendar.timeZone));
  }

  private async searchRange(object: CrmObject, range: { property: string; start: number; end: number } | null, filters: SearchFilter[], properties: string[]): Promise<CrmRecord[]> {
    const dateFilters: SearchFilter[] = range
      ? [
          { propertyName: range.property, operator: 'GTE', value: String(range.start) },
          { propertyName: range.property, operator: 'LT', value: String(range.end) },
        ]
      : [];
    const records: CrmRecord[] = [];
    let after: string | undefined;
    do {
      const body = {
        filterGroups: [{ filters: [...filters, ...dateFilters] }],
        sorts: range ? [{ propertyName: range.property, direction: 'ASCENDING' }] : [],
        properties: [...new Set(properties)],
        limit: PAGE_SIZE,
        ...(after !== undefined ? { after } : {}),
      };
      const page = (await this.search(object, body)) as { total?: number; results?: CrmRecord[]; paging?: { next?: { after?: string } } };
      if (!Array.isArray(page.results) || typeof page.total !== 'number') throw new SourceError(`HubSpot's ${object} search answer has no results and total`);
      if (after === undefined && page.total > SEARCH_RESULT_CAP) {
        if (!range || range.end - range.start < 2) {
          throw new SourceError(`HubSpot found ${page.total} ${object}, over its ${SEARCH_RESULT_CAP} search limit${range ? ' within one millisecond' : ''}: ${range ? 'narrow the filters' : 'give a date_property so kpi can split the period'}`);
        }
        this.splits += 1;
        const middle = range.start + Math.floor((range.end - range.start) / 2);
        return [...(await this.searchRange(object, { ...range, end: middle }, filters, properties)), ...(await this.searchRange(object, { ...range, start: middle }, filters, properties))];
      }
      records.push(...page.results);
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return records;
  }

  private async search(object: CrmObject, body: { filterGroups: Array<{ filters: SearchFilter[] }>; sorts: unknown[]; properties: string[] }): Promise<unknown> {
    const request: CrmRequest = { method: 'POST', path: `/crm/v3/objects/${object}/search`, body };
    const answer = await this.send(request);
    this.pages += 1;
    if (answer.status === 400) {
      const named = [...body.filterGroups.flatMap((group) => group.filters.map((filter) => filter.propertyName)), ...body.properties];
      await this.checkProperties(object, named);
    }
    return this.accept(answer, request, SCOPE_OF[object] as string);
  }

  /**
   * Names the first of `names` the object does not have, with the closest it has. HubSpot
   * returns no value (not an error) for an unknown property, so an amount no record has is checked.
   */
  async checkProperties(object: CrmObject, names: readonly string[]): Promise<void> {
    let known = this.checked.get(object);
    if (!known) {
      known = this.ok({ method: 'GET', path: `/crm/v3/properties/${object}` }, `crm.schemas.${object}.read`).then((body) => {
        const results = (body as { results?: Array<{ name?: unknown }> }).results;
        return Array.isArray(results) ? results.flatMap((property) => (typeof property.name === 'string' ? [property.name] : [])) : [];
      });
      this.checked.set(object, known);
    }
    const existing = await known;
    const unknown = names.find((name) => !existing.includes(name));
    if (unknown) {
      throw new SourceError(`HubSpot ${object} have no property "${unknown}"; closest: ${closestNames(unknown, existing, 3).map((name) => `"${name}"`).join(', ') || 'none'}`);
    }
  }

  private async ok(request: CrmRequest, scope: string): Promise<unknown> {
    return this.accept(await this.send(request), request, scope);
  }

  private async send(request: CrmRequest) {
    const answer = await this.transport.send(request, this.token);
    this.requests += answer.attempts;
    this.bytes += answer.bytes;
    return answer;
  }

  private accept(answer: { status: number; body: unknown }, request: CrmRequest, scope: string): unknown {
    if (answer.status >= 200 && answer.status < 300) {
      if (answer.body === null || typeof answer.body !== 'object') throw new SourceError(`HubSpot's answer to ${request.method} ${request.path} is not a JSON object`);
      return answer.body;
    }
    const error = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as { message?: unknown; category?: unknown; errors?: Array<{ context?: Record<string, unknown> }> };
    const message = typeof error.message === 'string' ? `: ${error.message.slice(0, 300)}` : '';
    if (answer.status === 401) throw new SourceError(`HubSpot rejected ${this.tokenEnv} (HTTP 401): check the private app's access token`);
    if (answer.status === 403) {
      const scopes = requiredScopes(error.errors);
      throw new SourceError(`${this.tokenEnv} lacks the scope ${(scopes.length > 0 ? scopes : [scope]).join(' or ')} that ${request.method} ${request.path.replace(/\?.*$/, '')} needs (HTTP 403): add it to the private app`);
    }
    throw new SourceError(`HubSpot answered HTTP ${answer.status} to ${request.method} ${request.path.replace(/\?.*$/, '')}${message}`);
  }
}

/** HubSpot's MISSING_SCOPES body lists the scopes in each error's context. */
function requiredScopes(errors: Array<{ context?: Record<string, unknown> }> | undefined): string[] {
  if (!Array.isArray(errors)) return [];
  const scopes = errors.flatMap((entry) => ['requiredGranularScopes', 'requiredScopes'].flatMap((key) => (Array.isArray(entry?.context?.[key]) ? (entry.context[key] as unknown[]) : [])));
  return [...new Set(scopes.filter((scope): scope is string => typeof scope === 'string' && /^[\w.-]+$/.test(scope)))];
}

/**
 * HubSpot's `after` is an offset into the results: a record created or changed while the
 * pages are read shifts the rest, so one can come back on the next page (or, its date
 * changed, in the other half of a split range). Each counts once, as it was first seen.
 */
function onceEach(records: readonly CrmRecord[]): CrmRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => !seen.has(record.id) && seen.add(record.id));
}
