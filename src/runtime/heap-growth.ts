import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/**
 * A Stripe read parses a 300 KB page about a hundred times a second and keeps only a
 * compact model of it (about 20 MB live at 100,000 subscriptions). With V8's defaults the
 * young generation grows to 32 MB and the old generation to up to four times what
 * survived the last full collection, so the process peaked near 185 MB, more than half of
 * it garbage not yet collected. Two settings, measured in BENCHMARKS.md ("Memory"), bring
 * the peak near 130 MB at the same CPU time:
 *
 * - the young generation does not grow (each page's objects die young either way; a
 *   larger one only holds more garbage). A growth factor of 1 is below the 2 V8 accepts
 *   on the command line; set later, V8's growth step asks for the size it already has and
 *   leaves it there. bin/kpi.js sets it as soon as the bundle is loaded, for every
 *   command: how far start-up alone grew it (to 8 or 16 MB) changed with something as
 *   small as the length of the install path, and no command needs it larger (start-up
 *   took the same time either way);
 * - the old generation grows to three times what survived. The flag replaces V8's own
 *   factor, which V8 chooses from the speed of collection against allocation, up to four
 *   where the old generation may reach 2 GB and 1.3 to 2 on smaller heaps (a host with
 *   less memory, a smaller --max-old-space-size), and lower still when memory runs short.
 *   It is set only where V8 may choose four; lower factors cost CPU (1.5 took 40 % more
 *   in the bench).
 *
 * V8 fixes its heap sizes when the process starts (`--max-semi-space-size` needs a flag on
 * the `node` command line) but reads these two whenever it sizes the heap after a
 * collection, so setting them when a long read begins takes effect.
 *
 * Setting a flag also changes the hash V8 stamps on code caches: a cache made or read
 * after this point does not match one made before. bin/kpi.js sets the first flag only
 * after the bundle has been compiled with its cache, and the build writes that cache from
 * runs that never call either function (they run the bundle, not bin/kpi.js), so keep
 * both out of the bundle's load and out of the build's runs.
 */
const YOUNG_GENERATION = { flag: '--semi-space-growth-factor=1', givenBy: ['semi-space-growth-factor', 'max-semi-space-size', 'min-semi-space-size'] };
const OLD_GENERATION = {
  flag: '--heap-growing-percent=200',
  givenBy: ['heap-growing-percent', 'optimize-for-size', 'max-old-space-size', 'initial-old-space-size', 'max-heap-size', 'initial-heap-size'],
};

/**
 * V8 uses its highest growing factor (four) only for an old generation that may reach
 * 2 GB. The heap's limit also counts the young generation (three semispaces, 48 MB with
 * V8's default 16 MB ones), so that much more.
 */
const LARGE_HEAP_BYTES = 2 * 1024 ** 3 + 48 * 1024 ** 2;

/**
 * The V8 versions whose flag lists were checked for both flags (Node 20 to 24). On another,
 * a flag it does not know would print "unrecognized flag" on every run: none is set there.
 */
const CHECKED_V8_MAJORS = [11, 12, 13];

/** Names of the V8/Node flags among some arguments (`--max_old_space_size=4096` is max-old-space-size). */
function flagNames(argumentsGiven: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const argument of argumentsGiven) {
    const name = /^--([a-z0-9_-]+)(?:=|$)/i.exec(argument)?.[1];
    if (name) names.add(name.replaceAll('_', '-').toLowerCase());
  }
  return names;
}

/**
 * Which of the two flags to set: a setting someone gave node themselves (on its command
 * line or in NODE_OPTIONS) for the same part of the heap wins, and the old generation's
 * only where V8 would otherwise allow it to grow more.
 */
export function heapGrowthFlags(execArgv: readonly string[], nodeOptions: string | undefined, heapSizeLimit: number, v8Version = process.versions.v8): string[] {
  if (!CHECKED_V8_MAJORS.includes(Number.parseInt(v8Version, 10))) return [];
  const given = flagNames([...execArgv, ...(nodeOptions ?? '').split(/\s+/)]);
  const theirs = (setting: { givenBy: string[] }) => setting.givenBy.some((name) => given.has(name));
  const flags: string[] = [];
  if (!theirs(YOUNG_GENERATION)) flags.push(YOUNG_GENERATION.flag);
  if (!theirs(OLD_GENERATION) && heapSizeLimit >= LARGE_HEAP_BYTES) flags.push(OLD_GENERATION.flag);
  return flags;
}

const applied = new Set<string>();

function apply(which: (flag: string) => boolean): void {
  for (const flag of heapGrowthFlags(process.execArgv, process.env.NODE_OPTIONS, getHeapStatistics().heap_size_limit)) {
    if (!which(flag) || applied.has(flag)) continue;
    applied.add(flag);
    setFlagsFromString(flag);
  }
}

/** At start-up, once the bundle is loaded: the young generation stays as V8 starts it. */
export function limitYoungGenerationGrowth(): void {
  apply((flag) => flag === YOUNG_GENERATION.flag);
}

/** Before a long read: keeps the garbage of parsed pages from piling up (both flags, each once per process). */
export function limitHeapGrowth(): void {
  apply(() => true);
}
