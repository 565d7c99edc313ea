/**
 * `expand[]` handling. The account file stores every object fully expanded; responses are
 * produced by collapsing what the request did not expand, following a per-object schema
 * of expandable fields. Expand paths are validated against the same schema up front, so
 * a bad path fails the same way whether or not any object on the page has that field.
 */
import type { AccountStore } from './store.js';
import { invalidRequest, type ApiError } from './errors.js';

export type ObjectKind =
  | 'product'
  | 'price'
  | 'coupon'
  | 'discount'
  | 'customer'
  | 'subscription'
  | 'subscription_item';

type AnyObject = Record<string, unknown> & { id: string };

export interface RenderContext {
  store: AccountStore;
  embeddedItemsLimit: number;
  /** The key the request was made with (already authenticated), and the account it reads. */
  apiKey?: string;
  accountId?: string;
}

type Field =
  /** Left out of the response unless expanded (Stripe calls these "includable"). */
  | { type: 'includable' }
  /** Always present; naming it in expand[] is accepted and changes nothing. */
  | { type: 'alwaysPresent' }
  /** An id string unless expanded. */
  | { type: 'reference'; target: ObjectKind }
  /** An array of id strings unless expanded. */
  | { type: 'references'; target: ObjectKind }
  /** Always a full object; expand paths may walk through it. */
  | { type: 'embedded'; target: ObjectKind }
  /** A nested list object (`{object:'list', data}`); paths continue through `.data`. */
  | { type: 'list'; target: ObjectKind; entries: (ctx: RenderContext, parent: AnyObject) => readonly object[]; url: (parent: AnyObject) => string }
  /** A plain sub-hash that is not itself expandable, e.g. a discount's `source`. */
  | { type: 'hash'; fields: Fields }
  /**
   * Includable, and a hash keyed by currency whose values have fields of their own: a
   * price's `currency_options`. Paths name the key (`currency_options.eur.tiers`, Stripe's
   * "expand the `<currency>.tiers` field"), and only that currency's field comes. Any key is
   * accepted, as Stripe does: `currency_options.tiers` names a currency "tiers" and
   * expands nothing.
   */
  | { type: 'includableByKey'; fields: Fields };

type Fields = Readonly<Record<string, Field>>;

const SCHEMAS: Readonly<Record<ObjectKind, Fields>> = {
  product: {},
  customer: {},
  price: {
    tiers: { type: 'includable' },
    currency_options: { type: 'includableByKey', fields: { tiers: { type: 'includable' } } },
    product: { type: 'reference', target: 'product' },
  },
  coupon: {
    applies_to: { type: 'includable' },
    currency_options: { type: 'includable' },
  },
  discount: {
    source: { type: 'hash', fields: { coupon: { type: 'reference', target: 'coupon' } } },
  },
  subscription: {
    customer: { type: 'reference', target: 'customer' },
    discounts: { type: 'references', target: 'discount' },
    items: {
      type: 'list',
      target: 'subscription_item',
      entries: (ctx, parent) => ctx.store.itemsOf(parent.id),
      url: (parent) => `/v1/subscription_items?subscription=${parent.id}`,
    },
  },
  subscription_item: {
    price: { type: 'embedded', target: 'price' },
    discounts: { type: 'references', target: 'discount' },
  },
};

/** Fields of the account file that exist only for the server and never go over the wire. */
const SERVER_ONLY_FIELDS: Partial<Record<ObjectKind, readonly string[]>> = {
  coupon: ['deleted'],
};

export const MAX_EXPAND_DEPTH = 4;

/** Which fields to expand, as a tree of path segments relative to the response root. */
export type ExpandTree = ReadonlyMap<string, ExpandTree>;

/**
 * Validates `expand[]` for a response whose root is one `kind` object, or a list of them
 * (then every path must start with `data.`), and returns the tree for ONE object.
 */
