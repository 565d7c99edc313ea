// `node --import` this to have a process print, as it exits, the processor time it used
// in all (user and system, start-up included) on stderr: the bench reads it for any build.
// Where Linux tells it, also the main thread's own share (the rest is V8's helper threads
// and libuv's): a CPU profile's samples are the main thread's wall time, not its CPU.
import { readFileSync } from 'node:fs';

/** The main thread's user + system seconds from /proc (clock ticks of 1/100 s on Linux), or null. */
function mainThreadSeconds() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  const main = mainThreadSeconds();
  process.stderr.write(`\nbench-process-cpu-seconds ${((user + system) / 1e6).toFixed(3)}\n`);
  if (main !== null) process.stderr.write(`bench-main-thread-cpu-seconds ${main.toFixed(2)}\n`);
});
