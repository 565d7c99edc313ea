import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  StripeAccountFile,
  WireCoupon,
  WireDiscount,
  WirePrice,
  WireProduct,
  WireSubscription,
  WireSubscriptionItem,
  WireSubscriptionStatus,
} from '../../../src/sources/stripe/wire.js';
import { loadAccountFile, startStripeServer, type RunningStripeServer } from './index.js';

const KEY = 'sk_test_kpi_valid';
const T0 = 1_700_000_000;

// ---------------------------------------------------------------------------------------
// A small account: 4 products, 5 prices (one tiered), 3 coupons (one with applies_to, one
// deleted), 30 customers, 30 subscriptions in mixed statuses plus one with 25 items.

function product(id: string, created: number, active = true): WireProduct {
  return { id, object: 'product', name: id, active, created };
}

function price(id: string, productId: string, created: number, extra: Partial<WirePrice> = {}): WirePrice {
  return {
    id,
    object: 'price',
    active: true,
    currency: 'usd',
    product: productId,
    type: 'recurring',
    recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    billing_scheme: 'per_unit',
    tiers_mode: null,
    tiers: [],
    unit_amount: 1000,
    unit_amount_decimal: '1000',
    transform_quantity: null,
    created,
    ...extra,
  };
}

function coupon(id: string, created: number, extra: Partial<WireCoupon> = {}): WireCoupon {
  return {
    id,
    object: 'coupon',
    percent_off: 10,
    amount_off: null,
    currency: null,
    duration: 'forever',
    duration_in_months: null,
    applies_to: { products: [] },
    valid: true,
    created,
    ...extra,
  };
}

function discount(id: string, c: WireCoupon, subscription: string, item: string | null = null): WireDiscount {
  return {
    id,
    object: 'discount',
    source: { type: 'coupon', coupon: c },
    start: T0,
    end: null,
    customer: null,
    subscription,
    subscription_item: item,
  };
}

const PRODUCTS = [
  product('prod_basic', T0 + 1),
  product('prod_pro', T0 + 2),
  product('prod_seats', T0 + 3),
  product('prod_old', T0 + 4, false),
];
const PRICE_BASIC = price('price_basic', 'prod_basic', T0 + 10);
const PRICE_SEATS = price('price_seats', 'prod_seats', T0 + 11, {
  billing_scheme: 'tiered',
  tiers_mode: 'graduated',
  unit_amount: null,
  unit_amount_decimal: null,
  tiers: [
    { up_to: 10, unit_amount: 500, unit_amount_decimal: '500', flat_amount: null, flat_amount_decimal: null },
    { up_to: null, unit_amount: 300, unit_amount_decimal: '300', flat_amount: null, flat_amount_decimal: null },
  ],
});
const PRICES = [
  PRICE_BASIC,
  PRICE_SEATS,
  price('price_pro_yearly', 'prod_pro', T0 + 12, {
    currency: 'eur',
    recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed' },
  }),
  price('price_old', 'prod_old', T0 + 13, { active: false }),
  price('price_setup', 'prod_basic', T0 + 14, { type: 'one_time', recurring: null }),
];
const COUPON_PRO = coupon('co_pro10', T0 + 20, { applies_to: { products: ['prod_pro'] } });
const COUPON_FIVE = coupon('co_five', T0 + 21, { percent_off: null, amount_off: 500, currency: 'usd' });
const COUPON_GONE = coupon('co_gone', T0 + 22, { percent_off: 50, deleted: true, valid: false });

const STATUSES: WireSubscriptionStatus[] = [
  'active',
  'active',
  'active',
  'past_due',
  'trialing',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'unpaid',
  'paused',
];

function item(id: string, subscription: string, p: WirePrice, created: number, discounts: WireDiscount[] = []): WireSubscriptionItem {
  return {
    id,
    object: 'subscription_item',
    price: p,
    quantity: 1,
    discounts,
    subscription,
    current_period_start: created,
    current_period_end: created + 2_592_000,
    created,
  };
}

function subscription(
  id: string,
  index: number,
  created: number,
  items: WireSubscriptionItem[],
  discounts: WireDiscount[] = [],
): WireSubscription {
  return {
    id,
    object: 'subscription',
    customer: `cus_${String(index).padStart(2, '0')}`,
    status: STATUSES[index % STATUSES.length]!,
    currency: 'usd',
    created,
    start_date: created,
    trial_start: null,
    trial_end: null,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    discounts,
  };
}

