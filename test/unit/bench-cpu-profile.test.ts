import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCpu, mainThreadTime } from '../../scripts/bench/cpu-profile.js';

describe("the bench's CPU breakdown", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-cpu-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });
  // One sample per node, each lasting its id in milliseconds (timeDeltas are microseconds).
  const profile = {
    nodes: [
      frame(1, '(idle)', ''),
      frame(2, '(garbage collector)', ''),
      frame(3, '_parseResponseBody', 'file:///app/node_modules/stripe/cjs/net/HttpClient.js'),
      frame(4, 'coerceV2ResponseData', 'file:///app/node_modules/stripe/cjs/V2Coercion.js'),
      frame(5, 'socketOnData', 'node:_http_client'),
      frame(6, 'evaluateSubscription', 'file:///app/dist/kpi.cjs'),
      frame(7, '(program)', ''),
    ],
    samples: [1, 2, 3, 4, 5, 6, 7],
    timeDeltas: [1000, 2000, 3000, 4000, 5000, 6000, 7000],
  };
  const path = join(dir, 'run.cpuprofile');
  writeFileSync(path, JSON.stringify(profile));

  it('puts each sample with its owner and leaves idle time out of the busy total', () => {
    const { byOwner, busyMs } = mainThreadTime(path);
    expect(byOwner.get('V8 garbage collection')).toBe(2);
    expect(byOwner.get('Stripe SDK: JSON.parse of responses')).toBe(3);
    expect(byOwner.get('Stripe SDK: decimal coercion')).toBe(4);
    expect(byOwner.get('Node: HTTP, sockets, streams, timers')).toBe(5);
    expect(byOwner.get("kpi's bundle (rules, mapping, checks, libraries)")).toBe(6);
    expect(byOwner.get('other (natives, compilation, program)')).toBe(7);
    // 2 + 3 + 4 + 5 + 6 + 7 = 27 ms busy; the 1 ms idle is not.
    expect(busyMs).toBe(27);
  });

  it('counts what the main thread did not as other threads, per request and as a share', () => {
    // 0.054 CPU-s for the process = 54 ms: 27 on the main thread, 27 elsewhere; 9 requests.
    const table = describeCpu(path, 0.054, 9);
    expect(table).toContain('| V8 garbage collection | 2 ms | 0.22 ms | 4 % |');
    expect(table).toContain('| other threads (V8 helpers, libuv): process minus main thread | 27 ms | 3.00 ms | 50 % |');
    expect(table).toContain('| the whole process | 54 ms | 6.00 ms | 100 % |');
  });
});
