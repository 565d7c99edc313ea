/**
 * The second half of `npm run build`: the CLI as a few bundled files next to the
 * compiled modules. Loading 180 small modules (and the dependencies' own trees) cost a
 * `kpi` run more than half of its start-up in resolving, reading and linking; a bundle is
 * read and linked once. Commands stay separate chunks, loaded only when run, as the
 * compiled modules were.
 *
 * Input is tsc's output, so the bundle runs the very code the tests compile. The files go
 * directly in dist/ because the code finds the package's files one level up from itself
 * (src/package-root.ts). The Stripe SDK stays outside: it is read only for live reads and
 * is installed with the package.
 *
 * dist/kpi-bundle.json lists which compiled modules each chunk holds, for the start-up test.
 */
import { build, type Plugin } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const CHUNK = /^kpi(-[A-Z0-9]+)?\.js(\.map)?$/;

/**
 * esbuild keeps zod's `z` export whole, every locale included (730 KB of the 1.2 MB that
 * `kpi mrr` compiled at each start), while a namespace import keeps only the parts used.
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

// Chunk names change with their content: remove the previous build's.
for (const name of readdirSync(DIST)) {
  if (CHUNK.test(name)) rmSync(join(DIST, name));
}

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { kpi: 'dist/cli/main.js' },
  outdir: 'dist',
  chunkNames: 'kpi-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['stripe'],
  // Bundled CommonJS dependencies (yaml, commander, cli-table3) call require() for Node's modules.
  banner: { js: "import { createRequire as __kpiCreateRequire } from 'node:module';\nconst require = __kpiCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  plugins: [zodNamespace],
  metafile: true,
  logLevel: 'warning',
});

const chunks: Record<string, string[]> = {};
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  if (output.endsWith('.map')) continue;
  chunks[relative('dist', output)] = Object.keys(meta.inputs).map((input) => input.replace(/^.*node_modules\//, 'node_modules/')).sort();
}
writeFileSync(join(DIST, 'kpi-bundle.json'), JSON.stringify(chunks, null, 1) + '\n');