function buildAccount(): StripeAccountFile {
  const subscriptions: WireSubscription[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `sub_${String(i).padStart(2, '0')}`;
    // sub_04 and sub_05 share a timestamp: the id must break the tie.
    const created = T0 + 1000 + (i === 5 ? 4 : i) * 100;
    const p = i % 3 === 0 ? PRICE_SEATS : PRICE_BASIC;
    const itemDiscounts = i === 3 ? [discount('di_item3', COUPON_FIVE, id, `si_${i}_0`)] : [];
    const discounts =
      i === 1 ? [discount('di_sub1', COUPON_PRO, id)] : i === 2 ? [discount('di_sub2', COUPON_GONE, id)] : [];
    subscriptions.push(subscription(id, i, created, [item(`si_${i}_0`, id, p, created, itemDiscounts)], discounts));
  }
  const bigItems = Array.from({ length: 25 }, (_, n) =>
    item(`si_big_${String(n).padStart(2, '0')}`, 'sub_big', PRICE_BASIC, T0 + 5000 + n),
  );
  subscriptions.push(subscription('sub_big', 30, T0 + 5000, bigItems));
  return {
    object: 'kpi.stripe_account',
    version: 1,
    as_of: T0 + 10_000,
    livemode: false,
    products: PRODUCTS,
    prices: PRICES,
    coupons: [COUPON_PRO, COUPON_FIVE, COUPON_GONE],
    customers: Array.from({ length: 31 }, (_, i) => ({
      id: `cus_${String(i).padStart(2, '0')}`,
      object: 'customer' as const,
      created: T0 + i,
    })),
    subscriptions,
  };
}

const ACCOUNT = buildAccount();
const ALL_SUBSCRIPTIONS = ACCOUNT.subscriptions;

/** Newest first, ties by id descending: the order the server promises. */
function expectedOrder(subs: readonly WireSubscription[]): string[] {
  return [...subs].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1)).map((s) => s.id);
}

// ---------------------------------------------------------------------------------------

let server: RunningStripeServer;
let stripe: Stripe;

function sdk(key = KEY): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0 });
}

async function get(path: string, key: string | null = KEY): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), headers: response.headers };
}

beforeAll(async () => {
  server = await startStripeServer({ account: ACCOUNT });
  stripe = sdk();
});

afterAll(async () => {
  await server.close();
});

describe('lists and pagination', () => {
  it('auto-pagination with the SDK yields every subscription exactly once, newest first', async () => {
    const before = server.requests.length;
    const all = await stripe.subscriptions.list({ status: 'all', limit: 7 }).autoPagingToArray({ limit: 1000 });
    const ids = all.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expectedOrder(ALL_SUBSCRIPTIONS));
    // 31 subscriptions at 7 per page: 5 pages, the later ones using starting_after.
    const pages = server.requests.slice(before);
    expect(pages).toHaveLength(5);
    expect(pages[1]!.query).toMatchObject({ starting_after: ids[6], limit: '7', status: 'all' });
    // sub_04 and sub_05 share a timestamp; the higher id comes first.
    expect(ids.indexOf('sub_04')).toBe(ids.indexOf('sub_05') + 1);
  });

  it('returns the page immediately before an ending_before cursor, still newest first', async () => {
    const first = await stripe.subscriptions.list({ status: 'all', limit: 5 });
    const second = await stripe.subscriptions.list({ status: 'all', limit: 5, starting_after: first.data.at(-1)!.id });
    const back = await stripe.subscriptions.list({ status: 'all', limit: 5, ending_before: second.data[0]!.id });
    expect(back.data.map((s) => s.id)).toEqual(first.data.map((s) => s.id));
    expect(back.has_more).toBe(false);

    const partial = await stripe.subscriptions.list({ status: 'all', limit: 3, ending_before: second.data[0]!.id });
    expect(partial.data.map((s) => s.id)).toEqual(first.data.slice(2).map((s) => s.id));
    expect(partial.has_more).toBe(true);
  });

  it('rejects unknown cursors and combined cursors', async () => {
    const unknown = await get('/v1/subscriptions?starting_after=sub_nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'starting_after' });
    const both = await get('/v1/subscriptions?starting_after=sub_01&ending_before=sub_02');
    expect(both.status).toBe(400);
  });

  it('wraps lists in Stripe list objects with a default limit of 10', async () => {
    const { body } = await get('/v1/subscriptions?status=all');
    expect(body).toMatchObject({ object: 'list', has_more: true, url: '/v1/subscriptions' });
    expect(body.data).toHaveLength(10);
  });
});

