/**
 * Deterministic generator for the bundled demo Stripe account (a fictional FlowFuse-like
 * self-service SaaS). `generateDemoAccount()` returns the same structure that
 * `JSON.parse(fixtures/demo-account.json)` gives: every object is a fresh, fully expanded
 * plain-JSON value (no shared references), in Stripe's wire shapes (API 2026-10-28).
 *
 * Two phases, both O(N): plan every subscription (tier, status, flags, dates, coupons,
 * customer), then build the wire objects. See README.md in this folder for the contents.
 */
import type {
  StripeAccountFile,
  WireCoupon,
  WireCustomer,
  WireDiscount,
  WireList,
  WirePrice,
  WireSubscription,
  WireSubscriptionItem,
  WireSubscriptionStatus,
} from '../../src/sources/stripe/wire.js';
import { buildCatalog, copyPrice, BATCH_PRICE_COUNT, MILESTONES, type Catalog, type CouponKey } from './catalog.js';
import { assertDemoAccountInvariants } from './check.js';
import { IdFactory, Rng } from './prng.js';
import { addMonths, DAY, HOUR, periodContaining } from './time.js';

/** 2026-11-16T00:00:00Z: the demo account's "now". */
export const DEFAULT_AS_OF = Date.UTC(2026, 10, 16) / 1000;
export const DEFAULT_SUBSCRIPTIONS = 400;
export const DEFAULT_SEED = 42;

export interface GenerateDemoAccountOptions {
  /** Number of subscriptions (default 400). */
  subscriptions?: number;
  /** PRNG seed for everything but the catalog (default 42). */
  seed?: number;
  /** The account's "now" in unix seconds (default 2026-11-16T00:00:00Z). */
  asOf?: number;
  /** Run the invariant self-check before returning (default true). */
  check?: boolean;
}

/** Subscriptions are spread over the last ~3 years. */
const SPAN = 1096 * DAY;

/** Status shares (sum 1). Largest-remainder rounding gives exact counts. */
const STATUS_SHARES: Array<[WireSubscriptionStatus, number]> = [
  ['active', 0.8],
  ['past_due', 0.06],
  ['trialing', 0.05],
  ['canceled', 0.03],
  ['unpaid', 0.02],
  ['incomplete', 0.02],
  ['incomplete_expired', 0.01],
  ['paused', 0.01],
];

/** Statuses of subscriptions old enough to sit on legacy prices. */
const SETTLED: ReadonlySet<WireSubscriptionStatus> = new Set(['active', 'past_due', 'unpaid', 'canceled']);
/** Statuses that may carry a (still attached) discount in the demo. */
const DISCOUNTABLE: ReadonlySet<WireSubscriptionStatus> = new Set([
  'active',
  'past_due',
  'trialing',
  'unpaid',
  'incomplete',
  'paused',
]);

type Tier = 'starter' | 'pro' | 'enterprise';

interface Plan {
  tier: Tier;
  currency: 'usd' | 'eur';
  status: WireSubscriptionStatus;
  /** Forced to `active`: Enterprise, EUR and the >20-item subscriptions. */
  special: boolean;
  yearly: boolean;
  /** Starter on the inactive $15 price. */
  legacy: boolean;
  /** Pro carrying the archived "Team - Small Instance Add-On" price. */
  teamSmall: boolean;
  /** 1: platform + 24 batch items; 2: platform + 4 add-ons + 18 batch items. */
  big: 0 | 1 | 2;
  metered: boolean;
  mqttQty: number;
  deviceQty: number;
  /** Pro Small item carries the SMALLADDON10 item-level discount. */
  itemDiscount: boolean;
  created: number;
  trialStart: number | null;
  trialEnd: number | null;
  endedAt: number | null;
  canceledAt: number | null;
  cancelAt: number | null;
  cancelAtPeriodEnd: boolean;
  coupons: CouponKey[];
  /** Index of the plan whose customer this subscription shares (itself when alone). */
  customerOf: number;
}

function largestRemainder<K>(n: number, shares: Array<[K, number]>): Array<[K, number]> {
  const raw = shares.map(([k, share]) => [k, n * share] as const);
  const out: Array<[K, number]> = raw.map(([k, x]) => [k, Math.floor(x)]);
  let left = n - out.reduce((sum, [, c]) => sum + c, 0);
  const byFraction = raw
    .map(([, x], i) => [i, x - Math.floor(x)] as const)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of byFraction) {
    if (left <= 0) break;
    (out[i] as [K, number])[1] += 1;
    left--;
  }
  return out;
}

