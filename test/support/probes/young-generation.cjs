// `--require`d into a kpi process by a test: prints on stderr, as the process exits, the
// size V8's young generation (new_space: both semispaces) reached in MB, whether V8 took
// kpi's bundle from its code cache, and the V8 flags the process set while running (in
// order, with whether the bundle had been compiled by then).
const v8 = require('node:v8');
const vm = require('node:vm');

let bundle = null;
const flags = [];
const OriginalScript = vm.Script;
vm.Script = class extends OriginalScript {
  constructor(code, options) {
    super(code, options);
    if (options && options.cachedData) bundle = this;
  }
};
const setFlags = v8.setFlagsFromString;
v8.setFlagsFromString = (flag) => {
  flags.push(`${flag}${bundle ? '' : ' (before the bundle)'}`);
  return setFlags(flag);
};

process.on('exit', () => {
  const space = v8.getHeapSpaceStatistics().find((candidate) => candidate.space_name === 'new_space');
  const cache = bundle === null ? 'missing' : bundle.cachedDataRejected ? 'rejected' : 'used';
  process.stderr.write(`\nyoung-generation-mb ${space.space_size / 2 ** 20}\ncode-cache ${cache}\nflags-set ${JSON.stringify(flags)}\n`);
});
