/**
 * The second half of `npm run build`: the CLI as one bundled file, dist/kpi.cjs, and the
 * V8 code cache it runs with (see src/cli/load-bundle.cts).
 *
 * Loading 180 small modules (and the dependencies' own trees) cost a `kpi` run more than
 * half of its start-up in resolving, reading and linking them; compiling the rest was most
 * of what remained. The bundle is read once, and its code comes from the cache. Each module
 * still runs only when first imported: esbuild wraps modules in functions run on first
 * import, so a command's code runs only when that command does.
 *
 * Input is tsc's output, so the bundle runs the very code the tests compile. It goes in
 * dist/ because the code finds the package's files one level up from itself
 * (src/package-root.ts). The Stripe SDK stays outside: it is read only for live reads and
 * is installed with the package.
 *
 * The cache holds the code of what `kpi mrr --demo` runs (table and JSON), written by a
 * plain `node` that has run them: V8 takes a cache only from the same version and flags.
 */
import { build, type Plugin } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'kpi.cjs');

/**
 * esbuild keeps zod's `z` export whole, every locale included (730 KB, more than half of
 * what `kpi mrr` loaded), while a namespace import keeps only the parts used.
 * The two name the same functions, so the compiled modules' `import { z } from 'zod'`
 * is bundled as `import * as z from 'zod'`.
 */
const zodNamespace: Plugin = {
  name: 'zod-namespace',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"),
      loader: 'js',
    }));
  },
};

// What an earlier build left: its bundle, chunks and caches (their names change with the content).
for (const name of readdirSync(DIST)) {
  if (/^kpi(-[A-Z0-9]+)?\.js(\.map)?$|^kpi\.cjs(\.map)?$|^kpi\.[0-9a-f]+\.v8cache$|^kpi-bundle\.json$/.test(name)) rmSync(join(DIST, name));
}

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ['dist/cli/main.js'],
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['stripe'],
  // The modules locate the package by their own URL; in the bundle that is the bundle's (src/cli/load-bundle.cts).
  define: { 'import.meta.url': '__kpiModuleUrl' },
  plugins: [zodNamespace],
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});

const code = result.outputFiles.find((file) => file.path === BUNDLE)!.text;
const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
writeFileSync(BUNDLE, `// kpi bundle ${id}\n${code}`);

const writer = `
const { Writable } = require('node:stream');
const { loadBundle } = require(${JSON.stringify(join(DIST, 'cli', 'load-bundle.cjs'))});
(async () => {
  const bundle = loadBundle();
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  for (const args of [['mrr', '--demo'], ['mrr', '--demo', '--format', 'json']]) {
    const code = await bundle.run(['node', 'kpi', ...args], { stdout: discard, stderr: discard, env: {}, cwd: process.cwd(), now: () => new Date() });
    if (code !== 0) throw new Error('kpi ' + args.join(' ') + ' exited with ' + code);
  }
  bundle.writeCodeCache();
})().catch((error) => { console.error(error); process.exit(1); });
`;
const written = spawnSync(process.execPath, ['--eval', writer], { cwd: ROOT, stdio: 'inherit', env: { PATH: process.env.PATH ?? '' } });
if (written.status !== 0) throw new Error(`writing the code cache failed (exit ${written.status ?? written.signal})`);