function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Age in seconds in [min, max), skewed towards recent (a growing business). */
function skewedAge(rng: Rng, min: number, max: number): number {
  return min + Math.floor((max - min) * Math.pow(rng.next(), 1.3));
}

// ---------------------------------------------------------------------------------------
// Phase 1: planning
// ---------------------------------------------------------------------------------------

function planSubscriptions(n: number, asOf: number, rng: Rng, catalog: Catalog, recentRng: Rng): Plan[] {
  const plans: Plan[] = range(n).map((i) => ({
    tier: 'starter',
    currency: 'usd',
    status: 'active',
    special: false,
    yearly: false,
    legacy: false,
    teamSmall: false,
    big: 0,
    metered: false,
    mqttQty: 0,
    deviceQty: 0,
    itemDiscount: false,
    created: asOf,
    trialStart: null,
    trialEnd: null,
    endedAt: null,
    canceledAt: null,
    cancelAt: null,
    cancelAtPeriodEnd: false,
    coupons: [],
    customerOf: i,
  }));
  const plan = (i: number): Plan => plans[i] as Plan;

  // -- roles: special subscriptions first, then Starter : Pro = 45 : 40 of the rest.
  const order = rng.shuffle(range(n));
  let cursor = 0;
  const take = (k: number): number[] => {
    const out = order.slice(cursor, cursor + k);
    cursor += out.length;
    return out;
  };
  for (const i of take(Math.round(n * 0.0125))) Object.assign(plan(i), { tier: 'enterprise', yearly: true, special: true });
  for (const i of take(Math.round(n * 0.01))) Object.assign(plan(i), { tier: 'starter', currency: 'eur', special: true });
  for (const i of take(Math.round(n * 0.01))) Object.assign(plan(i), { tier: 'pro', currency: 'eur', special: true });
  const bigs = take(n >= 100 ? 2 : 0);
  bigs.forEach((i, k) => Object.assign(plan(i), { tier: 'pro', big: k === 0 ? 1 : 2, special: true }));
  const rest = order.slice(cursor);
  const starterCount = Math.round((rest.length * 45) / 85);
  const starters = rest.slice(0, starterCount);
  const pros = rest.slice(starterCount);
  for (const i of pros) plan(i).tier = 'pro';

  // -- statuses: exact quotas, shuffled; special subscriptions are swapped onto `active`.
  const pool: WireSubscriptionStatus[] = [];
  for (const [status, count] of largestRemainder(n, STATUS_SHARES)) for (let k = 0; k < count; k++) pool.push(status);
  rng.shuffle(pool);
  pool.forEach((status, i) => (plan(i).status = status));
  let swap = 0;
  for (let i = 0; i < n; i++) {
    const p = plan(i);
    if (!p.special || p.status === 'active') continue;
    while (swap < n && (plan(swap).special || plan(swap).status !== 'active')) swap++;
    if (swap >= n) break;
    plan(swap).status = p.status;
    p.status = 'active';
  }

  // -- Starter flags: ~15% legacy $15 price (old subscriptions), ~10% yearly.
  {
    const list = rng.shuffle([...starters]);
    const legacyTarget = Math.round(list.length * 0.15);
    const yearlyTarget = Math.round(list.length * 0.1);
    let legacy = 0;
    let yearly = 0;
    for (const i of list) {
      const p = plan(i);
      if (legacy < legacyTarget && SETTLED.has(p.status)) {
        p.legacy = true;
        legacy++;
      } else if (yearly < yearlyTarget) {
        p.yearly = true;
        yearly++;
      }
    }
  }

  // -- Pro flags: a dozen on the archived Team Small add-on, ~15% yearly, a few with the
  //    sub-cent MQTT price or the transform_quantity device packs, some metered, a few
  //    item-level discounts on the small add-on.
  {
    const list = rng.shuffle([...pros]);
    const teamTarget = Math.round(n * 0.03);
    const yearlyTarget = Math.round(list.length * 0.15);
    const mqttTarget = Math.round(n * 0.01);
    const deviceTarget = Math.round(n * 0.01);
    const itemDiscountTarget = Math.round(n * 0.0125);
    let team = 0;
    let yearly = 0;
    let mqtt = 0;
    let device = 0;
    let itemDiscount = 0;
    for (const i of list) {
      const p = plan(i);
      if (team < teamTarget && SETTLED.has(p.status)) {
        p.teamSmall = true;
        team++;
      } else if (yearly < yearlyTarget) {
        p.yearly = true;
        yearly++;
        continue;
      }
      if (mqtt < mqttTarget && rng.chance(0.5)) {
        p.mqttQty = rng.pick([3, 3, 2, 7, 12]);
        mqtt++;
      } else if (device < deviceTarget && rng.chance(0.5)) {
        p.deviceQty = rng.pick([5, 15, 23, 40, 10]);
        device++;
      }
      p.metered = rng.chance(0.2);
      if (!p.teamSmall && itemDiscount < itemDiscountTarget && DISCOUNTABLE.has(p.status) && rng.chance(0.5)) {
        p.itemDiscount = true;
        itemDiscount++;
      }
    }
  }

  // -- dates, by status.
  const teamWindow: [number, number] = [asOf - SPAN, asOf - MILESTONES.teamSmallReplaced * DAY];
  const legacyWindow: [number, number] = [asOf - SPAN, asOf - MILESTONES.starter20 * DAY];
  for (const p of plans) {
    const window = p.teamSmall ? teamWindow : p.legacy ? legacyWindow : null;
    const inWindow = (): number => rng.between(window![0], window![1]);
    switch (p.status) {
      case 'trialing':
        p.created = asOf - rng.between(12 * HOUR, 13 * DAY);
        p.trialStart = p.created;
        p.trialEnd = p.created + 14 * DAY;
        break;
      case 'paused': // the trial ended without a payment method and the subscription paused
        p.created = asOf - rng.between(20 * DAY, 150 * DAY);
        p.trialStart = p.created;
        p.trialEnd = p.created + 14 * DAY;
        break;
      case 'incomplete': // Stripe expires incomplete subscriptions after 23 hours
        p.created = asOf - rng.between(HOUR, 22 * HOUR);
        break;
      case 'incomplete_expired':
        p.created = asOf - skewedAge(rng, 2 * DAY, 700 * DAY);
        p.endedAt = p.created + 23 * HOUR;
        break;
      case 'past_due':
        p.created = window ? inWindow() : asOf - skewedAge(rng, 35 * DAY, SPAN);
        break;
      case 'unpaid':
        p.created = window ? inWindow() : asOf - skewedAge(rng, 65 * DAY, SPAN);
        break;
      case 'canceled': {
        p.created = window ? inWindow() : asOf - skewedAge(rng, 60 * DAY, SPAN);
        const step = p.yearly ? 12 : 1;
        const t = p.created + rng.between(20 * DAY, asOf - p.created - DAY);
        const [start, end] = periodContaining(p.created, step, t);
        if (rng.chance(0.5) && end < asOf) {
          // canceled during the period, effective at its end
          p.endedAt = end;
          p.cancelAt = end;
          p.cancelAtPeriodEnd = true;
          p.canceledAt = rng.between(Math.max(start, p.created), end);
        } else {
          p.endedAt = t;
          p.canceledAt = t;
        }
        break;
      }
      default: // active
        p.created = window ? inWindow() : asOf - skewedAge(rng, HOUR, SPAN);
    }
  }

  // -- subscription-level discounts (~10%), matching currency for amount_off coupons.
  {
    const s = n / 400;
    const discOrder = rng.shuffle(range(n));
    const assign = (keys: CouponKey[], target: number, eligible: (p: Plan) => boolean): void => {
      let count = 0;
      for (const i of discOrder) {
        if (count >= target) break;
        const p = plan(i);
        if (p.coupons.length > 0 || p.tier === 'enterprise' || !DISCOUNTABLE.has(p.status) || !eligible(p)) continue;
        p.coupons = [...keys];
        count++;
      }
    };
    const spring10Deleted = asOf - MILESTONES.spring10Deleted * DAY;
    const usdPro = (p: Plan): boolean => p.tier === 'pro' && p.currency === 'usd';
    assign(['NONPROFIT20', 'PARTNER50'], Math.max(1, Math.round(s)), (p) => usdPro(p) && p.status === 'active');
    assign(['SPRING10'], Math.round(3 * s), (p) => p.created < spring10Deleted - 10 * DAY && SETTLED.has(p.status));
    assign(['LAUNCH50'], Math.round(8 * s), (p) => p.created > asOf - 85 * DAY);
    assign(['FIRSTMONTH'], Math.round(5 * s), (p) => p.created > asOf - 25 * DAY);
    assign(['PARTNER50'], Math.round(6 * s), usdPro);
    assign(['NONPROFIT20'], Math.round(10 * s), () => true);
    assign(['EDU125'], Math.round(6 * s), () => true);
  }

  // -- customers: mostly one subscription each; some churned customers came back with a new
  //    subscription, and some customers run two subscriptions side by side.
  {
    const paired = new Uint8Array(n);
    const tryPair = (i: number, accept: (j: number) => boolean): void => {
      for (let attempt = 0; attempt < 25; attempt++) {
        const j = rng.int(0, n - 1);
        if (j === i || paired[j] || plan(j).currency !== plan(i).currency || !accept(j)) continue;
        plan(j).customerOf = i;
        paired[i] = 1;
        paired[j] = 1;
        return;
      }
    };
    for (let i = 0; i < n; i++) {
      const p = plan(i);
      if (p.status !== 'canceled' || paired[i] || !rng.chance(0.5)) continue;
      tryPair(i, (j) => {
        const q = plan(j);
        return q.created > (p.endedAt ?? asOf) && q.tier !== 'enterprise' && q.status !== 'canceled';
      });
    }
    const pairTarget = Math.round(n * 0.035);
    for (let k = 0; k < pairTarget; k++) {
      const i = rng.int(0, n - 1);
      if (paired[i] || plan(i).tier === 'enterprise') continue;
      tryPair(i, (j) => plan(j).tier !== 'enterprise' && plan(j).status !== 'canceled' && plan(i).status !== 'canceled');
    }
  }

  arrangeRecentWinBacks(plans, asOf, recentRng, n >= 100 ? Math.round(n * 0.0075) : 0);
  addConvertedTrials(plans, asOf, recentRng);
  scheduleOneCancellation(plans, asOf);

  // Coupon redemption counts (item-level ones included).
  for (const p of plans) for (const key of p.coupons) (catalog.coupon[key].times_redeemed as number)++;
  for (const p of plans) if (p.itemDiscount) (catalog.coupon.SMALLADDON10.times_redeemed as number)++;

  return plans;
}

