/**
 * `npm run bench`: kpi's Stripe reads against the rate-limit floor and the naive
 * sequential baseline, on the project's Stripe-compatible server with a generated
 * account, a per-request latency and a rate limit; then kpi's start-up. Every number
 * comes from this one run on this machine: compare ratios, not seconds.
 *
 *   npm run bench                          every scenario of BENCHMARKS.md, then start-up
 *   npm run bench -- --only 20k            one of them (20k, 100k-live, 100k-test, startup)
 *   npm run bench -- --compare DIR         also measure the kpi built in DIR (before/after)
 *   npm run bench -- --baseline            the sequential baseline in every scenario (slow)
 *   npm run bench -- --cpu-profile         also where kpi's CPU time goes (one more run, profiled)
 *   npm run bench -- --subscriptions N --latency-ms L --rate-limit R [--skip-baseline]
 *
 * Each run's JSON is checked against the figures computed from the served account itself
 * (generated in this process, valued by the same rules without any network): a fast read
 * that lost or repeated a subscription fails the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_AS_OF, generateDemoAccount } from '../demo-account/generate.js';
import { computeRevenue } from '../../src/app/compute-revenue.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load.js';
import { renderRevenueJson } from '../../src/render/revenue-json.js';
import { AccountFileReader } from '../../src/sources/stripe/account-file-reader.js';
import { WireBillingSource } from '../../src/sources/stripe/wire-source.js';
import { describeCpu } from './cpu-profile.js';
import { measureStartup } from './startup.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CPU_REPORTER = fileURLToPath(new URL('./report-cpu.mjs', import.meta.url));
/** The generated account's own moment: kpi values it then, so figures do not drift with the clock. */
const AS_OF_ISO = new Date(DEFAULT_AS_OF * 1000).toISOString();

interface Scenario {
  name: string;
  subscriptions: number;
  latencyMs: number;
  rateLimit: number;
  baseline: boolean;
}

interface Measurement {
  label: string;
  seconds: number;
  requests: number;
  peakRssMb: number;
  subscriptions: number;
  /** Processor seconds the whole process used, start-up included (kpi only). */
  cpuSeconds: number | null;
  /** Of those, the main thread's (where the system tells it). */
  mainThreadCpuSeconds?: number | null;
  /** Where the run's figures first differ from the served account's; null when they are equal. */
  figuresDiffer?: string | null;
}

const SCENARIOS: Scenario[] = [
  { name: '20k', subscriptions: 20_000, latencyMs: 200, rateLimit: 100, baseline: true },
  { name: '100k-live', subscriptions: 100_000, latencyMs: 200, rateLimit: 100, baseline: false },
  { name: '100k-test', subscriptions: 100_000, latencyMs: 200, rateLimit: 25, baseline: false },
];

interface Options {
  scenarios: Scenario[];
  startup: boolean;
  compare: string | null;
  cpuProfile: boolean;
}

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const compare = value('--compare') ?? null;
  if (compare !== null && !existsSync(`${compare}/bin/kpi.js`)) throw new Error(`--compare ${compare}: no bin/kpi.js there (build it first)`);
  const baseline = (scenario: Scenario) => !argv.includes('--skip-baseline') && (scenario.baseline || argv.includes('--baseline'));
  if (value('--subscriptions')) {
    const custom: Scenario = {
      name: 'custom',
      subscriptions: Number(value('--subscriptions')),
      latencyMs: Number(value('--latency-ms') ?? 200),
      rateLimit: Number(value('--rate-limit') ?? 100),
      baseline: true,
    };
    return { scenarios: [{ ...custom, baseline: baseline(custom) }], startup: false, compare, cpuProfile: argv.includes('--cpu-profile') };
  }
  const only = value('--only');
  const known = [...SCENARIOS.map((scenario) => scenario.name), 'startup'];
  if (only && !known.includes(only)) throw new Error(`--only ${only}: expected one of ${known.join(', ')}`);
  return {
    scenarios: SCENARIOS.filter((scenario) => !only || scenario.name === only).map((scenario) => ({ ...scenario, baseline: baseline(scenario) })),
    startup: !only || only === 'startup',
    compare,
    cpuProfile: argv.includes('--cpu-profile'),
  };
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

function run(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ stdout: string; stderr: string; seconds: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const summary = JSON.parse(result.stdout) as Omit<Measurement, 'label' | 'cpuSeconds'>;
  return { ...summary, label: 'baseline (SDK auto-pagination, sequential)', seconds: result.seconds, cpuSeconds: null };
}