export function parseExpand(paths: readonly string[], kind: ObjectKind, isList: boolean): ExpandTree {
  type MutableTree = Map<string, MutableTree>;
  const tree: MutableTree = new Map();
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_EXPAND_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property. Property: ${path}`, {
        param: 'expand',
      });
    }
    let start = 0;
    if (isList) {
      if (segments[0] !== 'data' || segments.length < 2) throw notExpandable(path);
      start = 1;
    }
    checkPath(SCHEMAS[kind], segments, start, path);
    let node = tree;
    for (const segment of segments.slice(start)) {
      let child = node.get(segment);
      if (!child) node.set(segment, (child = new Map()));
      node = child;
    }
  }
  return tree;
}

function checkPath(fields: Fields, segments: readonly string[], i: number, path: string): void {
  const segment = segments[i]!;
  const field = Object.hasOwn(fields, segment) ? fields[segment] : undefined;
  if (!field) throw notExpandable(path);
  const isLast = i === segments.length - 1;
  switch (field.type) {
    case 'includable':
    case 'alwaysPresent':
      if (!isLast) throw notExpandable(path);
      return;
    case 'reference':
    case 'references':
    case 'embedded':
      if (!isLast) checkPath(SCHEMAS[field.target], segments, i + 1, path);
      return;
    case 'hash':
      if (isLast) throw notExpandable(path);
      checkPath(field.fields, segments, i + 1, path);
      return;
    case 'includableByKey':
      // segments[i + 1] is the key; a path may end there (it expands nothing more).
      if (i + 2 < segments.length) checkPath(field.fields, segments, i + 2, path);
      return;
    case 'list':
      // The list itself and its `data` array are not expandable, only what lies inside.
      if (segments[i + 1] !== 'data' || i + 2 >= segments.length) throw notExpandable(path);
      checkPath(SCHEMAS[field.target], segments, i + 2, path);
      return;
  }
}

function notExpandable(path: string): ApiError {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}

/** The wire shape of one stored (fully expanded) object under the given expand tree. */
export function renderObject(kind: ObjectKind, object: object, tree: ExpandTree | undefined, ctx: RenderContext): AnyObject {
  const source = object as AnyObject;
  const out: AnyObject = { ...source };
  for (const hidden of SERVER_ONLY_FIELDS[kind] ?? []) delete out[hidden];
  renderFields(SCHEMAS[kind], source, out, tree, ctx);
  return out;
}

function renderFields(fields: Fields, source: AnyObject, out: Record<string, unknown>, tree: ExpandTree | undefined, ctx: RenderContext): void {
  for (const [name, field] of Object.entries(fields)) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    const sub = tree?.get(name);
    switch (field.type) {
      case 'includable':
        if (!sub) delete out[name];
        break;
      case 'alwaysPresent':
        break;
      case 'reference':
        out[name] = renderReference(field.target, value, sub, ctx);
        break;
      case 'references':
        out[name] = Array.isArray(value) ? value.map((entry) => renderReference(field.target, entry, sub, ctx)) : value;
        break;
      case 'embedded':
        out[name] = isObject(value) ? renderObject(field.target, value, sub, ctx) : value;
        break;
      case 'includableByKey':
        if (!sub) delete out[name];
        else if (isObject(value)) {
          out[name] = Object.fromEntries(
            Object.entries(value).map(([key, entry]) => {
              if (!isObject(entry)) return [key, entry];
              const rendered: Record<string, unknown> = { ...entry };
              renderFields(field.fields, entry as AnyObject, rendered, sub.get(key), ctx);
              return [key, rendered];
            }),
          );
        }
        break;
      case 'hash':
        if (isObject(value)) {
          const hash: Record<string, unknown> = { ...value };
          renderFields(field.fields, value as AnyObject, hash, sub, ctx);
          out[name] = hash;
        }
        break;
      case 'list': {
        const entries = field.entries(ctx, source);
        const limit = ctx.embeddedItemsLimit;
        const itemTree = sub?.get('data');
        out[name] = {
          object: 'list',
          data: entries.slice(0, limit).map((entry) => renderObject(field.target, entry, itemTree, ctx)),
          has_more: entries.length > limit,
          total_count: entries.length,
          url: field.url(source),
        };
        break;
      }
    }
  }
}

function renderReference(target: ObjectKind, value: unknown, tree: ExpandTree | undefined, ctx: RenderContext): unknown {
  if (value === null || value === undefined) return value;
  const id = typeof value === 'string' ? value : isObject(value) && typeof value.id === 'string' ? value.id : undefined;
  if (id === undefined) return value;
  if (!tree) return id;
  const object = isObject(value) ? value : resolve(target, id, ctx.store);
  return object ? renderObject(target, object, tree, ctx) : id;
}

function resolve(kind: ObjectKind, id: string, store: AccountStore): object | undefined {
  switch (kind) {
    case 'product':
      return store.products.byId.get(id);
    case 'price':
      return store.prices.byId.get(id);
    case 'coupon':
      return store.couponsIncludingDeleted.get(id);
    case 'discount':
      return store.discounts.get(id);
    case 'subscription':
      return store.subscriptions.byId.get(id);
    case 'subscription_item':
      return store.subscriptionItems.get(id);
    case 'customer':
      // Stripe expands a reference to a deleted customer into this stub.
      return store.customers.byId.get(id) ?? { id, object: 'customer', deleted: true };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
