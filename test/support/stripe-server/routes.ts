/**
 * The read-only endpoints: which parameters each accepts, which pre-sorted array serves
 * it, and which residual filter applies. Handlers return the JSON payload or throw
 * `ApiError`; they know nothing about HTTP.
 */
import type { WireSubscription } from '../../../src/sources/stripe/wire.js';
import { invalidRequest, noSuchObject, unrecognizedUrl, missingParameter, permissionDenied } from './errors.js';
import { parseExpand, renderObject, type ObjectKind, type RenderContext } from './expand.js';
import { paginate, sortNewestFirst, type Listable } from './pagination.js';
import { param, validateParams, type CreatedRange, type ParamSpec, type ParsedParams, type QueryObject } from './query.js';
import { SUBSCRIPTION_STATUS_FILTERS, customerIdOf, statusesSelectedBy, type SubscriptionStatusFilter } from './store.js';

export type Handler = (query: QueryObject, ctx: RenderContext) => unknown;

const LIST_PARAMS = {
  limit: param.integer(1, 100),
  starting_after: param.string,
  ending_before: param.string,
  expand: param.stringArray,
} satisfies ParamSpec;

const RETRIEVE_PARAMS = { expand: param.stringArray } satisfies ParamSpec;

const DEFAULT_LIMIT = 10;

/** Names as they appear in Stripe's "No such ...: 'id'" messages. */
const DISPLAY_NAMES: Record<ObjectKind, string> = {
  product: 'product',
  price: 'price',
  coupon: 'coupon',
  discount: 'discount',
  customer: 'customer',
  subscription: 'subscription',
  subscription_item: 'subscription item',
};

interface ListSource<T extends Listable> {
  kind: ObjectKind;
  url: string;
  /** Every object a cursor may name. */
  byId: ReadonlyMap<string, T>;
  /** The smallest pre-sorted array that contains every match. */
  sorted: readonly T[];
  where?: (item: T) => boolean;
}

function listPage<T extends Listable>(
  params: ParsedParams<typeof LIST_PARAMS> & { created?: CreatedRange },
  source: ListSource<T>,
  ctx: RenderContext,
): unknown {
  const tree = parseExpand(params.expand ?? [], source.kind, true);
  if (params.starting_after !== undefined && params.ending_before !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
      code: 'parameters_exclusive',
      param: 'ending_before',
    });
  }
  const cursor = (name: 'starting_after' | 'ending_before'): T | undefined => {
    const id = params[name];
    if (id === undefined) return undefined;
    const object = source.byId.get(id);
    if (!object) throw noSuchObject(DISPLAY_NAMES[source.kind], id, name, 400);
    return object;
  };
  const page = paginate(source.sorted, {
    limit: params.limit ?? DEFAULT_LIMIT,
    startingAfter: cursor('starting_after'),
    endingBefore: cursor('ending_before'),
    created: params.created,
    where: source.where,
  });
  return {
    object: 'list',
    data: page.data.map((object) => renderObject(source.kind, object, tree, ctx)),
    has_more: page.hasMore,
    url: source.url,
  };
}

function retrieve(kind: ObjectKind, id: string, byId: ReadonlyMap<string, object>, query: QueryObject, ctx: RenderContext): unknown {
  const params = validateParams(query, RETRIEVE_PARAMS);
  const tree = parseExpand(params.expand ?? [], kind, false);
  const object = byId.get(id);
  if (!object) throw noSuchObject(DISPLAY_NAMES[kind], id, 'id', 404);
  return renderObject(kind, object, tree, ctx);
}

const PRODUCT_LIST_PARAMS = { ...LIST_PARAMS, active: param.boolean, ids: param.stringArray, created: param.range } satisfies ParamSpec;
const PRICE_LIST_PARAMS = {
  ...LIST_PARAMS,
  active: param.boolean,
  product: param.string,
  type: param.enumOf(['one_time', 'recurring']),
  currency: param.string,
  created: param.range,
} satisfies ParamSpec;
const CREATED_LIST_PARAMS = { ...LIST_PARAMS, created: param.range } satisfies ParamSpec;
const SUBSCRIPTION_LIST_PARAMS = {
  ...LIST_PARAMS,
  status: param.enumOf(SUBSCRIPTION_STATUS_FILTERS),
  price: param.string,
  customer: param.string,
  created: param.range,
} satisfies ParamSpec;
const SUBSCRIPTION_ITEM_LIST_PARAMS = { ...LIST_PARAMS, subscription: param.string } satisfies ParamSpec;

