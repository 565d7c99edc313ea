import { describe, expect, it } from 'vitest';
import { doublingCuts, readSubscriptionSlices, type Slice, type SlicePage } from '../../src/sources/stripe/subscription-slices.js';
import type { SubscriptionStatus } from '../../src/billing/model.js';
import type { WireSubscription } from '../../src/sources/stripe/wire.js';

/** Subscriptions as the slicer sees them: an id, a status and a creation time. */
let group = 0;
function subscriptions(count: number, status: SubscriptionStatus, createdAt: (index: number) => number): WireSubscription[] {
  group += 1;
  return Array.from(
    { length: count },
    (_, index) => ({ id: `sub_${group}_${index.toString().padStart(6, '0')}`, status, created: createdAt(index) }) as WireSubscription,
  );
}

/** Stripe's list semantics over an in-memory array: newest first, ties by id, cursor by position. */
function fakeStripe(all: WireSubscription[], pageSize = 100) {
  const sorted = [...all].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
  const requests: Slice[] = [];
  const fetchPage = async (slice: Slice): Promise<SlicePage> => {
    requests.push(slice);
    await new Promise((resolve) => setImmediate(resolve));
    let matching = sorted.filter(
      (subscription) =>
        subscription.status === slice.status &&
        (slice.createdGte === null || subscription.created >= slice.createdGte) &&
        (slice.createdLt === null || subscription.created < slice.createdLt),
    );
    if (slice.startingAfter) {
      const cursor = sorted.find((subscription) => subscription.id === slice.startingAfter) as WireSubscription;
      matching = matching.filter((subscription) => subscription.created < cursor.created || (subscription.created === cursor.created && subscription.id < cursor.id));
    }
    return { data: matching.slice(0, pageSize), hasMore: matching.length > pageSize };
  };
  return { fetchPage, requests };
}

async function readAll(statuses: SubscriptionStatus[], fetchPage: (slice: Slice) => Promise<SlicePage>, concurrency: number, densityFloor = 1_600_000_000) {
  const seen: string[] = [];
  for await (const page of readSubscriptionSlices(statuses, fetchPage, { concurrency, densityFloor })) seen.push(...page.map((s) => s.id));
  return seen;
}

