import type { Clock } from './rate-limiter.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff before the n-th retry is random in [0, min(cap, base x 2^(n-1))]: "full jitter". */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 7, baseDelayMs: 250, maxDelayMs: 8_000 };

export type FailureKind = 'rate-limited' | 'server-error' | 'connection' | 'timeout' | 'invalid-response';

/** What a failed attempt was; null for failures a retry cannot fix (bad key, bad request). */
export type ClassifyFailure = (error: unknown) => FailureKind | null;

export interface RetryEvents {
  onRetry?(kind: FailureKind, attempt: number): void;
}

/**
 * Runs `attempt` until it succeeds, a failure is not worth retrying, or the attempts run
 * out; then the last error is thrown as it was.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  classify: ClassifyFailure,
  policy: RetryPolicy,
  clock: Clock,
  events: RetryEvents = {},
  random: () => number = Math.random,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (error) {
      const kind = classify(error);
      if (kind === null || attemptNumber >= policy.maxAttempts) throw error;
      events.onRetry?.(kind, attemptNumber);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
      await clock.sleep(random() * ceiling);
    }
  }
}
