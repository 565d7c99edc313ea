/**
 * Start-up of `kpi mrr --demo`, process start to exit, against `node -e 0` on the same
 * machine (and, with a baseline, against another build of kpi). Absolute times depend on
 * the machine and its load; compare the ratios.
 *
 *   npx tsx scripts/bench/startup.ts [--baseline DIR] [--runs N]
 *
 * DIR is another checkout of kpi, built (`npm run build`), such as the commit before a
 * change. The commands run interleaved, in a rotating order, so that load on the machine
 * falls on all of them alike; each figure is the median of the runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_RUNS = 21;

/**
 * Node reports CPU time only for its own process, so each child reports its own at exit
 * (user and system microseconds) into a file. A preloaded CommonJS file costs all the
 * commands the same fraction of a millisecond, and does not start the ESM loader for
 * `node -e 0`.
 */
const CPU_REPORTER = `const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.STARTUP_BENCH_CPU_FILE, String(usage.userCPUTime + usage.systemCPUTime));
});
`;

interface Subject {
  label: string;
  args: string[];
  cwd: string;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function runOnce(subject: Subject, reporter: string, cpuFile: string): Sample {
  rmSync(cpuFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', reporter, ...subject.args], {
    cwd: subject.cwd,
    // No config, data dir or clock from the caller's environment: every build reads the same demo.
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), STARTUP_BENCH_CPU_FILE: cpuFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${subject.label} exited with ${result.status ?? result.signal}: ${result.stderr.toString().slice(0, 2000)}`);
  }
  return { wallMs, cpuMs: Number(readFileSync(cpuFile, 'utf8')) / 1000 };
}

function kpiSubject(label: string, root: string): Subject {
  return { label, args: [join(root, 'bin', 'kpi.js'), 'mrr', '--demo', '--format', 'json'], cwd: root };
}

/** Runs `node -e 0` and `kpi mrr --demo --format json` (here, and in the baseline) interleaved; returns a Markdown section. */
export async function measureStartup(opts: { root: string; baselineRoot?: string; runs?: number }): Promise<string> {
  const runs = opts.runs ?? DEFAULT_RUNS;
  const subjects: Subject[] = [
    { label: 'node -e 0', args: ['-e', '0'], cwd: opts.root },
    kpiSubject('kpi mrr --demo', opts.root),
    ...(opts.baselineRoot ? [kpiSubject('kpi mrr --demo (baseline)', opts.baselineRoot)] : []),
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'kpi-startup-bench-'));
  try {
    const reporter = join(scratch, 'cpu-reporter.cjs');
    writeFileSync(reporter, CPU_REPORTER);
    const cpuFile = join(scratch, 'cpu');
    // One unmeasured round: the files in the page cache, as for every later run.
    for (const subject of subjects) runOnce(subject, reporter, cpuFile);
    const samples = new Map<Subject, Sample[]>(subjects.map((subject) => [subject, []]));
    for (let round = 0; round < runs; round++) {
      for (let index = 0; index < subjects.length; index++) {
        const subject = subjects[(round + index) % subjects.length]!;
        samples.get(subject)!.push(runOnce(subject, reporter, cpuFile));
      }
    }
    const medians = new Map(subjects.map((subject) => {
      const list = samples.get(subject)!;
      return [subject.label, { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)) }] as const;
    }));
    return report(medians, runs, Boolean(opts.baselineRoot));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(medians: Map<string, Sample>, runs: number, withBaseline: boolean): string {
  const node = medians.get('node -e 0')!;
  const kpi = medians.get('kpi mrr --demo')!;
  const baseline = medians.get('kpi mrr --demo (baseline)');
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const lines = [
    '### Start-up: `kpi mrr --demo --format json`, process start to exit',
    '',
    `Median of ${runs} interleaved runs each; CPU is user + system time of the process.`,
    '',
    '| | wall time | CPU | wall / node -e 0 | CPU / node -e 0 |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, sample] of medians) {
    lines.push(`| ${label} | ${ms(sample.wallMs)} | ${ms(sample.cpuMs)} | ${ratio(sample.wallMs, node.wallMs)} | ${ratio(sample.cpuMs, node.cpuMs)} |`);
  }
  lines.push('');
  if (withBaseline && baseline) {
    lines.push(
      `- kpi / baseline: wall ${(kpi.wallMs / baseline.wallMs * 100).toFixed(0)} %, CPU ${(kpi.cpuMs / baseline.cpuMs * 100).toFixed(0)} %` +
        ` (as multiples of node -e 0: ${ratio(kpi.wallMs, node.wallMs)} against ${ratio(baseline.wallMs, node.wallMs)}, ` +
        `${((kpi.wallMs / node.wallMs) / (baseline.wallMs / node.wallMs) * 100).toFixed(0)} %).`,
    );
    lines.push(
      `- Beyond node's own start (minus node -e 0): kpi ${ms(kpi.wallMs - node.wallMs)}, baseline ${ms(baseline.wallMs - node.wallMs)}` +
        ` (${((kpi.wallMs - node.wallMs) / (baseline.wallMs - node.wallMs) * 100).toFixed(0)} %).`,
    );
  }
  return lines.join('\n') + '\n';
}

function parseArgs(argv: string[]): { baselineRoot?: string; runs?: number } {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const baseline = value('--baseline');
  const runs = value('--runs');
  if (runs !== undefined && !(Number.isInteger(Number(runs)) && Number(runs) > 0)) throw new Error(`--runs takes a whole number above 0, not "${runs}"`);
  return { ...(baseline ? { baselineRoot: resolve(baseline) } : {}), ...(runs ? { runs: Number(runs) } : {}) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(await measureStartup({ root: ROOT, ...parseArgs(process.argv.slice(2)) }));
}