describe('filters', () => {
  async function idsFor(params: Stripe.SubscriptionListParams): Promise<string[]> {
    const all = await stripe.subscriptions.list({ limit: 100, ...params }).autoPagingToArray({ limit: 1000 });
    return all.map((s) => s.id);
  }

  it('without status returns everything that is not canceled', async () => {
    const ids = await idsFor({});
    expect(ids).toEqual(expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.status !== 'canceled')));
    expect(ids).toContain('sub_07'); // incomplete_expired is not canceled
  });

  it('filters by each status, by ended and by all', async () => {
    for (const status of ['active', 'past_due', 'trialing', 'incomplete', 'incomplete_expired', 'unpaid', 'canceled', 'paused'] as const) {
      expect(await idsFor({ status })).toEqual(expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.status === status)));
    }
    expect(await idsFor({ status: 'ended' })).toEqual(
      expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.status === 'canceled' || s.status === 'incomplete_expired')),
    );
    expect(await idsFor({ status: 'all' })).toHaveLength(ALL_SUBSCRIPTIONS.length);
  });

  it('filters by created range and exact created', async () => {
    const gte = T0 + 1500;
    const lt = T0 + 2500;
    expect(await idsFor({ status: 'all', created: { gte, lt } })).toEqual(
      expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.created >= gte && s.created < lt)),
    );
    expect(await idsFor({ status: 'all', created: { gt: T0 + 3000 } })).toEqual(
      expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.created > T0 + 3000)),
    );
    expect(await idsFor({ status: 'all', created: T0 + 1400 })).toEqual(['sub_05', 'sub_04']);
  });

  it('filters by price and customer, combined with status', async () => {
    expect(await idsFor({ status: 'all', price: 'price_seats' })).toEqual(
      expectedOrder(ALL_SUBSCRIPTIONS.filter((s) => s.items.data[0]!.price.id === 'price_seats')),
    );
    expect(await idsFor({ customer: 'cus_05' })).toEqual([]); // sub_05 is canceled
    expect(await idsFor({ customer: 'cus_05', status: 'canceled' })).toEqual(['sub_05']);
  });

  it('filters products and prices', async () => {
    const products = await stripe.products.list({ ids: ['prod_pro', 'prod_basic', 'prod_missing'] });
    expect(products.data.map((p) => p.id)).toEqual(['prod_pro', 'prod_basic']);
    expect((await stripe.products.list({ active: false })).data.map((p) => p.id)).toEqual(['prod_old']);
    expect((await stripe.prices.list({ product: 'prod_basic' })).data.map((p) => p.id)).toEqual(['price_setup', 'price_basic']);
    expect((await stripe.prices.list({ type: 'one_time' })).data.map((p) => p.id)).toEqual(['price_setup']);
    expect((await stripe.prices.list({ currency: 'eur' })).data.map((p) => p.id)).toEqual(['price_pro_yearly']);
    expect((await stripe.prices.list({ active: true })).data).toHaveLength(4);
  });
});