/**
 * Win-backs the weekly snapshot series (scripts/demo-snapshots/) can show: for up to
 * `target` customers who churned and came back, the old subscription is moved to end 6-8
 * weeks before `asOf` and the new one to start 2-4 weeks before it. Only dates of existing
 * pairs move, drawn from a PRNG of their own, so every other object, id and amount stays as
 * it was; the customer's first subscription (and so its numbering) is unchanged.
 */
function arrangeRecentWinBacks(plans: Plan[], asOf: number, rng: Rng, target: number): void {
  const candidates: number[] = [];
  plans.forEach((p, j) => {
    const old = plans[p.customerOf] as Plan;
    if (p.customerOf === j || old.status !== 'canceled' || p.status !== 'active') return;
    if (p.special || p.legacy || p.teamSmall || p.trialEnd !== null || p.coupons.includes('SPRING10')) return;
    candidates.push(j);
  });
  let done = 0;
  for (const j of rng.shuffle(candidates)) {
    if (done >= target) break;
    const back = plans[j] as Plan;
    const old = plans[back.customerOf] as Plan;
    const ended = asOf - rng.between(42 * DAY, 56 * DAY);
    if (old.created > ended - 20 * DAY) continue;
    old.endedAt = ended;
    old.canceledAt = ended;
    old.cancelAt = null;
    old.cancelAtPeriodEnd = false;
    back.created = asOf - rng.between(14 * DAY, 28 * DAY);
    done++;
  }
}

