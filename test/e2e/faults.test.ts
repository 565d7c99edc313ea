import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoAccount } from '../../scripts/demo-account/generate.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

const KEY = 'sk_test_faultTolerance000000';
const account = generateDemoAccount({ subscriptions: 1500, seed: 7 });
let clean: RunningStripeServer;
let faulty: RunningStripeServer;

beforeAll(async () => {
  clean = await startStripeServer({ account, apiKeys: [KEY] });
  // The server allows less than the client asks for, so 429s happen; one request in ten
  // fails as a 500, a dropped connection or a truncated body (seed 75 draws all three
  // kinds within the first seven requests).
  faulty = await startStripeServer({
    account,
    apiKeys: [KEY],
    rateLimitPerSecond: 8,
    faults: { rate: 0.1, kinds: ['500', 'reset', 'truncated'], seed: 75 },
  });
});
afterAll(async () => {
  await clean.close();
  await faulty.close();
});

/** Everything but when it ran and which server it asked. */
const figures = (json: string) => {
  const { generated_at: _generatedAt, as_of: _asOf, source: _source, ...rest } = JSON.parse(json);
  return rest;
};

describe('reading Stripe through faults', () => {
  it('gives exactly the fault-free numbers despite 500s, resets, truncated bodies and 429s', async () => {
    const args = ['mrr', '--format', 'json', '--explain', '--verbose', '--max-rps', '60'];
    const [reference, troubled] = await Promise.all([
      runKpi(args, { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: clean.url } }),
      runKpi(args, { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: faulty.url } }),
    ]);
    expect(reference.code).toBe(0);
    expect(troubled.stderr).not.toContain('error');
    expect(troubled.code).toBe(0);
    expect(figures(troubled.stdout)).toEqual(figures(reference.stdout));
    expect(figures(reference.stdout).subscriptions).toBeGreaterThan(1000);

    const cost = /with (\d+) requests .*, (\d+) retries, (\d+) rate-limited/.exec(troubled.stderr);
    expect(cost).not.toBeNull();
    const [, , retries, rateLimited] = cost!.map(Number);
    expect(retries).toBeGreaterThan(0);
    expect(rateLimited).toBeGreaterThan(0);
    const statuses = new Set(faulty.requests.map((request) => request.status));
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
    expect(statuses).toContain(0); // a reset connection never got a status
    // The fault-free run needed no retry at all.
    expect(reference.stderr).toMatch(/, 0 retries, 0 rate-limited/);
  });

  it('fails cleanly and in bounded time when every request fails', async () => {
    const broken = await startStripeServer({ account, apiKeys: [KEY], faults: { rate: 1, kinds: ['500'], seed: 1 } });
    try {
      const started = Date.now();
      const run = await runKpi(['mrr', '--format', 'json'], { env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: broken.url } });
      const seconds = (Date.now() - started) / 1000;
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      // A full-access test key gets a note first; then the error.
      expect(run.stderr).toMatch(/^kpi: warning: the key from STRIPE_API_KEY is a full-access secret key/);
      expect(run.stderr).toMatch(/\nkpi: error: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 while listing \w+/);
      expect(run.stderr).toContain('gave up after retries');
      // 7 attempts with backoff capped at 8 s: at most 0.25 + 0.5 + 1 + 2 + 4 + 8 = 15.75 s of waiting.
      expect(seconds).toBeLessThan(30);
    } finally {
      await broken.close();
    }
  });
});
