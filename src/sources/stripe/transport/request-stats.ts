import type { ReadStats } from '../../billing-source.js';
import type { FailureKind } from './retry.js';

/** What talking to Stripe cost: shown by `--verbose` and the progress line. */
export class RequestStats implements ReadStats {
  requests = 0;
  retries = 0;
  rateLimited = 0;
  readonly failures: Record<FailureKind, number> = {
    'rate-limited': 0,
    'server-error': 0,
    connection: 0,
    timeout: 0,
    'invalid-response': 0,
  };
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  cpuSeconds(): number {
    const used = process.cpuUsage(this.cpuAtStart);
    return (used.user + used.system) / 1e6;
  }

  requestsPerSecond(): number {
    const elapsed = this.elapsedSeconds();
    return elapsed > 0 ? this.requests / elapsed : 0;
  }
}