describe('shapes and expansion', () => {
  it('collapses expandable fields by default', async () => {
    const prices = await get('/v1/prices?limit=100');
    const seats = prices.body.data.find((p: { id: string }) => p.id === 'price_seats');
    expect(seats).not.toHaveProperty('tiers');
    expect(seats.product).toBe('prod_seats');

    const coupons = await get('/v1/coupons');
    expect(coupons.body.data.map((c: { id: string }) => c.id)).toEqual(['co_five', 'co_pro10']);
    expect(coupons.body.data[1]).not.toHaveProperty('applies_to');

    const sub1 = await get('/v1/subscriptions/sub_01');
    expect(sub1.body.discounts).toEqual(['di_sub1']);
    expect(sub1.body.customer).toBe('cus_01');
    expect(sub1.body.items.data[0].price).toMatchObject({ id: 'price_basic', product: 'prod_basic' });
    expect(sub1.body.items.data[0].price).not.toHaveProperty('tiers');

    const sub3 = await get('/v1/subscriptions/sub_03');
    expect(sub3.body.items.data[0].discounts).toEqual(['di_item3']);
  });

  it('expands tiers, applies_to, discounts with coupons, customers and products', async () => {
    const prices = await stripe.prices.list({ expand: ['data.tiers', 'data.product'], limit: 100 });
    const seats = prices.data.find((p) => p.id === 'price_seats')!;
    expect(seats.tiers).toHaveLength(2);
    expect(seats.product).toMatchObject({ id: 'prod_seats', object: 'product' });

    const coupons = await stripe.coupons.list({ expand: ['data.applies_to'] });
    expect(coupons.data.find((c) => c.id === 'co_pro10')!.applies_to).toEqual({ products: ['prod_pro'] });

    const subs = await get(
      '/v1/subscriptions?status=all&limit=100&expand[0]=data.discounts.source.coupon&expand[1]=data.customer' +
        '&expand[2]=data.items.data.discounts&expand[]=data.items.data.price',
    );
    expect(subs.status).toBe(200);
    const byId = new Map<string, any>(subs.body.data.map((s: { id: string }) => [s.id, s]));
    expect(byId.get('sub_01').customer).toMatchObject({ id: 'cus_01', object: 'customer' });
    expect(byId.get('sub_01').discounts[0].source.coupon).toMatchObject({ id: 'co_pro10', percent_off: 10 });
    expect(byId.get('sub_01').discounts[0].source.coupon).not.toHaveProperty('applies_to');
    // The deleted coupon no longer lists, but stays attached to its discount.
    const gone = byId.get('sub_02').discounts[0].source.coupon;
    expect(gone).toMatchObject({ id: 'co_gone', percent_off: 50 });
    expect(gone).not.toHaveProperty('deleted');
    // Item discounts expanded, but their coupon only as an id.
    expect(byId.get('sub_03').items.data[0].discounts[0]).toMatchObject({ id: 'di_item3', source: { coupon: 'co_five' } });

    const onlyDiscounts = await stripe.subscriptions.retrieve('sub_01', { expand: ['discounts'] });
    expect((onlyDiscounts.discounts[0] as Stripe.Discount).source.coupon).toBe('co_pro10');
  });

  it('allows four levels on a retrieve and on subscription items', async () => {
    const sub = await stripe.subscriptions.retrieve('sub_00', { expand: ['items.data.price.tiers'] });
    expect(sub.items.data[0]!.price.tiers).toHaveLength(2);
    const items = await stripe.subscriptionItems.list({
      subscription: 'sub_03',
      expand: ['data.price.tiers', 'data.discounts.source.coupon'],
    });
    expect(items.data[0]!.price.tiers).toHaveLength(2);
    expect(((items.data[0]!.discounts[0] as Stripe.Discount).source.coupon as Stripe.Coupon).amount_off).toBe(500);
  });

  it('rejects paths deeper than four levels', async () => {
    for (const path of ['data.items.data.price.tiers', 'data.items.data.price.product']) {
      const { status, body } = await get(`/v1/subscriptions?expand[]=${path}`);
      expect(status).toBe(400);
      expect(body.error).toEqual({
        type: 'invalid_request_error',
        message: `You cannot expand more than 4 levels of a property. Property: ${path}`,
        param: 'expand',
      });
    }
    await expect(stripe.subscriptions.list({ expand: ['data.items.data.price.tiers'] })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('rejects paths naming fields that cannot be expanded', async () => {
    for (const path of ['data.foo', 'data.items', 'tiers', 'data.status']) {
      const { status, body } = await get(`/v1/subscriptions?expand[]=${path}`);
      expect(status).toBe(400);
      expect(body.error.message).toBe(`This property cannot be expanded (${path}).`);
    }
  });

  it('embeds the first 20 items and lists the rest through subscription_items', async () => {
    const big = await stripe.subscriptions.retrieve('sub_big');
    expect(big.items.data).toHaveLength(20);
    expect(big.items.has_more).toBe(true);
    expect(big.items).toMatchObject({ total_count: 25, url: '/v1/subscription_items?subscription=sub_big' });

    const all = await stripe.subscriptionItems.list({ subscription: 'sub_big', limit: 10 }).autoPagingToArray({ limit: 100 });
    expect(all.map((i) => i.id)).toEqual(
      Array.from({ length: 25 }, (_, n) => `si_big_${String(24 - n).padStart(2, '0')}`),
    );
    // The embedded page is the first page of that list, so its last id is a valid cursor.
    const rest = await stripe.subscriptionItems.list({ subscription: 'sub_big', starting_after: big.items.data.at(-1)!.id });
    expect([...big.items.data, ...rest.data].map((i) => i.id)).toEqual(all.map((i) => i.id));

    const missing = await get('/v1/subscription_items');
    expect(missing.body.error).toMatchObject({ code: 'parameter_missing', param: 'subscription' });
  });
});

describe('errors', () => {
  it('rejects unknown parameters and invalid values', async () => {
    const unknown = await get('/v1/subscriptions?plan=x');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'plan',
      message: 'Received unknown parameter: plan',
    });
    expect(unknown.headers.get('request-id')).toMatch(/^req_/);
    expect(unknown.headers.get('content-type')).toContain('application/json');

    await expect(stripe.products.list({ color: 'red' } as Stripe.ProductListParams)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
      param: 'color',
    });
    expect((await get('/v1/subscriptions?created[since]=1')).body.error.param).toBe('created[since]');
    expect((await get('/v1/products?limit=0')).body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'limit' });
    expect((await get('/v1/products?limit=101')).body.error.param).toBe('limit');
    expect((await get('/v1/products?limit=ten')).body.error).toMatchObject({ code: 'parameter_invalid_integer', param: 'limit' });
    expect((await get('/v1/subscriptions?status=live')).body.error.param).toBe('status');
    expect((await get('/v1/subscriptions?created[gte]=soon')).body.error.code).toBe('parameter_invalid_integer');
  });

  it('answers 404 for unknown ids, deleted coupons and unknown paths', async () => {
    const missing = await get('/v1/subscriptions/sub_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'resource_missing', param: 'id', message: "No such subscription: 'sub_nope'" });
    expect((await get('/v1/coupons/co_gone')).status).toBe(404);
    expect((await get('/v1/coupons/co_five')).status).toBe(200);
    const path = await get('/v1/invoices');
    expect(path.status).toBe(404);
    expect(path.body.error.code).toBe('resource_missing');
  });

  it('answers 401 with a redacted key for unknown or missing keys', async () => {
    const wrongKey = 'sk_test_thisIsNotTheRightKey9876';
    const wrong = await get('/v1/products', wrongKey);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Invalid API Key provided: sk_test_****9876');
    expect(JSON.stringify(wrong.body)).not.toContain(wrongKey);
    expect(JSON.stringify(wrong.body)).not.toContain('thisIsNotTheRightKey');

    const missing = await get('/v1/products', null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/^You did not provide an API key/);

    await expect(sdk(wrongKey).products.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/products', status: 401, authorized: false });
  });

  it('answers GET /v1/account with the account, and 403 to a restricted key', async () => {
    const account = await stripe.accounts.retrieveCurrent();
    expect(account).toMatchObject({ id: 'acct_1KpiTestServer0001', object: 'account' });
    const restrictedKey = 'rk_test_restrictedKey0000abcd';
    server.setOptions({ apiKeys: [KEY, restrictedKey], accountId: 'acct_1Other' });
    try {
      const denied = await get('/v1/account', restrictedKey);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain("The provided key 'rk_test_****abcd' does not have the required permissions for this endpoint on account 'acct_1Other'");
      expect(JSON.stringify(denied.body)).not.toContain(restrictedKey);
      await expect(sdk(restrictedKey).accounts.retrieveCurrent()).rejects.toBeInstanceOf(Stripe.errors.StripePermissionError);
    } finally {
      server.setOptions({ apiKeys: undefined, accountId: undefined });
    }
  });

  it('rejects anything but GET, and records it', async () => {
    const response = await fetch(`${server.url}/v1/products`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Sneaky',
    });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/products', status: 405, authorized: true });
    await expect(stripe.products.del('prod_basic')).rejects.toBeInstanceOf(Stripe.errors.StripeError);
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 405 });
  });
});

