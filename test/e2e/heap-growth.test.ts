import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoAccount } from '../../scripts/demo-account/generate.js';
import { runKpi } from '../support/run-kpi.js';
import { startStripeServer, type RunningStripeServer } from '../support/stripe-server/index.js';

/**
 * kpi keeps V8's young generation at the size V8 starts it with (src/runtime/heap-growth.ts,
 * set by bin/kpi.js once the bundle is loaded), through a Stripe read too. Seen from
 * outside through a probe that prints the young generation's size as kpi exits.
 */
const KEY = 'sk_test_kpi_heap';
const PROBE = fileURLToPath(new URL('../support/probes/young-generation.cjs', import.meta.url));
let server: RunningStripeServer;

beforeAll(async () => {
  // 3,000 subscriptions: about 30 pages of 300 KB, enough churn for V8 to grow a young
  // generation that may grow.
  server = await startStripeServer({ account: generateDemoAccount({ subscriptions: 3000, check: false }), apiKeys: [KEY] });
});
afterAll(() => server.close());

async function youngGenerationMb(nodeOptions: string, source: string[] = []): Promise<number> {
  const run = await runKpi(['mrr', '--format', 'json', ...source], {
    env: { STRIPE_API_KEY: KEY, STRIPE_API_BASE: server.url, KPI_NOW: '2026-11-16T00:00:00Z', NODE_OPTIONS: nodeOptions },
  });
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout).subscriptions).toBeGreaterThan(0);
  const reported = /^young-generation-mb ([\d.]+)$/m.exec(run.stderr);
  expect(reported, run.stderr).not.toBeNull();
  return Number(reported![1]);
}

describe('the heap during a Stripe read', () => {
  it('keeps the young generation from growing, unless node was given a young generation size', async () => {
    const kpis = await youngGenerationMb(`--require ${PROBE}`);
    // Given --max-semi-space-size=16 (V8's own default here), the user's setting wins and
    // the young generation grows to its two 16 MB semispaces under the same read.
    const theirs = await youngGenerationMb(`--require ${PROBE} --max-semi-space-size=16`);
    expect(theirs).toBe(32);
    // V8 starts with two semispaces of 1 MB.
    expect(kpis).toBe(2);
  }, 60_000);

  it('keeps it so in a run that reads no Stripe account too', async () => {
    expect(await youngGenerationMb(`--require ${PROBE}`, ['--demo'])).toBe(2);
  });
});
