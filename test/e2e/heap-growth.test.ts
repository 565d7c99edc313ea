import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoAccount } from '../../scripts/demo-account/generate.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * kpi keeps V8's young generation at the size V8 starts it with (src/runtime/heap-growth.ts,
 * set by bin/kpi.js once the bundle is loaded), through a Stripe read too, and sets the old
 * generation's growth when the read starts; setting a V8 flag changes the stamp a code
 * cache must match, so both come after the bundle took its cache. Seen from outside
 * through a probe that reports as kpi exits.
 */
const KEY = 'sk_test_kpi_heap';
// Quoted: NODE_OPTIONS splits on spaces, and a checkout path may hold one.
const PROBE = JSON.stringify(fileURLToPath(new URL('../support/probes/young-generation.cjs', import.meta.url)));
let server: RunningStripeServer;

beforeAll(async () => {
  // 3,000 subscriptions: about 30 pages of 300 KB, enough churn for V8 to grow a young
  // generation that may grow.
  server = await startStripeServer({ account: generateDemoAccount({ subscriptions: 3000, check: false }), apiKeys: [KEY] });
});
afterAll(() => server.close());

async function probed(nodeOptions: string, source: string[] = []) {
  const run = await runKpi(['mrr', '--format', 'json', ...source], {
    env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_NOW: '2026-11-16T00:00:00Z', NODE_OPTIONS: nodeOptions },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout).subscriptions).toBeGreaterThan(0);
  const young = /^young-generation-mb ([\d.]+)$/m.exec(run.stderr);
  const cache = /^code-cache (\w+)$/m.exec(run.stderr);
  const flags = /^flags-set (.*)$/m.exec(run.stderr);
  expect(young && cache && flags, run.stderr).toBeTruthy();
  return { youngMb: Number(young![1]), cache: cache![1], flags: JSON.parse(flags![1] as string) as string[] };
}

describe('the heap during a Stripe read', () => {
  it('keeps the young generation as V8 starts it, sets the old generation growth for the read, and still takes the code cache', async () => {
    const kpis = await probed(`--require ${PROBE}`);
    // V8 starts with two semispaces of 1 MB.
    expect(kpis.youngMb).toBe(2);
    expect(kpis.flags).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=200']);
    expect(kpis.cache).toBe('used');
  }, 60_000);

  it('leaves the young generation to a size given in NODE_OPTIONS (which V8 then grows under the same read)', async () => {
    const theirs = await probed(`--require ${PROBE} --max-semi-space-size=16`);
    expect(theirs.flags).toEqual(['--heap-growing-percent=200']);
    expect(theirs.youngMb).toBeGreaterThan(2);
  }, 60_000);

  it('keeps it so in a run that reads no Stripe account, which sets only that flag', async () => {
    const demo = await probed(`--require ${PROBE}`, ['--demo']);
    expect(demo.youngMb).toBe(2);
    expect(demo.flags).toEqual(['--semi-space-growth-factor=1']);
    expect(demo.cache).toBe('used');
  });
});
