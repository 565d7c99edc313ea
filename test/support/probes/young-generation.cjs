// `--require`d into a kpi process by a test: prints, as the process exits, the size V8's
// young generation (new_space: both semispaces) reached, in MB, on stderr.
process.on('exit', () => {
  const space = require('node:v8').getHeapSpaceStatistics().find((candidate) => candidate.space_name === 'new_space');
  process.stderr.write(`\nyoung-generation-mb ${space.space_size / 2 ** 20}\n`);
});
