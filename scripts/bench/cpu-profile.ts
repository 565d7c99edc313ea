/**
 * Where a kpi run's processor time went, from a V8 CPU profile of its main thread
 * (`node --cpu-prof`): garbage collection, the Stripe SDK's JSON parsing and decimal
 * coercion, Node's HTTP and streams, kpi's own bundle. Time on other threads (V8's
 * helper threads for collection and compilation, libuv) is the process's CPU time minus
 * the main thread's busy time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const OWNERS = [
  'V8 garbage collection',
  'Stripe SDK: JSON.parse of responses',
  'Stripe SDK: decimal coercion',
  'Stripe SDK: other',
  'Node: HTTP, sockets, streams, timers',
  "kpi's bundle (rules, mapping, checks, libraries)",
  'other (natives, compilation, program)',
] as const;
type Owner = (typeof OWNERS)[number];

function ownerOf({ functionName, url }: ProfileNode['callFrame']): Owner | 'idle' {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'V8 garbage collection';
  if (url.includes('node_modules/stripe/')) {
    if (functionName === '_parseResponseBody') return 'Stripe SDK: JSON.parse of responses';
    if (/Coercion|Decimal/.test(url)) return 'Stripe SDK: decimal coercion';
    return 'Stripe SDK: other';
  }
  if (url.startsWith('node:')) return 'Node: HTTP, sockets, streams, timers';
  if (url.endsWith('kpi.cjs') || url.includes('/dist/')) return "kpi's bundle (rules, mapping, checks, libraries)";
  return 'other (natives, compilation, program)';
}

/** Milliseconds per owner on the main thread, and the thread's busy total. */
export function mainThreadTime(profilePath: string): { byOwner: Map<Owner, number>; busyMs: number } {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byOwner = new Map<Owner, number>(OWNERS.map((owner) => [owner, 0]));
  let busyMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const owner = ownerOf(frames.get(id) as ProfileNode['callFrame']);
    if (owner === 'idle') return;
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    busyMs += ms;
  });
  return { byOwner, busyMs };
}

/** A Markdown table of the breakdown, with each part per request and as a share of the process CPU. */
export function describeCpu(profilePath: string, processCpuSeconds: number, requests: number): string[] {
  const { byOwner, busyMs } = mainThreadTime(profilePath);
  const processMs = processCpuSeconds * 1000;
  const row = (label: string, ms: number) =>
    `| ${label} | ${ms.toFixed(0)} ms | ${(ms / requests).toFixed(2)} ms | ${((ms / processMs) * 100).toFixed(0)} % |`;
  return [
    '| where (main thread unless said) | CPU | per request | share of the process |',
    '| --- | ---: | ---: | ---: |',
    ...OWNERS.map((owner) => row(owner, byOwner.get(owner) ?? 0)),
    row('other threads (V8 helpers, libuv): process minus main thread', Math.max(0, processMs - busyMs)),
    row('the whole process', processMs),
  ];
}