/** Runs `kpi mrr` from a checkout and checks its figures; `--verbose` tells what the read cost. */
async function measureKpi(label: string, root: string, url: string, key: string, expected: unknown, strict = true, nodeFlags: string[] = []): Promise<Measurement> {
  const result = await run([...nodeFlags, '--import', CPU_REPORTER, 'bin/kpi.js', 'mrr', '--format', 'json', '--verbose'], { STRIPE_API_KEY: key, STRIPE_API_BASE: url, KPI_NOW: AS_OF_ISO }, root);
  if (result.code !== 0) throw new Error(`${label} failed: ${result.stderr}`);
  const cost = /(\d+) subscriptions read with (\d+) requests .*peak memory (\d+) MB/.exec(result.stderr);
  const cpu = /^bench-process-cpu-seconds ([\d.]+)$/m.exec(result.stderr);
  const mainThreadCpu = /^bench-main-thread-cpu-seconds ([\d.]+)$/m.exec(result.stderr);
  if (!cost || !cpu) throw new Error(`no --verbose summary in: ${result.stderr}`);
  const figures = comparable(JSON.parse(result.stdout));
  const figuresDiffer = firstDifference(figures, expected, '');
  if (figuresDiffer !== null && strict) {
    throw new Error(`${label}: the figures differ from those of the served account itself at ${figuresDiffer}`);
  }
  return {
    label,
    seconds: result.seconds,
    subscriptions: Number(cost[1]),
    requests: Number(cost[2]),
    cpuSeconds: Number(cpu[1]),
    mainThreadCpuSeconds: mainThreadCpu ? Number(mainThreadCpu[1]) : null,
    peakRssMb: Number(cost[3]),
    figuresDiffer,
  };
}

/** The path of the first value that differs, with both values; null when equal. */
function firstDifference(actual: unknown, expected: unknown, path: string): string | null {
  if (isDeepStrictEqual(actual, expected)) return null;
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
      const found = firstDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return `${path || '(top)'}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`;
}

/** A report's figures, without what names the run (its time, its source). */
function comparable(report: Record<string, unknown>): Record<string, unknown> {
  const { generated_at: _generated, source: _source, ...figures } = report;
  return figures;
}

/** `kpi mrr` of the generated account, valued in this process from the account itself. */
async function expectedFigures(subscriptions: number): Promise<unknown> {
  const account = generateDemoAccount({ subscriptions, check: false });
  const source = new WireBillingSource(new AccountFileReader(account), 'the generated account', DEFAULT_AS_OF);
  const report = await computeRevenue(source, parseConfig(DEFAULT_CONFIG, 'built-in default'), { measure: 'mrr', explain: false, now: new Date(AS_OF_ISO) });
  return comparable(JSON.parse(renderRevenueJson(report)));
}

