import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoAccount } from '../../scripts/demo-account/generate.js';
import {
  buildDemoSnapshots,
  DEMO_ACCOUNT_PATH,
  SERIES_DIR,
  seriesTimes,
  snapshotSuffix,
  winBackCustomers,
  type DemoSeries,
} from '../../scripts/demo-snapshots/generate.js';
import { isCounted, planHistory, stateAt } from '../../scripts/demo-snapshots/history.js';
import { listSnapshots, readSnapshot } from '../../src/snapshots/snapshot-store.js';
import type { StripeAccountFile, WireSubscription } from '../../src/sources/stripe/wire.js';

const account = JSON.parse(readFileSync(DEMO_ACCOUNT_PATH, 'utf8')) as StripeAccountFile;
/** The series' Mondays: week 1 is 2026-09-14, week 10 is as_of (2026-11-16). */
const mondays = seriesTimes(account.as_of);
const history = planHistory(account, { from: mondays[0] as number });
const states = new Map<number, StripeAccountFile>();
/** The account on the Monday of week n (1-10), computed once. */
const week = (n: number): StripeAccountFile => {
  if (!states.has(n)) states.set(n, stateAt(account, mondays[n - 1] as number, history));
  return states.get(n)!;
};
const find = (state: StripeAccountFile, id: string): WireSubscription | undefined => state.subscriptions.find((subscription) => subscription.id === id);
const counted = (state: StripeAccountFile, customer: string): number =>
  state.subscriptions.filter((subscription) => subscription.customer === customer && isCounted(subscription)).length;
const iso = (t: number | null | undefined): string | null => (typeof t === 'number' ? new Date(t * 1000).toISOString() : null);

