import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const KPI_BIN = fileURLToPath(new URL('../../bin/kpi.js', import.meta.url));

export interface KpiRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the built `kpi` binary like a user would. Asynchronous on purpose: the test's
 * Stripe-compatible server runs in this process and must keep answering meanwhile.
 * The environment starts empty but for PATH, so nothing of the developer's leaks in.
 */
export function runKpi(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<KpiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KPI_BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
