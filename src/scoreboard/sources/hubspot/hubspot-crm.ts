/**
 * A HubSpot CRM answered in-process from a recorded dataset: the demo reads its CRM
 * KPIs through it (no key, no network), and the tests' HTTP server serves it. It answers
 * the requests kpi makes the way HubSpot does: search with filter groups, sorts, `after`
 * paging and the 10,000-result cap; the properties and deal pipelines endpoints.
 */
import { CRM_OBJECTS, type CrmObject } from './hubspot-config.js';
import { compareText } from '../../../text-order.js';

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
}

export interface CrmProperty {
  name: string;
  label: string;
  type: string;
}

export interface CrmPipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string; metadata: { probability?: string; isClosed?: string } }>;
}

export interface CrmDataset {
  properties: Partial<Record<CrmObject, CrmProperty[]>>;
  pipelines: CrmPipeline[];
  objects: Partial<Record<CrmObject, CrmRecord[]>>;
}

export interface CrmRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. "/crm/v3/objects/deals/search". */
  path: string;
  body?: unknown;
}

export interface CrmAnswer {
  status: number;
  body: unknown;
}

/** HubSpot refuses to page past this many results of one search. */
export const SEARCH_RESULT_CAP = 10_000;
const MAX_PAGE_SIZE = 200;

export function answerCrm(dataset: CrmDataset, request: CrmRequest): CrmAnswer {
  const url = new URL(request.path, 'http://crm.invalid');
  const search = /^\/crm\/v3\/objects\/([a-z_]+)\/search$/.exec(url.pathname);
  if (search && request.method === 'POST') return searchObjects(dataset, search[1] as string, request.body);
  const properties = /^\/crm\/v3\/properties\/([a-z_]+)$/.exec(url.pathname);
  if (properties && request.method === 'GET') {
    const known = isCrmObject(properties[1]) ? dataset.properties[properties[1]] : undefined;
    return known ? { status: 200, body: { results: known } } : hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${properties[1]}`);
  }
  if (url.pathname === '/crm/v3/pipelines/deals' && request.method === 'GET') return { status: 200, body: { results: dataset.pipelines } };
  return hubspotError(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${url.pathname}`);
}

/** HubSpot's error body. */
export function hubspotError(status: number, category: string, message: string, extra: Record<string, unknown> = {}): CrmAnswer {
  return { status, body: { status: 'error', message, correlationId: '00000000-0000-4000-8000-000000000000', category, ...extra } };
}

function isCrmObject(name: string | undefined): name is CrmObject {
  return (CRM_OBJECTS as readonly string[]).includes(name ?? '');
}

interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

interface SearchBody {
  filterGroups?: Array<{ filters: SearchFilter[] }>;
  sorts?: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  properties?: string[];
  limit?: number;
  after?: string;
}

function searchObjects(dataset: CrmDataset, object: string, rawBody: unknown): CrmAnswer {
  if (!isCrmObject(object)) return hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to infer object type from: ${object}`);
  const body = (rawBody ?? {}) as SearchBody;
  const known = new Set((dataset.properties[object] ?? []).map((property) => property.name));
  const filters = (body.filterGroups ?? []).flatMap((group) => group.filters);
  const named = [...filters.map((filter) => filter.propertyName), ...(body.sorts ?? []).map((sort) => sort.propertyName)];
  const unknown = named.find((name) => !known.has(name));
  if (unknown) return hubspotError(400, 'VALIDATION_ERROR', `There was a problem with the request.`, { errors: [{ message: `Property "${unknown}" does not exist`, code: 'INVALID_PROPERTY' }] });
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return hubspotError(400, 'VALIDATION_ERROR', `limit must be between 1 and ${MAX_PAGE_SIZE}`);
  const offset = body.after === undefined ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) return hubspotError(400, 'VALIDATION_ERROR', `after is not a valid cursor`);
  if (offset >= SEARCH_RESULT_CAP) return hubspotError(400, 'VALIDATION_ERROR', `Cannot page beyond ${SEARCH_RESULT_CAP} results`);

  // Filters within a group are ANDed, the groups ORed; no groups: everything.
  const groups = body.filterGroups ?? [];
  const matching = (dataset.objects[object] ?? []).filter((record) => groups.length === 0 || groups.some((group) => group.filters.every((filter) => matches(record, filter))));
  const sorts = body.sorts ?? [];
  const ordered = [...matching].sort((a, b) => {
    for (const sort of sorts) {
      const order = compare(a.properties[sort.propertyName] ?? null, b.properties[sort.propertyName] ?? null);
      if (order !== 0) return sort.direction === 'DESCENDING' ? -order : order;
    }
    return Number(a.id) - Number(b.id) || compareText(a.id, b.id);
  });
  const page = ordered.slice(offset, offset + limit);
  const wanted = body.properties ?? [];
  const results = page.map((record) => ({
    id: record.id,
    properties: Object.fromEntries([['hs_object_id', record.id], ...wanted.map((name) => [name, record.properties[name] ?? null])]),
    archived: false,
  }));
  const next = offset + limit < ordered.length ? { paging: { next: { after: String(offset + limit) } } } : {};
  return { status: 200, body: { total: ordered.length, results, ...next } };
}

function matches(record: CrmRecord, filter: SearchFilter): boolean {
  const value = record.properties[filter.propertyName];
  const present = value !== undefined && value !== null && value !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present;
    case 'NOT_HAS_PROPERTY':
      return !present;
    case 'IN':
      return present && (filter.values ?? []).some((candidate) => compare(value, candidate) === 0);
    case 'NOT_IN':
      return !present || !(filter.values ?? []).some((candidate) => compare(value, candidate) === 0);
    case 'NEQ':
      return !present || compare(value, filter.value ?? null) !== 0;
  }
  if (!present) return false;
  const order = compare(value, filter.value ?? null);
  switch (filter.operator) {
    case 'EQ':
      return order === 0;
    case 'LT':
      return order < 0;
    case 'LTE':
      return order <= 0;
    case 'GT':
      return order > 0;
    case 'GTE':
      return order >= 0;
    default:
      return false;
  }
}

/**
 * HubSpot compares dates as epoch milliseconds (filters send them so, records show ISO
 * text), numbers as numbers and the rest as case-insensitive text. Empty sorts first.
 */
function compare(a: string | null, b: string | null): number {
  if (a === null || a === '' || b === null || b === '') return (a === null || a === '' ? 0 : 1) - (b === null || b === '' ? 0 : 1);
  const [left, right] = [comparable(a), comparable(b)];
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return compareText(String(a).toLowerCase(), String(b).toLowerCase());
}

function comparable(value: string): number | string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  return value;
}