async function benchmark(scenario: Scenario, compare: string | null, cpuProfile: boolean): Promise<string> {
  // Stripe allows 100 requests/s in live mode and 25 in test mode: the key's mode picks kpi's default ceiling.
  const key = scenario.rateLimit >= 100 ? 'sk_live_benchmarkKey0000000000' : 'sk_test_benchmarkKey0000000000';
  const expected = await expectedFigures(scenario.subscriptions);
  const server = await startServer(scenario, key);
  const measured: Measurement[] = [];
  let profile: { lines: string[]; measurement: Measurement } | null = null;
  try {
    process.stderr.write(`[${scenario.name}] server ready at ${server.url}; running kpi mrr…\n`);
    // The build compared with is measured, not judged: its figures are reported below.
    if (compare) measured.push(await measureKpi(`kpi mrr (${compare.replace(/\/+$/, '').split('/').at(-1)})`, compare, server.url, key, expected, false));
    measured.push(await measureKpi('kpi mrr', ROOT, server.url, key, expected));
    if (cpuProfile) {
      // Profiling slows a run down: it gets a run of its own, reported apart from the table.
      process.stderr.write(`[${scenario.name}] running kpi mrr once more with a CPU profile…\n`);
      const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-profile-'));
      try {
        const profiled = await measureKpi('kpi mrr (profiled)', ROOT, server.url, key, expected, true, ['--cpu-prof', '--cpu-prof-dir', dir]);
        const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
        if (!file || profiled.cpuSeconds === null) throw new Error('the profiled run wrote no CPU profile');
        const cpu = { processSeconds: profiled.cpuSeconds, mainThreadSeconds: profiled.mainThreadCpuSeconds ?? null };
        profile = { lines: describeCpu(join(dir, file), cpu, profiled.requests), measurement: profiled };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (scenario.baseline) {
      process.stderr.write(`[${scenario.name}] running the sequential baseline…\n`);
      measured.push(await measureBaseline(server.url, key));
    }
  } finally {
    server.process.kill('SIGTERM');
  }
  const kpi = measured.find((measurement) => measurement.label === 'kpi mrr') as Measurement;
  const baseline = measured.find((measurement) => measurement.label.startsWith('baseline'));
  // The floor: every subscription once, 100 per page, at the server's rate, plus the 3
  // catalog pages; the floor of what kpi reads counts only the pages of counted statuses.
  const floor = (scenario.subscriptions / 100 + 3) / scenario.rateLimit;
  const readFloor = (Math.ceil(kpi.subscriptions / 100) + 3) / scenario.rateLimit;
  const cpuPerPage = (m: Measurement) => (m.cpuSeconds === null ? '–' : `${((m.cpuSeconds / m.requests) * 1000).toFixed(1)} ms`);
  const lines = [
    `### N = ${scenario.subscriptions.toLocaleString('en')}, latency ${scenario.latencyMs} ms, rate limit ${scenario.rateLimit}/s (${scenario.rateLimit >= 100 ? 'live' : 'test'} mode)`,
    '',
    '| | wall time | x floor | requests | CPU | CPU per request | peak RSS | subscriptions read |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...measured.map(
      (m) =>
        `| ${m.label} | ${m.seconds.toFixed(1)} s | ${(m.seconds / floor).toFixed(2)} | ${m.requests} | ${m.cpuSeconds === null ? '–' : `${m.cpuSeconds.toFixed(2)} s`} | ${cpuPerPage(m)} | ${m.peakRssMb} MB | ${m.subscriptions} |`,
    ),
    '',
    `- Floor (N / 100 / R + 3 catalog pages / R) = ${floor.toFixed(1)} s; kpi takes **${(kpi.seconds / floor).toFixed(2)}x** the floor` +
      ` and **${(kpi.seconds / readFloor).toFixed(2)}x** the floor of what it reads ((${Math.ceil(kpi.subscriptions / 100)} + 3) / ${scenario.rateLimit} = ${readFloor.toFixed(1)} s).`,
    ...(baseline ? [`- kpi is **${(baseline.seconds / kpi.seconds).toFixed(1)}x** faster than the sequential baseline.`] : []),
    ...measured
      .filter((m) => m !== kpi && m !== baseline)
      .map((m) => `- Against ${m.label}: **${(kpi.seconds / m.seconds).toFixed(2)}x** its wall time, ${m.cpuSeconds && kpi.cpuSeconds ? `**${(kpi.cpuSeconds / m.cpuSeconds).toFixed(2)}x** its CPU, ` : ''}${kpi.peakRssMb - m.peakRssMb >= 0 ? '+' : ''}${kpi.peakRssMb - m.peakRssMb} MB peak RSS.`),
    `- kpi's JSON equals the figures computed from the served account itself.`,
    ...measured.filter((m) => m.figuresDiffer).map((m) => `- ${m.label}'s figures differ from the served account's at ${m.figuresDiffer}.`),
    '',
    ...(profile
      ? [
          `Where kpi's CPU time went, in a run of its own with \`--cpu-prof\` (${profile.measurement.seconds.toFixed(1)} s, ${profile.measurement.requests} requests, ${profile.measurement.cpuSeconds?.toFixed(2)} CPU-s; profiling adds some):`,
          '',
          ...profile.lines,
          '',
        ]
      : []),
  ];
  return lines.join('\n');
}

const options = parseArgs(process.argv.slice(2));
const sections: string[] = [];
for (const scenario of options.scenarios) sections.push(await benchmark(scenario, options.compare, options.cpuProfile));
if (options.startup) {
  process.stderr.write('[startup] timing kpi mrr --demo against node -e 0…\n');
  sections.push(await measureStartup({ root: ROOT, ...(options.compare ? { baselineRoot: options.compare } : {}) }));
}
process.stdout.write(`${sections.join('\n')}\n`);
