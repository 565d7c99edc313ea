/**
 * `npm run bench`: kpi's Stripe reads against the naive sequential baseline, on the
 * project's Stripe-compatible server with a generated account, a per-request latency and
 * a rate limit. Every number comes from this one run on this machine; compare ratios.
 *
 *   npm run bench                       both scenarios of BENCHMARKS.md
 *   npm run bench -- --only 20k         one of them (20k or 100k)
 *   npm run bench -- --subscriptions N --latency-ms L --rate-limit R [--skip-baseline]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Scenario {
  name: string;
  subscriptions: number;
  latencyMs: number;
  rateLimit: number;
  skipBaseline: boolean;
}

interface Measurement {
  seconds: number;
  requests: number;
  peakRssMb: number;
  subscriptions: number;
}

const SCENARIOS: Scenario[] = [
  { name: '20k', subscriptions: 20_000, latencyMs: 200, rateLimit: 100, skipBaseline: false },
  { name: '100k', subscriptions: 100_000, latencyMs: 200, rateLimit: 25, skipBaseline: false },
];

function parseArgs(argv: string[]): Scenario[] {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const skipBaseline = argv.includes('--skip-baseline');
  if (value('--subscriptions')) {
    return [
      {
        name: 'custom',
        subscriptions: Number(value('--subscriptions')),
        latencyMs: Number(value('--latency-ms') ?? 200),
        rateLimit: Number(value('--rate-limit') ?? 100),
        skipBaseline,
      },
    ];
  }
  const only = value('--only');
  return SCENARIOS.filter((scenario) => !only || scenario.name === only).map((scenario) => ({ ...scenario, skipBaseline: skipBaseline || scenario.skipBaseline }));
}

/** Starts the test server in its own process (so its memory is not counted) and waits for its URL. */
async function startServer(scenario: Scenario, key: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', 'test/support/stripe-server/cli.ts',
      '--generate', String(scenario.subscriptions),
      '--latency-ms', String(scenario.latencyMs),
      '--rate-limit', String(scenario.rateLimit),
      '--api-key', key,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('http://')) return { url: line.trim(), process: child };
  }
  throw new Error('the test server exited before printing its URL');
}

function run(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; seconds: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code, seconds: (performance.now() - started) / 1000 }));
  });
}

async function measureBaseline(url: string, key: string): Promise<Measurement> {
  const result = await run(['scripts/bench/baseline.mjs', url, key], {});
  if (result.code !== 0) throw new Error(`baseline failed: ${result.stderr}`);
  const summary = JSON.parse(result.stdout) as Measurement;
  return { ...summary, seconds: result.seconds };
}

async function measureKpi(url: string, key: string): Promise<Measurement> {
  const result = await run(['bin/kpi.js', 'mrr', '--format', 'json', '--verbose'], { STRIPE_API_KEY: key, STRIPE_API_BASE: url });
  if (result.code !== 0) throw new Error(`kpi failed: ${result.stderr}`);
  const cost = /(\d+) subscriptions read with (\d+) requests .*peak memory (\d+) MB/.exec(result.stderr);
  if (!cost) throw new Error(`no --verbose summary in: ${result.stderr}`);
  return { seconds: result.seconds, subscriptions: Number(cost[1]), requests: Number(cost[2]), peakRssMb: Number(cost[3]) };
}

async function benchmark(scenario: Scenario): Promise<string> {
  // Stripe allows 100 requests/s in live mode and 25 in test mode: the key's mode picks kpi's default ceiling.
  const key = scenario.rateLimit >= 100 ? 'sk_live_benchmarkKey0000000000' : 'sk_test_benchmarkKey0000000000';
  const server = await startServer(scenario, key);
  try {
    process.stderr.write(`[${scenario.name}] server ready at ${server.url}; running kpi mrr…\n`);
    const kpi = await measureKpi(server.url, key);
    let baseline: Measurement | null = null;
    if (!scenario.skipBaseline) {
      process.stderr.write(`[${scenario.name}] kpi took ${kpi.seconds.toFixed(1)} s; running the sequential baseline…\n`);
      baseline = await measureBaseline(server.url, key);
    }
    // The floor: every subscription once, 100 per page, at the server's rate, plus the 3 catalog pages.
    const floor = (scenario.subscriptions / 100 + 3) / scenario.rateLimit;
    const lines = [
      `### N = ${scenario.subscriptions.toLocaleString('en')}, latency ${scenario.latencyMs} ms, rate limit ${scenario.rateLimit}/s`,
      '',
      '| | wall time | requests | peak RSS | subscriptions read |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...(baseline ? [`| baseline (SDK auto-pagination, sequential) | ${baseline.seconds.toFixed(1)} s | ${baseline.requests} | ${baseline.peakRssMb} MB | ${baseline.subscriptions} |`] : []),
      `| kpi mrr | ${kpi.seconds.toFixed(1)} s | ${kpi.requests} | ${kpi.peakRssMb} MB | ${kpi.subscriptions} |`,
      '',
      ...(baseline ? [`- kpi is **${(baseline.seconds / kpi.seconds).toFixed(1)}x** faster than the baseline.`] : []),
      `- Floor (N / 100 / R + 3 catalog pages / R) = ${floor.toFixed(1)} s; kpi takes **${(kpi.seconds / floor).toFixed(2)}x** the floor.`,
      '',
    ];
    return lines.join('\n');
  } finally {
    server.process.kill('SIGTERM');
  }
}

const sections: string[] = [];
for (const scenario of parseArgs(process.argv.slice(2))) sections.push(await benchmark(scenario));
process.stdout.write(`${sections.join('\n')}\n`);
