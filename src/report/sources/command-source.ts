import { execFile } from 'node:child_process';
import type { KpiSource } from '../kpi-config.js';
import { SourceError, type SourceContext, type SourcedValue } from './source-types.js';

type CommandSource = Extract<KpiSource, { type: 'command' }>;

/** The number a shell command prints (its last non-empty line), within a time limit. */
export function readCommandSource(source: CommandSource, context: SourceContext): Promise<SourcedValue> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', source.run],
      { cwd: context.baseDir, env: context.env, timeout: source.timeout_seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const timedOut = (error as { killed?: boolean }).killed;
          const why = timedOut ? `did not finish within ${source.timeout_seconds} s` : `failed (exit ${(error as { code?: number }).code ?? '?'})${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`;
          return reject(new SourceError(`command ${why}`));
        }
        const last = stdout.trim().split('\n').at(-1)?.trim() ?? '';
        const value = Number(last);
        if (!/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(last) || !Number.isFinite(value)) return reject(new SourceError(`command printed ${JSON.stringify(last.slice(0, 60))}, not a number`));
        resolve({ value });
      },
    );
  });
}