/**
 * About 75 % of the active subscriptions created 15-70 days before `asOf` began with a
 * 14-day trial, now over (Stripe keeps `trial_start`/`trial_end` after the conversion), so
 * the weekly snapshot series shows trials converting. Dates only, own PRNG, as above.
 */
function addConvertedTrials(plans: Plan[], asOf: number, rng: Rng): void {
  const returning = new Set(plans.map((p, j) => (p.customerOf !== j ? j : -1)));
  plans.forEach((p, j) => {
    if (p.status !== 'active' || p.special || p.trialEnd !== null || returning.has(j)) return;
    if (p.created < asOf - 70 * DAY || p.created > asOf - 15 * DAY) return;
    if (!rng.chance(0.75)) return;
    p.trialStart = p.created;
    p.trialEnd = p.created + 14 * DAY;
  });
}

/**
 * One running subscription set to cancel at the end of its period, asked for 3 days before
 * `asOf` (Stripe's "scheduled to cancel": still `active`, `cancel_at_period_end: true`,
 * `cancel_at` = the period end). Stripe's churn setting decides whether it still counts in
 * MRR, so the demo shows that difference. A plain Starter monthly subscription, its customer's
 * only one, chosen without a PRNG: every other object stays as it was.
 */
function scheduleOneCancellation(plans: Plan[], asOf: number): void {
  const sharing = new Set(plans.flatMap((p, j) => (p.customerOf !== j ? [p.customerOf, j] : [])));
  const p = plans.find(
    (candidate, j) =>
      candidate.status === 'active' && candidate.tier === 'starter' && candidate.currency === 'usd' && !candidate.yearly && !candidate.special &&
      !candidate.legacy && !candidate.teamSmall && !candidate.metered && candidate.coupons.length === 0 && !candidate.itemDiscount &&
      candidate.trialEnd === null && candidate.created < asOf - 90 * DAY && !sharing.has(j),
  );
  if (!p) return;
  const [start, end] = periodContaining(p.created, 1, asOf);
  p.cancelAtPeriodEnd = true;
  p.cancelAt = end;
  p.canceledAt = Math.max(start, asOf - 3 * DAY);
}

