/**
 * The `hubspot` source in the config: a preset (the handbook's CRM KPIs) with overrides,
 * or the generic form (any object, filters, count or sum).
 */
import { z } from 'zod';

export const CRM_OBJECTS = ['contacts', 'deals', 'companies'] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];

export const HUBSPOT_PRESETS = ['mqls', 'carr_closed', 'carr_projected'] as const;
export type HubspotPreset = (typeof HUBSPOT_PRESETS)[number];
export const HUBSPOT_PRESET_UNITS: Record<HubspotPreset, 'count' | 'money'> = { mqls: 'count', carr_closed: 'money', carr_projected: 'money' };

/** The CRM search operators kpi sends (and the test server and the demo understand). */
export const FILTER_OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const propertyName = z.string().regex(/^[a-z0-9_]+$/i, 'must be a HubSpot property\'s internal name such as "hs_arr"');
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const filter = z
  .strictObject({
    property: propertyName,
    operator: z.enum(FILTER_OPERATORS),
    value: scalar.optional(),
    values: z.array(scalar).min(1).optional(),
  })
  .superRefine((entry, context) => {
    const list = entry.operator === 'IN' || entry.operator === 'NOT_IN';
    const bare = entry.operator === 'HAS_PROPERTY' || entry.operator === 'NOT_HAS_PROPERTY';
    if (list && !entry.values) context.addIssue({ code: 'custom', path: ['values'], message: `${entry.operator} needs values: [...]` });
    if (!list && !bare && entry.value === undefined) context.addIssue({ code: 'custom', path: ['value'], message: `${entry.operator} needs a value` });
  });
export type HubspotFilterConfig = z.output<typeof filter>;

/** Filters HubSpot's CRM search takes in one filter group. */
export const SEARCH_FILTER_LIMIT = 6;

/** Options that only one form takes, so a mistake is named instead of silently ignored. */
const DEAL_PRESET_OPTIONS = ['pipelines', 'closed_won_stages', 'amount_property', 'amount_factor', 'currency_property'] as const;

export function hubspotSourceSchema(envName: z.ZodType<string>) {
  return z
    .strictObject({
      type: z.literal('hubspot'),
      preset: z.enum(HUBSPOT_PRESETS).optional(),
      object: z.enum(CRM_OBJECTS).optional(),
      filters: z.array(filter).default([]),
      aggregate: z.enum(['count', 'sum']).optional(),
      /** Generic: the property summed. mqls: the date a contact became an MQL. */
      property: propertyName.optional(),
      /** The date property the KPI's period filters on. */
      date_property: propertyName.optional(),
      /** Deal presets: pipeline ids or labels; default: the default pipeline. */
      pipelines: z.array(z.string().min(1)).min(1).optional(),
      closed_won_stages: z.array(z.string().min(1)).min(1).optional(),
      amount_property: propertyName.optional(),
      /** e.g. 12 when amount_property holds monthly amounts. */
      amount_factor: z.number().positive().optional(),
      currency_property: propertyName.optional(),
      /** carr_projected: the probability (0-1) of a stage, instead of the deal's hs_deal_stage_probability. */
      probabilities: z.record(z.string().min(1), z.number().min(0).max(1)).optional(),
      /** The variable holding the private app token. */
      token_env: envName.default('HUBSPOT_TOKEN'),
    })
    .superRefine((source, context) => {
      const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
      if (source.preset && source.object) issue('object', `a preset names its own object; remove object (or the preset "${source.preset}")`);
      if (!source.preset && !source.object) issue('object', `give a preset (${HUBSPOT_PRESETS.join(', ')}) or an object (${CRM_OBJECTS.join(', ')})`);
      if (source.preset && source.aggregate) issue('aggregate', 'a preset decides how it aggregates; remove aggregate');
      const dealPreset = source.preset === 'carr_closed' || source.preset === 'carr_projected';
      if (!dealPreset) {
        for (const option of DEAL_PRESET_OPTIONS) if (source[option] !== undefined) issue(option, 'is an option of the presets carr_closed and carr_projected');
      }
      if (source.probabilities && source.preset !== 'carr_projected') issue('probabilities', 'is an option of the preset carr_projected');
      if (dealPreset && source.property) issue('property', 'the deal presets sum amount_property; remove property');
      if (!source.preset && source.aggregate === 'sum' && !source.property) issue('property', 'aggregate: sum needs the property to sum');
      // HubSpot refuses a search with more than 6 filters in a group: say so before any request.
      const dateFilters = source.preset || source.date_property ? 2 : 0;
      const presetFilters = dealPreset ? 2 : 0;
      if (source.filters.length + dateFilters + presetFilters > SEARCH_FILTER_LIMIT) {
        const taken = [dateFilters ? `${dateFilters} for the period's date` : '', presetFilters ? `${presetFilters} for the pipeline and stage` : ''].filter(Boolean).join(' and ');
        issue('filters', `HubSpot allows ${SEARCH_FILTER_LIMIT} filters in a search${taken ? `, ${taken} included` : ''}: at most ${SEARCH_FILTER_LIMIT - dateFilters - presetFilters} here, not ${source.filters.length}`);
      }
      if (!source.preset && source.aggregate !== 'sum' && source.property) {
        issue('property', 'is summed only with aggregate: sum; a count counts records (to count those with a property set, use filters with HAS_PROPERTY)');
      }
    });
}
