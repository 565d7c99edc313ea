import { setFlagsFromString } from 'node:v8';

/**
 * A Stripe read parses a 300 KB page about a hundred times a second and keeps only a
 * compact model of it (about 20 MB live at 100,000 subscriptions). With V8's defaults the
 * young generation grows to 32 MB and the old generation to three or four times what
 * survived the last full collection, so the process peaked near 185 MB of which more than
 * half was garbage not yet collected. Measured at 100,000 subscriptions in live mode
 * (BENCHMARKS.md), these two settings bring the peak near 130 MB at the same CPU time:
 *
 * - the young generation stays at the size it starts with (each page's objects die young
 *   either way; a larger one only holds more garbage);
 * - the old generation may grow to three times what survived, not V8's dynamic factor of
 *   up to four (lower factors cost CPU: 1.5 times took 40 % more).
 *
 * V8 fixes its heap sizes when the process starts (`--max-semi-space-size` would need a
 * flag on the `node` command line), but reads these two each time it sizes the heap after
 * a collection, so setting them when a long read begins takes effect. Both flags have
 * existed in V8 for years; an unknown one would only print a line on stderr, which a test
 * guards against for the Node version in use.
 */
export const HEAP_GROWTH_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=200'] as const;

/** Heap settings someone gave node themselves: theirs win. */
const USER_HEAP_FLAG = /--(?:max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|max-old-space-size|max-heap-size)\b/;

export function heapGrowthFlags(execArgv: readonly string[], nodeOptions: string | undefined): readonly string[] {
  const given = [...execArgv, nodeOptions ?? ''].some((argument) => USER_HEAP_FLAG.test(argument.replaceAll('_', '-')));
  return given ? [] : HEAP_GROWTH_FLAGS;
}

let applied = false;

/** Before a long read: keeps the garbage of parsed pages from piling up (once per process). */
export function limitHeapGrowth(): void {
  if (applied) return;
  applied = true;
  for (const flag of heapGrowthFlags(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
}