const listHandlers: Record<string, Handler> = {
  products(query, ctx) {
    const params = validateParams(query, PRODUCT_LIST_PARAMS);
    const { products } = ctx.store;
    const sorted = params.ids
      ? sortNewestFirst(new Set(params.ids.flatMap((id) => products.byId.get(id) ?? [])))
      : products.sorted;
    const active = params.active;
    return listPage(params, {
      kind: 'product',
      url: '/v1/products',
      byId: products.byId,
      sorted,
      where: active === undefined ? undefined : (product) => product.active === active,
    }, ctx);
  },

  prices(query, ctx) {
    const params = validateParams(query, PRICE_LIST_PARAMS);
    const { active, product, type } = params;
    const currency = params.currency?.toLowerCase();
    const filters = [
      active !== undefined && ((p: { active: boolean }) => p.active === active),
      product !== undefined && ((p: { product: unknown }) => idOf(p.product) === product),
      type !== undefined && ((p: { type: string }) => p.type === type),
      currency !== undefined && ((p: { currency: string }) => p.currency === currency),
    ].filter((f) => f !== false);
    return listPage(params, {
      kind: 'price',
      url: '/v1/prices',
      byId: ctx.store.prices.byId,
      sorted: ctx.store.prices.sorted,
      where: filters.length === 0 ? undefined : (price) => filters.every((f) => f(price)),
    }, ctx);
  },

  coupons(query, ctx) {
    const params = validateParams(query, CREATED_LIST_PARAMS);
    const { coupons } = ctx.store;
    return listPage(params, { kind: 'coupon', url: '/v1/coupons', byId: coupons.byId, sorted: coupons.sorted }, ctx);
  },

  customers(query, ctx) {
    const params = validateParams(query, CREATED_LIST_PARAMS);
    const { customers } = ctx.store;
    return listPage(params, { kind: 'customer', url: '/v1/customers', byId: customers.byId, sorted: customers.sorted }, ctx);
  },

  subscriptions(query, ctx) {
    const params = validateParams(query, SUBSCRIPTION_LIST_PARAMS);
    const { store } = ctx;
    const status = params.status as SubscriptionStatusFilter | undefined;
    const { customer, price } = params;
    // Start from the narrowest pre-built array and filter only what it does not encode.
    let sorted: readonly WireSubscription[];
    const filters: Array<(s: WireSubscription) => boolean> = [];
    if (customer !== undefined) {
      sorted = store.subscriptionsOfCustomer(customer);
    } else if (price !== undefined) {
      sorted = store.subscriptionsWithPrice(price);
    } else {
      sorted = store.subscriptionsWithStatus(status);
    }
    if (customer !== undefined || price !== undefined) {
      const statuses = statusesSelectedBy(status);
      if (status !== 'all') filters.push((s) => statuses.has(s.status));
    }
    if (customer !== undefined && price !== undefined) {
      filters.push((s) => store.itemsOf(s.id).some((item) => item.price.id === price));
    }
    return listPage(params, {
      kind: 'subscription',
      url: '/v1/subscriptions',
      byId: store.subscriptions.byId,
      sorted,
      where: filters.length === 0 ? undefined : (s) => filters.every((f) => f(s)),
    }, ctx);
  },

  subscription_items(query, ctx) {
    const params = validateParams(query, SUBSCRIPTION_ITEM_LIST_PARAMS);
    if (params.subscription === undefined) throw missingParameter('subscription');
    const { store } = ctx;
    if (!store.subscriptions.byId.has(params.subscription)) {
      throw noSuchObject('subscription', params.subscription, 'subscription', 400);
    }
    return listPage(params, {
      kind: 'subscription_item',
      url: '/v1/subscription_items',
      byId: store.subscriptionItems,
      sorted: store.itemsOf(params.subscription),
    }, ctx);
  },
};

/** Endpoints that name one object without an id, like `GET /v1/account`. */
const singletonHandlers: Record<string, Handler> = {
  account(query, ctx) {
    validateParams(query, RETRIEVE_PARAMS);
    const accountId = ctx.accountId ?? 'acct_1KpiTestServer0001';
    if (ctx.apiKey?.startsWith('rk_')) throw permissionDenied(ctx.apiKey, accountId, 'rak_accounts_kyc_basic_read');
    return { id: accountId, object: 'account', type: 'standard', country: 'US', default_currency: 'usd', charges_enabled: true };
  },
};

const retrieveHandlers: Record<string, (id: string, query: QueryObject, ctx: RenderContext) => unknown> = {
  products: (id, query, ctx) => retrieve('product', id, ctx.store.products.byId, query, ctx),
  prices: (id, query, ctx) => retrieve('price', id, ctx.store.prices.byId, query, ctx),
  coupons: (id, query, ctx) => retrieve('coupon', id, ctx.store.coupons.byId, query, ctx),
  customers: (id, query, ctx) => retrieve('customer', id, ctx.store.customers.byId, query, ctx),
  subscriptions: (id, query, ctx) => retrieve('subscription', id, ctx.store.subscriptions.byId, query, ctx),
  subscription_items: (id, query, ctx) => retrieve('subscription_item', id, ctx.store.subscriptionItems, query, ctx),
};

const ROUTE_PATTERN = /^\/v1\/([a-z_]+)(?:\/([^/]+))?$/;

/** Finds the handler for a GET path; throws the 404 Stripe gives for unknown URLs. */
export function route(method: string, path: string): Handler {
  const match = ROUTE_PATTERN.exec(path);
  const resource = match?.[1];
  const rawId = match?.[2];
  if (resource !== undefined && rawId === undefined && Object.hasOwn(singletonHandlers, resource)) return singletonHandlers[resource]!;
  if (resource !== undefined && Object.hasOwn(listHandlers, resource)) {
    if (rawId === undefined) return listHandlers[resource]!;
    const retrieveHandler = retrieveHandlers[resource];
    const id = decodePathSegment(rawId);
    if (retrieveHandler && id !== undefined) return (query, ctx) => retrieveHandler(id, query, ctx);
  }
  throw unrecognizedUrl(method, path);
}

/** Whether a path names an endpoint at all; used to tell 404 from 405. */
export function isKnownPath(path: string): boolean {
  const resource = ROUTE_PATTERN.exec(path)?.[1];
  return resource !== undefined && (Object.hasOwn(listHandlers, resource) || Object.hasOwn(singletonHandlers, resource));
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function idOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'id' in value ? value.id : value;
}