describe('reading subscriptions in parallel slices', () => {
  const NOW = 1_790_000_000;
  const account = [
    // Growth: most subscriptions are recent (quadratic density towards now).
    ...subscriptions(5000, 'active', (index) => NOW - Math.floor(((5000 - index) / 5000) ** 2 * 3 * 365 * 86_400)),
    ...subscriptions(300, 'past_due', (index) => NOW - index * 3600),
    // Many subscriptions created in the same second: only the cursor can tell them apart.
    ...subscriptions(450, 'active', () => NOW - 100 * 86_400),
    ...subscriptions(20, 'trialing', (index) => NOW - index),
  ];

  it.each([1, 4, 16, 48])('reads every counted subscription exactly once with %i readers', async (concurrency) => {
    const stripe = fakeStripe(account);
    const seen = await readAll(['active', 'past_due'], stripe.fetchPage, concurrency);
    const expected = account.filter((s) => s.status === 'active' || s.status === 'past_due').map((s) => s.id);
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  });

  it('cuts dense periods so readers work in parallel, without many wasted requests', async () => {
    const growing = subscriptions(20_000, 'active', (index) => NOW - Math.floor(((20_000 - index) / 20_000) ** 2 * 3 * 365 * 86_400));
    const stripe = fakeStripe(growing);
    // The catalog's oldest object, a little before the first subscription, is the density floor.
    const seen = await readAll(['active'], stripe.fetchPage, 16, NOW - 3 * 365 * 86_400 - 86_400);
    expect(seen).toHaveLength(20_000);
    // 20000 / 100 = 200 full pages at the very least; each slice adds at most one part-filled page.
    expect(stripe.requests.length).toBeGreaterThanOrEqual(200);
    expect(stripe.requests.length).toBeLessThan(200 * 1.15);
    expect(new Set(stripe.requests.map((slice) => `${slice.createdGte}/${slice.createdLt}`)).size).toBeGreaterThan(16);
  });

  it('handles a density floor far from the data and empty statuses', async () => {
    const stripe = fakeStripe(account);
    const seen = await readAll(['active', 'paused'], stripe.fetchPage, 8, 0);
    expect(seen).toHaveLength(5450);
  });

  it('fails the whole read when one slice fails', async () => {
    const stripe = fakeStripe(account);
    let calls = 0;
    const flaky = async (slice: Slice) => {
      if (++calls === 5) throw new Error('slice failed for good');
      return stripe.fetchPage(slice);
    };
    await expect(readAll(['active'], flaky, 8)).rejects.toThrow('slice failed for good');
  });

  it('follows a concurrency that changes during the read: never more readers than it allows once they could yield, every subscription once', async () => {
    const stripe = fakeStripe(account);
    let inFlight = 0;
    let peakAfterDrop = 0;
    let pages = 0;
    // 12 readers for the first 10 pages, then 3: readers beyond 3 hand their slice back.
    const concurrency = () => (pages < 10 ? 12 : 3);
    const counted = async (slice: Slice) => {
      inFlight += 1;
      if (pages >= 14) peakAfterDrop = Math.max(peakAfterDrop, inFlight);
      try {
        return await stripe.fetchPage(slice);
      } finally {
        inFlight -= 1;
        pages += 1;
      }
    };
    const seen: string[] = [];
    for await (const page of readSubscriptionSlices(['active', 'past_due'], counted, { concurrency, densityFloor: 1_600_000_000 })) seen.push(...page.map((s) => s.id));
    expect(seen).toHaveLength(5000 + 300 + 450);
    expect(new Set(seen).size).toBe(5750);
    // Readers in flight when the limit fell finish their page first: a few pages later at most 3 remain.
    expect(peakAfterDrop).toBeLessThanOrEqual(3);
    expect(peakAfterDrop).toBeGreaterThan(0);
  });

  it('compacts each page as it arrives, before the consumer takes it', async () => {
    const stripe = fakeStripe(account);
    const compacted: number[] = [];
    const pages = readSubscriptionSlices(['past_due'], stripe.fetchPage, {
      concurrency: 2,
      densityFloor: 1_600_000_000,
      compact: (page) => {
        compacted.push(page.length);
        return page.map((subscription) => ({ id: subscription.id, short: true }));
      },
    });
    const seen: Array<{ id: string; short: boolean }> = [];
    for await (const page of pages) seen.push(...page);
    // 300 past_due subscriptions: three full pages (one slice or more, nothing twice).
    expect(compacted.reduce((sum, count) => sum + count, 0)).toBe(300);
    expect(seen.every((entry) => entry.short)).toBe(true);
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(300);
  });

  /**
   * Reads in rounds: each round every reader's request is answered at once (a latency, no
   * rate limit), so the rounds are the read's length in latencies. `lateFirstPage` makes a
   * status's first page take a round more.
   */
  async function readInRounds(statuses: SubscriptionStatus[], stripe: ReturnType<typeof fakeStripe>, concurrency: number, floor: number, lateFirstPage?: SubscriptionStatus) {
    const waiting: Array<() => void> = [];
    const inRounds = async (slice: Slice) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      const whole = slice.createdGte === null && slice.createdLt === null && slice.startingAfter === null;
      if (slice.status === lateFirstPage && whole) await new Promise<void>((resolve) => waiting.push(resolve));
      return stripe.fetchPage(slice);
    };
    let done = false;
    const reading = readAll(statuses, inRounds, concurrency, floor).then((seen) => {
      done = true;
      return seen;
    });
    let rounds = 0;
    // A read that stopped asking would spin here: the bound ends the loop and the check fails.
    while (!done && rounds < 100) {
      // Let every reader that can ask do so, then answer them all: one round.
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      rounds += 1;
      for (const answer of waiting.splice(0)) answer();
    }
    expect(done, 'the read ended').toBe(true);
    return { seen: await reading, rounds, requests: stripe.requests.length };
  }

  it('leaves no status to be read page after page once the others are done: the read ends within a few rounds of its share', async () => {
    // Two statuses, evenly spread over three years: 60 pages active, 20 past_due; past_due's
    // first page comes a round late, after active's has taken every reader. It used to be
    // read page after page then: 17 rounds for 85 requests here.
    const spread = (count: number, status: SubscriptionStatus) => subscriptions(count, status, (index) => NOW - Math.floor((index / count) * 3 * 365 * 86_400));
    const stripe = fakeStripe([...spread(6000, 'active'), ...spread(2000, 'past_due')]);
    const { seen, rounds, requests } = await readInRounds(['active', 'past_due'], stripe, 8, NOW - 3 * 365 * 86_400 - 86_400, 'past_due');
    expect(seen).toHaveLength(8000);
    expect(new Set(seen).size).toBe(8000);
    // At best: 80 full pages over 8 readers is 10 rounds; before anything can be cut, the
    // first round reads one page of each status and past_due's answer takes a second one;
    // and the part-filled last pages of the parts add a few requests (at most a quarter
    // more here). 14 rounds leaves two for those.
    expect(requests).toBeLessThan(80 * 1.25);
    expect(rounds).toBeLessThanOrEqual(14);
  });

  it('cuts an import (20,000 subscriptions created in under 5 minutes, three years after the floor) finely, not the quiet years', async () => {
    // 70 a second: each page spans under 2 seconds. Cut evenly over three years, the whole
    // import fell into one part at a time and dozens of parts came back empty: 343 requests
    // and 14 rounds at 32 readers. 200 pages over 32 readers is 7 rounds at best.
    const stripe = fakeStripe(subscriptions(20_000, 'active', (index) => NOW - Math.floor(index / 70)));
    const { seen, rounds, requests } = await readInRounds(['active'], stripe, 32, NOW - 3 * 365 * 86_400);
    expect(new Set(seen).size).toBe(20_000);
    expect(requests).toBeLessThan(200 * 1.3);
    expect(rounds).toBeLessThanOrEqual(13);
  });

  it('reads everything when the density floor is no time at all, and cuts a page of one second by doubling parts', async () => {
    const stripe = fakeStripe(account);
    for (const floor of [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) {
      const seen = await readAll(['active', 'past_due'], stripe.fetchPage, 16, floor);
      expect(seen).toHaveLength(5750);
      expect(new Set(seen).size).toBe(5750);
    }
    // 1,000 subscriptions created in the same second, 10 pages: parts that double in length
    // back from the page, not 48 even parts of which all but one are empty (251 requests).
    // Back to a floor at 0 (1970) that is about 31 parts, one request each: 10 + 31 = 41.
    const burst = fakeStripe(subscriptions(1000, 'active', () => NOW - 5));
    const seen = await readAll(['active'], burst.fetchPage, 48, 0);
    expect(new Set(seen).size).toBe(1000);
    expect(burst.requests.length).toBeLessThanOrEqual(45);
  });

  it('doubles parts back from a burst: 100 - 2, 100 - 4, ... while above the lower bound', () => {
    expect(doublingCuts(0, 100, 1, 5)).toEqual([84, 92, 96, 98]);
    // 100 - 16 = 84 is not above 90: three cuts, the oldest part is [90, 92).
    expect(doublingCuts(90, 100, 1, 10)).toEqual([92, 96, 98]);
    // A page 3 seconds long: 100 - 6, 100 - 12.
    expect(doublingCuts(50, 100, 3, 3)).toEqual([88, 94]);
    expect(doublingCuts(99, 100, 1, 4)).toEqual([]);
  });
});
