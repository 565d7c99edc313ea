/**
 * Where a kpi run's processor time went. A V8 CPU profile (`node --cpu-prof`) samples the
 * main thread: its samples say in what proportions that thread's time went to garbage
 * collection, the Stripe SDK's JSON parsing and decimal coercion, Node's HTTP and streams
 * and kpi's own bundle. The samples are wall time (a thread waiting for a core counts),
 * so the proportions are scaled to the main thread's CPU time, read from the system, and
 * the other threads (V8's helpers for collection and compilation, libuv's) get the rest
 * of the process's CPU time.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const OWNERS = [
  'V8 garbage collection',
  'Stripe SDK: JSON.parse of responses',
  'Stripe SDK: decimal coercion',
  'Stripe SDK: other',
  'Node: HTTP, sockets, streams, timers',
  "kpi's bundle (rules, mapping, checks, libraries)",
  'other (program, compilation, other packages, the loader)',
] as const;
export type Owner = (typeof OWNERS)[number];
const OTHER: Owner = 'other (program, compilation, other packages, the loader)';

/** V8's own entries, which stand for themselves wherever they are sampled. */
const V8_ENTRIES = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);

function ownerOfScript({ functionName, url }: CallFrame): Owner {
  if (url.includes('node_modules/stripe/')) {
    if (functionName === '_parseResponseBody') return 'Stripe SDK: JSON.parse of responses';
    if (/Coercion|Decimal/.test(url)) return 'Stripe SDK: decimal coercion';
    return 'Stripe SDK: other';
  }
  if (url.startsWith('node:')) return 'Node: HTTP, sockets, streams, timers';
  if (url.endsWith('/kpi.cjs')) return "kpi's bundle (rules, mapping, checks, libraries)";
  return OTHER;
}

/** Main-thread milliseconds per owner as sampled, and the sampled busy total. */
export function sampledTime(profilePath: string): { byOwner: Map<Owner, number>; busyMs: number } {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  // A native function (writev, the HTTP parser, a decoder) has no script of its own: it
  // belongs to the nearest caller that has one (Node's HTTP code calling writev).
  const owners = new Map<number, Owner | 'idle'>();
  const ownerOf = (id: number): Owner | 'idle' => {
    const known = owners.get(id);
    if (known) return known;
    const { callFrame } = nodes.get(id) as ProfileNode;
    let owner: Owner | 'idle';
    if (callFrame.functionName === '(idle)') owner = 'idle';
    else if (callFrame.functionName === '(garbage collector)') owner = 'V8 garbage collection';
    else if (V8_ENTRIES.has(callFrame.functionName)) owner = OTHER;
    else if (callFrame.url !== '') owner = ownerOfScript(callFrame);
    else {
      const parent = parents.get(id);
      owner = parent === undefined ? OTHER : ownerOf(parent);
    }
    owners.set(id, owner);
    return owner;
  };

  const byOwner = new Map<Owner, number>(OWNERS.map((owner) => [owner, 0]));
  let busyMs = 0;
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time before sample i: a sample lasts until the next one.
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const owner = ownerOf(id);
    if (owner === 'idle') return;
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    busyMs += ms;
  });
  return { byOwner, busyMs };
}

/**
 * A Markdown table: each owner's CPU (its share of the sampled busy time times the main
 * thread's CPU), per request and as a share of the process's CPU. Without the main
 * thread's CPU (not Linux) the sampled time stands in for it, and the table says so.
 */
export function describeCpu(profilePath: string, cpu: { processSeconds: number; mainThreadSeconds: number | null }, requests: number): string[] {
  const { byOwner, busyMs } = sampledTime(profilePath);
  const processMs = cpu.processSeconds * 1000;
  const mainMs = cpu.mainThreadSeconds === null ? busyMs : cpu.mainThreadSeconds * 1000;
  const scale = busyMs > 0 ? mainMs / busyMs : 0;
  const row = (label: string, ms: number) => `| ${label} | ${ms.toFixed(0)} ms | ${(ms / requests).toFixed(2)} ms | ${((ms / processMs) * 100).toFixed(0)} % |`;
  return [
    '| where | CPU | per request | share of the process |',
    '| --- | ---: | ---: | ---: |',
    ...OWNERS.map((owner) => row(`main thread: ${owner}`, (byOwner.get(owner) ?? 0) * scale)),
    row(cpu.mainThreadSeconds === null ? 'main thread (sampled wall time: no CPU figure on this system)' : 'main thread in all', mainMs),
    row("other threads (V8's workers, libuv, the profiler): process minus main thread", processMs - mainMs),
    row('the whole process', processMs),
  ];
}
