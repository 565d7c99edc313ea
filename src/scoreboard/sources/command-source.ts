import { spawn } from 'node:child_process';
import type { KpiSource } from '../kpi-config.js';
import { formatBytes } from './bounded-read.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type CommandSource = Extract<KpiSource, { type: 'command' }>;

/** stdout and stderr together may not exceed this: a number is a few bytes. */
export const MAX_COMMAND_OUTPUT_BYTES = 1024 * 1024;

export const ALLOW_COMMANDS_HINT = 'run kpi with --allow-commands (or KPI_ALLOW_COMMANDS=1 in CI) if you trust this configuration';

/** What a command gets from kpi's environment, besides the variables its config lists under `env:`. */
const BASE_ENVIRONMENT = ['PATH', 'HOME', 'LANG', 'TZ'];

/** `KPI_ALLOW_COMMANDS=1` is the opt-in of CI jobs, `--allow-commands` a person's. */
export function commandsAllowed(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return flag === true || env.KPI_ALLOW_COMMANDS === '1';
}

export function commandEnvironment(source: CommandSource, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = [...BASE_ENVIRONMENT, ...source.env];
  return Object.fromEntries(names.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
}

/**
 * The number a shell command prints (its last non-empty line), within a time limit. The
 * shell runs in a process group of its own, so a timeout ends whatever it started too.
 */
export function readCommandSource(source: CommandSource, context: SourceContext): Promise<SourcedValue> {
  if (!context.allowCommands) return Promise.reject(new SourceError(`command sources are off: ${ALLOW_COMMANDS_HINT}`));
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', source.run], {
      cwd: context.baseDir,
      env: commandEnvironment(source, context.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let failure: string | null = null;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const stop = (why: string) => {
      failure ??= why;
      killGroup();
    };
    const timer = setTimeout(() => stop(`did not finish within ${source.timeout_seconds} s`), source.timeout_seconds * 1000);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_COMMAND_OUTPUT_BYTES) return stop(`output too large (over ${formatBytes(MAX_COMMAND_OUTPUT_BYTES)}; a command source prints one number)`);
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    // Whatever the shell left running in the background ends with it.
    child.on('exit', killGroup);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SourceError(`command could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(new SourceError(`command ${failure}`));
      const errorText = Buffer.concat(stderr).toString('utf8').trim();
      if (code !== 0) {
        const lastLine = errorText.split('\n').at(-1);
        return reject(new SourceError(`command failed (${code === null ? `signal ${signal}` : `exit ${code}`})${lastLine ? `: ${lastLine}` : ''}`));
      }
      const last = Buffer.concat(stdout).toString('utf8').trim().split('\n').at(-1)?.trim() ?? '';
      const value = Number(last);
      if (!/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(last) || !Number.isFinite(value)) return reject(new SourceError(`command printed ${JSON.stringify(last.slice(0, 60))}, not a number`));
      resolve({ value, read: `exit 0, ${formatBytes(bytes)} of output` });
    });
  });
}