describe('demo account history (stateAt)', () => {
  it('covers ten Mondays, 2026-09-14 to 2026-11-16', () => {
    expect(account.as_of).toBe(1794787200);
    expect(mondays.map((t) => iso(t)!.slice(0, 10))).toEqual([
      '2026-09-14',
      '2026-09-21',
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
  });

  it('at as_of is exactly the demo account, which is what the generator gives; the input is never touched', () => {
    const before = JSON.stringify(account);
    const now = stateAt(account, account.as_of, history);
    expect(now).toEqual(account);
    expect(JSON.stringify(now)).toBe(before); // same key order too
    expect(now.subscriptions[0]).not.toBe(account.subscriptions[0]);
    expect(generateDemoAccount()).toEqual(account);
    for (const t of mondays) stateAt(account, t, history);
    expect(JSON.stringify(account)).toBe(before);
    expect(() => stateAt(account, account.as_of + 1, history)).toThrow(RangeError);
  });

  it('leaves out subscriptions created later', () => {
    // Created 2026-10-19 01:19 UTC: the win-back of cus_6Aa19QkevKikJm.
    const id = 'sub_1BKQ3z8PE6CbaUQEJAZv4tJz';
    expect(iso(find(account, id)?.created)).toBe('2026-10-19T01:19:20.000Z');
    expect(find(week(5), id)).toBeUndefined(); // 2026-10-12
    expect(find(week(6), id)).toBeUndefined(); // 2026-10-19 00:00, an hour before
    expect(find(week(7), id)?.status).toBe('active'); // 2026-10-26
    const first = week(1);
    expect(first.as_of).toBe(mondays[0]);
    expect(first.subscriptions.every((subscription) => subscription.created <= first.as_of)).toBe(true);
    expect(first.subscriptions.length).toBeLessThan(account.subscriptions.length);
  });

  it('a subscription canceled in week 5 is active in week 3 and canceled in week 7', () => {
    // Canceled on 2026-10-09 01:54 UTC, effective at once: between the Mondays of weeks 4 and 5.
    const id = 'sub_1nrGEZoLJxqNpKvKKzQmHDMf';
    const now = find(account, id)!;
    expect([now.status, iso(now.canceled_at), iso(now.ended_at)]).toEqual(['canceled', '2026-10-09T01:54:44.000Z', '2026-10-09T01:54:44.000Z']);
    const third = find(week(3), id)!;
    expect([third.status, third.canceled_at, third.ended_at, third.cancel_at]).toEqual(['active', null, null, null]);
    expect(find(week(4), id)!.status).toBe('active');
    expect(find(week(5), id)!.status).toBe('canceled');
    expect(find(week(7), id)).toEqual(now);
  });

  it('a cancellation at period end is scheduled while the period runs', () => {
    // Asked on 2026-09-16, effective at the period end, 2026-10-05 22:13 UTC.
    const id = 'sub_1b2hjDnUKltguFM3fxLCFkIK';
    const first = find(week(1), id)!;
    expect([first.status, first.canceled_at, first.cancel_at, first.cancel_at_period_end]).toEqual(['active', null, null, false]);
    const second = find(week(2), id)!;
    expect([second.status, iso(second.canceled_at), iso(second.cancel_at), second.ended_at]).toEqual([
      'active',
      '2026-09-16T09:51:32.000Z',
      '2026-10-05T22:13:36.000Z',
      null,
    ]);
    expect(find(week(4), id)!.status).toBe('active'); // 2026-10-05 00:00
    expect(find(week(5), id)!.status).toBe('canceled');
  });

  it('the subscription set to cancel at period end at as_of was not scheduled the Monday before', () => {
    // Asked on 2026-11-13 (3 days before as_of), effective at the period end, 2026-11-22 18:24:52 UTC.
    const id = 'sub_1hQyvd6qemGlRmhJRZXW8kQt';
    const now = find(week(10), id)!;
    expect([now.status, iso(now.canceled_at), iso(now.cancel_at), now.cancel_at_period_end, now.ended_at]).toEqual([
      'active',
      '2026-11-13T00:00:00.000Z',
      '2026-11-22T18:24:52.000Z',
      true,
      null,
    ]);
    const before = find(week(9), id)!;
    expect([before.status, before.canceled_at, before.cancel_at, before.cancel_at_period_end, before.cancellation_details]).toEqual(['active', null, null, false, { comment: null, feedback: null, reason: null }]);
  });

  it('win-backs: counted at the start, not in the middle, counted again at the end', () => {
    const winBacks = ['cus_6Aa19QkevKikJm', 'cus_Mo7xJNkeoy4OmU', 'cus_wO5rm0B90rQrDg'];
    for (const customer of winBacks) {
      expect(counted(week(1), customer), customer).toBe(1);
      expect(counted(week(5), customer), customer).toBe(0); // 2026-10-12: old one ended, new one not yet
      expect(counted(week(10), customer), customer).toBe(1);
      const subscriptions = account.subscriptions.filter((subscription) => subscription.customer === customer);
      expect(subscriptions.map((subscription) => subscription.status).sort(), customer).toEqual(['active', 'canceled']);
    }
    const snapshots = Array.from({ length: 10 }, (_, k) => week(k + 1));
    expect(winBackCustomers(snapshots)).toEqual(winBacks);
  });

  it('trials convert at trial_end, paused subscriptions were trialing first, past_due and unpaid were active', () => {
    // A 14-day trial from 2026-10-02 07:04 to 2026-10-16 07:04 UTC.
    const trial = 'sub_1zrefc2lMp2j66vGuS3R3KSC';
    expect(find(week(3), trial)).toBeUndefined();
    expect(find(week(4), trial)!.status).toBe('trialing');
    expect(find(week(5), trial)!.status).toBe('trialing');
    expect(find(week(6), trial)!.status).toBe('active');
    for (const subscription of account.subscriptions) {
      const first = find(week(1), subscription.id);
      if (!first) continue;
      if (subscription.status === 'paused') expect(first.status === 'trialing' || first.status === 'paused').toBe(true);
      if (subscription.status === 'past_due') expect(first.status).toBe('active');
      if (subscription.status === 'unpaid') expect(['active', 'past_due']).toContain(first.status);
    }
    // Every unpaid subscription went unpaid within the series, after three weeks past_due.
    const unpaid = account.subscriptions.filter((subscription) => subscription.status === 'unpaid');
    expect(unpaid).toHaveLength(8);
    for (const subscription of unpaid) expect(find(week(1), subscription.id)!.status).not.toBe('unpaid');
  });

  it('moves add-on quantities: 12 upgrades and 6 downgrades, each undone before its date', () => {
    const changes = history.quantityChanges;
    expect(changes.filter((change) => change.kind === 'upgrade')).toHaveLength(12);
    expect(changes.filter((change) => change.kind === 'downgrade')).toHaveLength(6);
    expect(new Set(changes.map((change) => change.subscription)).size).toBe(18);
    for (const change of changes) {
      expect(change.before).toBeGreaterThanOrEqual(0);
      expect(change.kind === 'upgrade' ? change.before < change.after : change.before > change.after).toBe(true);
      expect(change.product).toMatch(/^(Starter|Pro) - .* Add-On$/);
      const n = mondays.findIndex((t) => t >= change.at) + 1; // first Monday after the change
      expect(n).toBeGreaterThan(1);
      const quantity = (state: StripeAccountFile) => find(state, change.subscription)?.items.data.find((item) => item.id === change.item)?.quantity;
      expect(quantity(week(n - 1)), change.subscription).toBe(change.before);
      expect(quantity(week(n)), change.subscription).toBe(change.after);
      expect(quantity(account)).toBe(change.after);
    }
    // Hand-checked: the first one, a Pro small add-on going from 5 to 8 on 2026-09-17.
    const first = changes[0]!;
    expect([first.kind, first.subscription, first.product, iso(first.at), first.before, first.after]).toEqual([
      'upgrade',
      'sub_1Y5oj4OaTbK9cO1OZk4SJCFq',
      'Pro - Small Instance Add-On',
      '2026-09-17T15:52:50.000Z',
      5,
      8,
    ]);
  });

  it('counts active + past_due per week', () => {
    const perWeek = Array.from({ length: 10 }, (_, k) => week(k + 1).subscriptions.filter(isCounted).length);
    expect(perWeek[9]).toBe(344); // 320 active + 24 past_due
    expect(perWeek[0]).toBeLessThan(perWeek[9]!);
  });
});

describe('the bundled series fixtures/demo-snapshots/', () => {
  let series: DemoSeries;
  beforeAll(async () => {
    series = await buildDemoSnapshots(account);
  });

  it('holds ten snapshots, one per Monday, readable and byte-identical to a fresh build', () => {
    const stored = listSnapshots(SERIES_DIR);
    expect(stored).toHaveLength(10);
    expect(stored.map((entry) => entry.takenAt)).toEqual(mondays);
    stored.forEach((entry, k) => {
      expect(basename(entry.path)).toMatch(new RegExp(`-${snapshotSuffix(entry.takenAt)}\\.json\\.gz$`));
      const snapshot = readSnapshot(entry.path);
      expect(snapshot.taken_at).toBe(mondays[k]);
      expect(snapshot.source).toBe('demo account (fictional data)');
      expect(snapshot.livemode).toBe(false);
      const fresh = series.entries[k]!;
      expect(fresh.takenAt).toBe(entry.takenAt);
      expect(gzipSync(Buffer.from(JSON.stringify(fresh.snapshot))).equals(readFileSync(entry.path))).toBe(true);
    });
    expect(snapshotSuffix(mondays[0] as number)).toBe('d089821d');
  });

  it('its last snapshot holds every subscription of the demo account', () => {
    const last = series.entries[9]!.snapshot;
    expect(last.subscriptions).toHaveLength(account.subscriptions.length);
    expect(last.subscriptions.filter(isCounted)).toHaveLength(344);
    expect(winBackCustomers(series.entries.map((entry) => entry.snapshot))).toEqual(['cus_6Aa19QkevKikJm', 'cus_Mo7xJNkeoy4OmU', 'cus_wO5rm0B90rQrDg']);
  });
});
