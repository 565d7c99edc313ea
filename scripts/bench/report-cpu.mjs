// `node --import` this to have a process print, as it exits, the processor time it used
// in all (user and system, start-up included) on stderr: the bench reads it for any build.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-process-cpu-seconds ${((user + system) / 1e6).toFixed(3)}\n`);
});