// ---------------------------------------------------------------------------------------
// Phase 2: wire objects
// ---------------------------------------------------------------------------------------

/** A fresh deep copy of a plain JSON value. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cloneJson(v)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  return out as T;
}

type Line = { price: WirePrice; quantity?: number; itemDiscount?: boolean };

function itemLines(p: Plan, rng: Rng, c: Catalog): Line[] {
  const P = c.price;
  if (p.tier === 'enterprise') return [{ price: P.enterpriseYearly, quantity: 1 }];
  if (p.tier === 'starter') {
    if (p.currency === 'eur') return [{ price: P.starterEur, quantity: 1 }];
    if (p.yearly) return [{ price: P.starterYearly, quantity: 1 }];
    const lines: Line[] = [{ price: p.legacy ? P.starterLegacy : P.starterMonthly, quantity: 1 }];
    if (rng.chance(0.3)) lines.push({ price: P.starterSmall, quantity: rng.int(1, 3) });
    if (rng.chance(0.35)) lines.push({ price: P.starterRemote, quantity: rng.int(1, 5) });
    return lines;
  }
  // Pro
  if (p.currency === 'eur') return [{ price: P.proEur, quantity: 1 }];
  if (p.big === 1) {
    return [{ price: P.proMonthly, quantity: 1 }, ...c.batch.map((price, k) => ({ price, quantity: k % 7 === 0 ? 2 : 1 }))];
  }
  if (p.big === 2) {
    return [
      { price: P.proMonthly, quantity: 1 },
      { price: P.proSmall, quantity: 4 },
      { price: P.proMedium, quantity: 2 },
      { price: P.proLarge, quantity: 1 },
      { price: P.proRemote, quantity: 9 },
      ...c.batch.slice(0, BATCH_PRICE_COUNT - 6).map((price) => ({ price, quantity: 1 })),
    ];
  }
  if (p.yearly) {
    const lines: Line[] = [{ price: P.proYearly, quantity: 1 }];
    if (rng.chance(0.5)) lines.push({ price: P.proSmallYearly, quantity: rng.int(0, 8) });
    return lines;
  }
  const lines: Line[] = [{ price: P.proMonthly, quantity: 1 }];
  if (p.teamSmall) lines.push({ price: P.teamSmall, quantity: rng.int(1, 6) });
  else if (p.itemDiscount) lines.push({ price: P.proSmall, quantity: rng.int(1, 8), itemDiscount: true });
  else if (rng.chance(0.6)) lines.push({ price: P.proSmall, quantity: rng.int(0, 8) });
  if (rng.chance(0.35)) lines.push({ price: P.proMedium, quantity: rng.int(0, 8) });
  if (rng.chance(0.2)) lines.push({ price: P.proLarge, quantity: rng.int(0, 6) });
  if (rng.chance(0.5)) lines.push({ price: P.proRemote, quantity: rng.int(1, 12) });
  if (p.metered) lines.push({ price: P.dataTransfer }); // metered: no quantity
  if (p.mqttQty > 0) lines.push({ price: P.mqtt, quantity: p.mqttQty });
  if (p.deviceQty > 0) lines.push({ price: P.deviceAgent, quantity: p.deviceQty });
  return lines;
}

function discountObject(
  ids: IdFactory,
  coupon: WireCoupon,
  customer: string,
  subscription: string,
  item: string | null,
  window: { start: number; end: number | null },
): WireDiscount {
  return {
    id: ids.make('di', 24),
    object: 'discount',
    checkout_session: null,
    customer,
    end: window.end,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: cloneJson(coupon), type: 'coupon' },
    start: window.start,
    subscription,
    subscription_item: item,
  };
}

function discountWindow(p: Plan, coupon: WireCoupon, asOf: number, rng: Rng): { start: number; end: number | null } {
  if (coupon.duration === 'repeating' || coupon.duration === 'once') {
    const start = Math.max(p.created, coupon.created as number);
    return { start, end: coupon.duration === 'repeating' ? addMonths(start, coupon.duration_in_months ?? 1) : null };
  }
  const lo = Math.max(p.created, coupon.created as number);
  const hi = coupon.deleted ? asOf - MILESTONES.spring10Deleted * DAY : asOf;
  return { start: lo + rng.between(0, Math.min(Math.max(hi - lo, 0), 30 * DAY)), end: null };
}

export function generateDemoAccount(options: GenerateDemoAccountOptions = {}): StripeAccountFile {
  const n = options.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`subscriptions must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(asOf) || asOf < 1_000_000_000) throw new RangeError(`asOf must be unix seconds (after 2001), got ${asOf}`);

  const rng = new Rng(seed);
  const ids = new IdFactory(new Rng((seed ^ 0x9e3779b9) >>> 0));
  const catalog = buildCatalog(asOf, ids);
  // Recent history (win-backs, converted trials) draws from a PRNG of its own: see below.
  const plans = planSubscriptions(n, asOf, rng, catalog, new Rng((seed ^ 0x5f3759df) >>> 0));

  // -- customers: numbered in order of their first subscription
  const roots: number[] = [];
  const firstCreated = new Float64Array(n).fill(Infinity);
  plans.forEach((p) => {
    const root = p.customerOf;
    if (firstCreated[root] === Infinity) roots.push(root);
    if (p.created < (firstCreated[root] as number)) firstCreated[root] = p.created;
  });
  roots.sort((a, b) => (firstCreated[a] as number) - (firstCreated[b] as number) || a - b);
  const width = Math.max(4, String(roots.length).length);
  const customerId: string[] = new Array<string>(n);
  const customers: WireCustomer[] = roots.map((root, rank) => {
    const number = String(rank + 1).padStart(width, '0');
    const id = ids.make('cus', 14);
    customerId[root] = id;
    const p = plans[root] as Plan;
    return {
      id,
      object: 'customer',
      address: rng.chance(0.5)
        ? {
            city: 'Exampleville',
            country: p.currency === 'eur' ? 'DE' : 'US',
            line1: `${rank + 1} Example Street`,
            line2: null,
            postal_code: '00000',
            state: null,
          }
        : null,
      balance: 0,
      created: (firstCreated[root] as number) - rng.between(60, 3 * DAY),
      currency: p.currency,
      default_source: null,
      delinquent: false, // set from the subscriptions below
      description: null,
      email: `customer+${number}@example.com`,
      invoice_prefix: rng.hexUpper(8),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: {},
      name: `Example Customer ${number}`,
      next_invoice_sequence: rng.int(2, 30),
      phone: rng.chance(0.3) ? `+1 555 01${String(rng.int(0, 99)).padStart(2, '0')}` : null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    };
  });
  const customerById = new Map(customers.map((c) => [c.id, c]));

  // -- subscriptions
  const subscriptions: WireSubscription[] = plans.map((p) => {
    const id = ids.make('sub', 24);
    const customer = customerId[p.customerOf] as string;
    if (p.status === 'past_due' || p.status === 'unpaid') (customerById.get(customer) as WireCustomer).delinquent = true;
    const lines = itemLines(p, rng, catalog);
    const step = p.yearly ? 12 : 1;
    const anchor = p.trialEnd ?? p.created;
    let period: [number, number];
    if (p.status === 'trialing') period = [p.trialStart as number, p.trialEnd as number];
    else if (p.status === 'incomplete' || p.status === 'incomplete_expired') period = [p.created, addMonths(p.created, step)];
    else period = periodContaining(anchor, step, p.endedAt !== null ? p.endedAt - 1 : asOf);

    const items: WireSubscriptionItem[] = lines.map((line) => {
      const itemId = ids.make('si', 14);
      const discounts: WireDiscount[] = [];
      if (line.itemDiscount) {
        const coupon = catalog.coupon.SMALLADDON10;
        discounts.push(discountObject(ids, coupon, customer, id, itemId, discountWindow(p, coupon, asOf, rng)));
      }
      const created = Math.max(p.created, line.price.created);
      const price = copyPrice(line.price);
      // Two literals rather than a spread: same key order as Stripe, and fast at 100k subscriptions.
      if (line.quantity === undefined) {
        return {
          id: itemId,
          object: 'subscription_item',
          billing_thresholds: null,
          created,
          current_period_end: period[1],
          current_period_start: period[0],
          discounts,
          metadata: {},
          price,
          subscription: id,
          tax_rates: [],
        };
      }
      return {
        id: itemId,
        object: 'subscription_item',
        billing_thresholds: null,
        created,
        current_period_end: period[1],
        current_period_start: period[0],
        discounts,
        metadata: {},
        price,
        quantity: line.quantity,
        subscription: id,
        tax_rates: [],
      };
    });

    // Stripe's embedded item list also carries total_count (not in WireList).
    const itemList: WireList<WireSubscriptionItem> & { total_count: number } = {
      object: 'list',
      data: items,
      has_more: false,
      total_count: items.length,
      url: `/v1/subscription_items?subscription=${id}`,
    };
    const invoiced = p.tier === 'enterprise';
    const sub: WireSubscription = {
      id,
      object: 'subscription',
      application: null,
      application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null },
      billing_cycle_anchor: anchor,
      billing_cycle_anchor_config: null,
      billing_thresholds: null,
      cancel_at: p.cancelAt,
      cancel_at_period_end: p.cancelAtPeriodEnd,
      canceled_at: p.canceledAt,
      cancellation_details: {
        comment: null,
        feedback: null,
        reason: p.status === 'canceled' || p.cancelAtPeriodEnd ? 'cancellation_requested' : null,
      },
      collection_method: invoiced ? 'send_invoice' : 'charge_automatically',
      created: p.created,
      currency: p.currency,
      customer,
      days_until_due: invoiced ? 30 : null,
      default_payment_method:
        invoiced || p.status === 'incomplete' || p.status === 'incomplete_expired' || p.status === 'paused'
          ? null
          : ids.make('pm', 24),
      default_source: null,
      default_tax_rates: [],
      description: null,
      discounts: p.coupons.map((key) =>
        discountObject(ids, catalog.coupon[key], customer, id, null, discountWindow(p, catalog.coupon[key], asOf, rng)),
      ),
      ended_at: p.endedAt,
      items: itemList,
      latest_invoice: p.status === 'trialing' && rng.chance(0.5) ? null : ids.make('in', 24),
      livemode: false,
      metadata: {},
      next_pending_invoice_item_invoice: null,
      on_behalf_of: null,
      pause_collection: null,
      pending_invoice_item_interval: null,
      pending_setup_intent: null,
      pending_update: null,
      schedule: null,
      start_date: p.created,
      status: p.status,
      test_clock: null,
      transfer_data: null,
      trial_end: p.trialEnd,
      trial_settings: {
        end_behavior: { missing_payment_method: p.status === 'paused' ? 'pause' : 'create_invoice' },
      },
      trial_start: p.trialStart,
    };
    return sub;
  });

  // Stripe lists newest first.
  subscriptions.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  customers.sort((a, b) => (b.created as number) - (a.created as number) || (a.id < b.id ? -1 : 1));

  const account: StripeAccountFile = {
    object: 'kpi.stripe_account',
    version: 1,
    as_of: asOf,
    livemode: false,
    products: catalog.products,
    prices: catalog.prices,
    coupons: catalog.coupons,
    customers,
    subscriptions,
  };
  if (options.check ?? true) assertDemoAccountInvariants(account);
  return account;
}
