#!/usr/bin/env node
// CommonJS (bin/package.json says so), as is what it loads: a run then starts without
// Node's ES module loader. The CLI itself is the bundle dist/kpi.cjs (see scripts/bundle.ts).
const { loadBundle } = require('../dist/cli/load-bundle.cjs');

const { run, limitYoungGenerationGrowth } = loadBundle();
// Only now: setting a V8 flag changes the stamp a code cache must match, and the bundle's
// has just been used. Keeps V8's young generation at its starting size (runtime/heap-growth.ts).
limitYoungGenerationGrowth();

// A reader that stops early (`kpi mrr | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') process.stderr.write(`kpi: error: cannot write output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
  });
}

run(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
}).then((code) => {
  // On failure, requests other readers still have in flight (and their retries) are moot:
  // leave now rather than wait for them. Output to pipes and files is synchronous on POSIX.
  if (code !== 0) process.exit(code);
  process.exitCode = code;
});
