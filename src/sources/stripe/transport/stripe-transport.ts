import Stripe from 'stripe';
import { RateLimiter, SYSTEM_CLOCK, type Clock } from './rate-limiter.js';
import { LatencyAverage } from './in-flight.js';
import { RequestStats } from './request-stats.js';
import { DEFAULT_RETRY_POLICY, withRetries, type FailureKind, type RetryPolicy } from './retry.js';

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
}

/**
 * Every request to Stripe goes through here: one shared rate limiter, our own retries
 * (the SDK's are off: it does not retry a 429 without `Stripe-Should-Retry`, nor a
 * truncated body), and the counters `--verbose` reports.
 */
export class StripeTransport {
  readonly stats = new RequestStats();
  /** Of successful requests, from sending to the parsed answer (what a reader waits per page). */
  readonly latency = new LatencyAverage();

  constructor(
    readonly limiter: RateLimiter,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** One page of a list: `request` must make exactly one API call. */
  page<T>(request: () => Promise<ListPage<T>>): Promise<ListPage<T>> {
    return this.request(request);
  }

  /** Any one API call, rate-limited and retried like the pages. */
  request<T>(request: () => Promise<T>): Promise<T> {
    return withRetries(
      async () => {
        await this.limiter.acquire();
        this.stats.requests += 1;
        const sent = this.clock.now();
        const answer = await request();
        this.latency.observe((this.clock.now() - sent) / 1000);
        return answer;
      },
      (error) => this.classify(error),
      this.policy,
      this.clock,
      {
        onRetry: () => {
          this.stats.retries += 1;
        },
      },
    );
  }

  private classify(error: unknown): FailureKind | null {
    const kind = classifyStripeFailure(error);
    if (kind) this.stats.failures[kind] += 1;
    if (kind === 'rate-limited') {
      this.stats.rateLimited += 1;
      this.limiter.onRateLimited();
    }
    return kind;
  }
}

/**
 * Which failures a retry can fix: rate limits (with or without `Stripe-Should-Retry`),
 * Stripe's own server errors and lock timeouts, dropped or timed-out connections, and
 * bodies that are not valid JSON (a truncated response). A rejected key or a bad request
 * fails the same way every time, so it is not retried.
 */
export function classifyStripeFailure(error: unknown): FailureKind | null {
  if (!(error instanceof Stripe.errors.StripeError)) return null;
  const status = error.statusCode ?? 0;
  if (error.type === 'StripeRateLimitError' || status === 429) return 'rate-limited';
  // A refusal stays a refusal, whatever its body looks like.
  if (status >= 400 && status < 500 && status !== 409) return null;
  if (error.type === 'StripeConnectionError') return /timeout|timed out/i.test(error.message) ? 'timeout' : 'connection';
  if (error.type === 'StripeAPIError') return /invalid json/i.test(error.message) ? 'invalid-response' : 'server-error';
  if (status >= 500 || status === 409) return 'server-error';
  return null;
}
