import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCpu, sampledTime } from '../../scripts/bench/cpu-profile.js';

describe("the bench's CPU breakdown", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-cpu-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const node = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
  const profile = {
    nodes: [
      node(1, '(root)', '', [2, 3, 4, 5, 6, 7, 9]),
      node(2, '(idle)', ''),
      node(3, '(garbage collector)', ''),
      node(4, '_parseResponseBody', 'file:///app/node_modules/stripe/cjs/net/HttpClient.js'),
      node(5, 'coerceV2ResponseData', 'file:///app/node_modules/stripe/cjs/V2Coercion.js'),
      node(6, 'socketOnData', 'node:_http_client', [8]),
      // A native function has no script: it is its caller's (Node's HTTP code here).
      node(8, 'writev', ''),
      node(7, 'evaluateSubscription', 'file:///app/dist/kpi.cjs'),
      node(9, '(program)', ''),
    ],
    // timeDeltas[i] is the time before sample i, so each sample lasts the next delta:
    // idle 1 ms, GC 2, parse 3, coercion 4, socketOnData 5, writev 6, kpi 7, program 8,
    // and the closing idle sample 0.
    samples: [2, 3, 4, 5, 6, 8, 7, 9, 2],
    timeDeltas: [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000],
  };
  const path = join(dir, 'run.cpuprofile');
  writeFileSync(path, JSON.stringify(profile));

  it('puts each sample with its owner, natives with their caller, idle time in none', () => {
    const { byOwner, busyMs } = sampledTime(path);
    expect(byOwner.get('V8 garbage collection')).toBe(2);
    expect(byOwner.get('Stripe SDK: JSON.parse of responses')).toBe(3);
    expect(byOwner.get('Stripe SDK: decimal coercion')).toBe(4);
    expect(byOwner.get('Node: HTTP, sockets, streams, timers')).toBe(5 + 6);
    expect(byOwner.get("kpi's bundle (rules, mapping, checks, libraries)")).toBe(7);
    expect(byOwner.get('other (program, compilation, other packages, the loader)')).toBe(8);
    // 2 + 3 + 4 + 11 + 7 + 8 = 35 ms busy; the idle samples are not.
    expect(busyMs).toBe(35);
  });

  it("scales the sampled proportions to the main thread's CPU and gives the rest to other threads", () => {
    // The main thread used 70 ms of CPU (twice the 35 ms sampled busy), the process 140 ms; 7 requests.
    const table = describeCpu(path, { processSeconds: 0.14, mainThreadSeconds: 0.07 }, 7);
    // GC: 2 ms x 2 = 4 ms, 4 / 7 = 0.57 ms a request, 4 / 140 = 3 %.
    expect(table).toContain('| main thread: V8 garbage collection | 4 ms | 0.57 ms | 3 % |');
    // Node: (5 + 6) x 2 = 22 ms, 3.14 ms a request, 16 %.
    expect(table).toContain('| main thread: Node: HTTP, sockets, streams, timers | 22 ms | 3.14 ms | 16 % |');
    expect(table).toContain('| main thread in all | 70 ms | 10.00 ms | 50 % |');
    expect(table).toContain("| other threads (V8's workers, libuv, the profiler): process minus main thread | 70 ms | 10.00 ms | 50 % |");
    expect(table).toContain('| the whole process | 140 ms | 20.00 ms | 100 % |');
  });

  it('says so when the system does not tell the main thread CPU, and shows a negative rest as it is', () => {
    const table = describeCpu(path, { processSeconds: 0.03, mainThreadSeconds: null }, 7);
    expect(table).toContain('| main thread (sampled wall time: no CPU figure on this system) | 35 ms | 5.00 ms | 117 % |');
    // 30 - 35 = -5 ms: sampled wall time exceeded the CPU; not hidden behind a zero.
    expect(table).toContain("| other threads (V8's workers, libuv, the profiler): process minus main thread | -5 ms | -0.71 ms | -17 % |");
  });
});
