/**
 * Query strings in Stripe's bracket form (`expand[0]=a`, `expand[]=a`, `created[gte]=1`)
 * and per-endpoint parameter validation. Stripe rejects parameters an endpoint does not
 * know, so tests catch clients that send typos or unsupported filters.
 */
import {
  emptyParameter,
  invalidInteger,
  invalidRequest,
  invalidValue,
  unknownParameter,
} from './errors.js';

export type QueryValue = string | QueryValue[] | QueryObject;
export interface QueryObject {
  [key: string]: QueryValue;
}

const KEY_PATTERN = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/** Parses a raw query string (without `?`). Throws `ApiError` on malformed input. */
export function parseQuery(raw: string): QueryObject {
  // A null prototype keeps keys like `__proto__` or `constructor` plain data.
  const root: QueryObject = Object.create(null) as QueryObject;
  if (raw === '') return root;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const match = KEY_PATTERN.exec(key);
    // A key that is not `name[a][b]` cannot name a known parameter; keep it whole so the
    // endpoint reports it as unknown.
    const segments = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)] : [key];
    assign(root, segments, value, segments[0]!);
  }
  return arraysFromIndexedObjects(root) as QueryObject;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Invalid URL encoding in query string: ${text.slice(0, 40)}`);
  }
}

/** Marks objects built from `[]`/`[n]` segments so they become arrays once parsing is done. */
const INDEXED = Symbol('indexed');
type Container = QueryObject & { [INDEXED]?: boolean };

function assign(container: Container, segments: string[], value: string, topName: string): void {
  let node = container;
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i]!;
    const isLast = i === segments.length - 1;
    const isIndex = i > 0 && (segment === '' || /^\d+$/.test(segment));
    if (i > 0) {
      if (node[INDEXED] === undefined) node[INDEXED] = isIndex;
      else if (node[INDEXED] !== isIndex) throw invalidValue(topName, `Invalid parameter ${topName}: mixes array and hash syntax.`);
    }
    if (segment === '' && i > 0) segment = String(nextIndex(node));
    const existing = node[segment];
    if (isLast) {
      if (existing !== undefined && typeof existing !== 'string') {
        throw invalidValue(topName, `Invalid parameter ${topName}: given both as a value and as a hash or array.`);
      }
      node[segment] = value;
      return;
    }
    if (existing === undefined) {
      const child = Object.create(null) as Container;
      node[segment] = child;
      node = child;
    } else if (typeof existing === 'string') {
      throw invalidValue(topName, `Invalid parameter ${topName}: given both as a value and as a hash or array.`);
    } else {
      node = existing as Container;
    }
  }
}

function nextIndex(node: QueryObject): number {
  let next = 0;
  for (const key of Object.keys(node)) next = Math.max(next, Number(key) + 1);
  return next;
}

function arraysFromIndexedObjects(value: QueryValue): QueryValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const container = value as Container;
  if (container[INDEXED]) {
    return Object.keys(container)
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => arraysFromIndexedObjects(container[String(index)]!));
  }
  const out = Object.create(null) as QueryObject;
  for (const key of Object.keys(container)) out[key] = arraysFromIndexedObjects(container[key]!);
  return out;
}

// ---------------------------------------------------------------------------------------
// Validation

export interface CreatedRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type ParamKind =
  | { kind: 'string' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'stringArray' }
  | { kind: 'range' };

export type ParamSpec = Record<string, ParamKind>;

type ParsedParam<K extends ParamKind> = K extends { kind: 'string' | 'enum' }
  ? string
  : K extends { kind: 'integer' }
    ? number
    : K extends { kind: 'boolean' }
      ? boolean
      : K extends { kind: 'stringArray' }
        ? string[]
        : K extends { kind: 'range' }
          ? CreatedRange
          : never;

export type ParsedParams<S extends ParamSpec> = { [P in keyof S]?: ParsedParam<S[P]> };

export const param = {
  string: { kind: 'string' },
  boolean: { kind: 'boolean' },
  stringArray: { kind: 'stringArray' },
  range: { kind: 'range' },
  integer: (min?: number, max?: number) => ({ kind: 'integer' as const, min, max }),
  enumOf: (values: readonly string[]) => ({ kind: 'enum' as const, values }),
} as const;

/** Checks every parameter against `spec`; unknown names and bad values throw `ApiError`. */
export function validateParams<S extends ParamSpec>(query: QueryObject, spec: S): ParsedParams<S> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(query)) {
    const kind = spec[name];
    if (!Object.hasOwn(spec, name) || kind === undefined) throw unknownParameter(name);
    out[name] = parseParam(name, query[name]!, kind);
  }
  return out as ParsedParams<S>;
}

function parseParam(name: string, value: QueryValue, kind: ParamKind): unknown {
  switch (kind.kind) {
    case 'string':
      return requireString(name, value);
    case 'integer': {
      const n = parseInteger(name, requireString(name, value));
      if ((kind.min !== undefined && n < kind.min) || (kind.max !== undefined && n > kind.max)) {
        throw invalidRequest(`Invalid ${name}: must be between ${kind.min} and ${kind.max}`, {
          code: 'parameter_invalid_integer',
          param: name,
        });
      }
      return n;
    }
    case 'boolean': {
      const text = requireString(name, value);
      if (text !== 'true' && text !== 'false') throw invalidValue(name, `Invalid boolean: ${text}`);
      return text === 'true';
    }
    case 'enum': {
      const text = requireString(name, value);
      if (!kind.values.includes(text)) {
        throw invalidValue(name, `Invalid ${name}: must be one of ${kind.values.join(', ')}`);
      }
      return text;
    }
    case 'stringArray': {
      if (!Array.isArray(value)) throw invalidValue(name, `Invalid array: ${name} must be sent as ${name}[]=...`);
      return value.map((entry, i) => requireString(`${name}[${i}]`, entry));
    }
    case 'range':
      return parseRange(name, value);
  }
}

function requireString(name: string, value: QueryValue): string {
  if (typeof value !== 'string') throw invalidValue(name, `Invalid string: ${name} must be a plain value`);
  if (value === '') throw emptyParameter(name);
  return value;
}

function parseInteger(name: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw invalidInteger(name, text);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalidInteger(name, text);
  return n;
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

function parseRange(name: string, value: QueryValue): CreatedRange {
  if (typeof value === 'string') {
    const exact = parseInteger(name, requireString(name, value));
    return { gte: exact, lte: exact };
  }
  if (Array.isArray(value)) throw invalidValue(name, `Invalid hash: ${name} must be an integer or a hash of gt, gte, lt, lte`);
  const range: CreatedRange = {};
  for (const key of Object.keys(value)) {
    if (!(RANGE_KEYS as readonly string[]).includes(key)) throw unknownParameter(`${name}[${key}]`);
    const sub = `${name}[${key}]`;
    range[key as (typeof RANGE_KEYS)[number]] = parseInteger(sub, requireString(sub, value[key]!));
  }
  return range;
}
