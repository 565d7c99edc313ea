/**
 * Loads the bundled CLI (dist/kpi.cjs, written by `npm run build`) with the V8 code cache
 * the build wrote next to it. Compiling the bundle's JavaScript was a large part of a run's
 * start-up; with the cache, V8 takes the bytecode of everything `kpi mrr --demo` ran from
 * the cache instead. Node 20 has no compile cache for modules, and a vm.Script is the
 * only way to hand V8 cached data, hence a CommonJS bundle run as a script.
 *
 * The cache is named after a hash of the bundle (its first line): a bundle never meets
 * another build's cache. V8 itself refuses a cache from another Node version or other V8
 * flags (then the bundle is compiled from its source, as without a cache).
 *
 * Not part of the bundle: this is what loads it. CommonJS, like bin/kpi.js, so that a run
 * starts without Node's ES module loader (about 6 ms).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants, Script } from 'node:vm';
import type { limitYoungGenerationGrowth, run as runCli } from './main.js' with { 'resolution-mode': 'import' };

export const BUNDLE_FILE = join(__dirname, '..', 'kpi.cjs');

/** The first line of the bundle: `// kpi bundle <hash>`. */
const BUNDLE_ID = /^\/\/ kpi bundle ([0-9a-f]+)\n/;

export function codeCacheFile(bundleSource: string): string | null {
  const id = BUNDLE_ID.exec(bundleSource)?.[1];
  return id ? join(dirname(BUNDLE_FILE), `kpi.${id}.v8cache`) : null;
}

export interface LoadedBundle {
  run: typeof runCli;
  /** Sets V8's young generation flag; call it only after loading (it changes the stamp code caches carry). */
  limitYoungGenerationGrowth: typeof limitYoungGenerationGrowth;
  /** Whether V8 took the code from the cache ('used'), refused it ('rejected') or there was none. */
  codeCache: 'used' | 'rejected' | 'missing';
  /** Writes the code compiled so far (functions that ran included) as the bundle's cache; returns its path. */
  writeCodeCache(): string;
}

export function loadBundle(): LoadedBundle {
  const source = readFileSync(BUNDLE_FILE, 'utf8');
  const cacheFile = codeCacheFile(source);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    // No cache beside the bundle (copied without it): compiled from source, only slower.
  }
  // The bundle is CommonJS; the wrapper gives it what Node gives a CommonJS module, plus
  // the URL that import.meta.url stood for in the modules (see scripts/bundle.ts).
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __kpiModuleUrl) {${source}\n})`, {
    filename: BUNDLE_FILE,
    cachedData,
    // esbuild turns the modules' import() into requires; one left (an external ES module) resolves as from a file.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as { run: typeof runCli; limitYoungGenerationGrowth: typeof limitYoungGenerationGrowth } };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(BUNDLE_FILE),
    module,
    BUNDLE_FILE,
    dirname(BUNDLE_FILE),
    pathToFileURL(BUNDLE_FILE).href,
  );
  return {
    run: module.exports.run,
    limitYoungGenerationGrowth: module.exports.limitYoungGenerationGrowth,
    codeCache: cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used',
    writeCodeCache() {
      if (!cacheFile) throw new Error(`${BUNDLE_FILE} does not start with its "// kpi bundle" line`);
      writeFileSync(cacheFile, script.createCachedData());
      return cacheFile;
    },
  };
}