describe('simulated trouble', () => {
  it('rate-limits with 429 and the global-rate reason', async () => {
    // One token per second: the burst below and the SDK call right after it both run dry.
    const limited = await startStripeServer({ account: ACCOUNT, rateLimitPerSecond: 1 });
    try {
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${limited.url}/v1/products`, { headers: { Authorization: `Bearer ${KEY}` } })),
      );
      const rejected = responses.filter((r) => r.status === 429);
      expect(rejected.length).toBeGreaterThanOrEqual(4);
      expect(rejected[0]!.headers.get('stripe-rate-limited-reason')).toBe('global-rate');
      expect(rejected[0]!.headers.has('stripe-should-retry')).toBe(false);
      expect(((await rejected[0]!.json()) as { error: unknown }).error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });

      const client = new Stripe(KEY, { host: '127.0.0.1', port: limited.port, protocol: 'http', maxNetworkRetries: 0 });
      await expect(client.products.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);

      limited.setOptions({ rateLimitPerSecond: undefined });
      expect((await client.products.list()).object).toBe('list');
    } finally {
      await limited.close();
    }
  });

  it('injects reproducible faults from a seed', async () => {
    async function run(): Promise<string[]> {
      const faulty = await startStripeServer({ account: ACCOUNT, faults: { rate: 0.5, kinds: ['500', 'reset', 'truncated'], seed: 7 } });
      const outcomes: string[] = [];
      try {
        for (let i = 0; i < 16; i++) {
          try {
            const response = await fetch(`${faulty.url}/v1/products`, { headers: { Authorization: `Bearer ${KEY}` } });
            const text = await response.text();
            try {
              JSON.parse(text);
              outcomes.push(String(response.status));
            } catch {
              outcomes.push('truncated');
            }
          } catch {
            outcomes.push('reset');
          }
        }
        expect(faulty.requests.map((r) => r.status)).toEqual(outcomes.map((o) => (o === 'reset' ? 0 : o === 'truncated' ? 200 : Number(o))));
      } finally {
        await faulty.close();
      }
      return outcomes;
    }
    const first = await run();
    expect(first).toEqual(await run());
    expect(new Set(first)).toEqual(new Set(['200', '500', 'reset', 'truncated']));
  });

  it('surfaces each fault kind through the SDK', async () => {
    // `reset` would surface as StripeConnectionError, but only after the SDK's one built-in
    // retry of closed connections (it retries ECONNRESET even with maxNetworkRetries: 0,
    // so a reset costs two requests) and its ~0.5 s back-off; the fetch test covers it.
    const expected = { '500': Stripe.errors.StripeAPIError, truncated: Stripe.errors.StripeAPIError };
    for (const [kind, errorClass] of Object.entries(expected)) {
      const faulty = await startStripeServer({ account: ACCOUNT, faults: { rate: 1, kinds: [kind as '500' | 'reset' | 'truncated'] } });
      try {
        const client = new Stripe(KEY, { host: '127.0.0.1', port: faulty.port, protocol: 'http', maxNetworkRetries: 0 });
        await expect(client.products.list()).rejects.toBeInstanceOf(errorClass);
      } finally {
        await faulty.close();
      }
    }
  });

  it('adds latency and serves hundreds of concurrent requests', async () => {
    server.setOptions({ latencyMs: 30 });
    try {
      const started = performance.now();
      const bodies = await Promise.all(
        Array.from({ length: 200 }, (_, i) => get(`/v1/subscriptions?status=all&limit=3&starting_after=sub_${String(i % 30).padStart(2, '0')}`)),
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      expect(bodies.every((b) => b.status === 200 && b.body.object === 'list')).toBe(true);
    } finally {
      server.setOptions({ latencyMs: 0 });
    }
  });
});

describe('loadAccountFile', () => {
  it('reads an account file and rejects other JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-server-'));
    try {
      const good = join(dir, 'account.json');
      writeFileSync(good, JSON.stringify(ACCOUNT));
      expect(loadAccountFile(good).subscriptions).toHaveLength(ALL_SUBSCRIPTIONS.length);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ object: 'list' }));
      expect(() => loadAccountFile(bad)).toThrow(/not a Stripe account file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
