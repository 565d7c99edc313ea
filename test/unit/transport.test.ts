import { describe, expect, it } from 'vitest';
import { RateLimiter, type Clock } from '../../src/sources/stripe/transport/rate-limiter.js';
import { withRetries, type FailureKind } from '../../src/sources/stripe/transport/retry.js';

/** A clock that only moves when someone sleeps, so timing assertions are exact. */
class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  now() {
    return this.time;
  }
  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

describe('rate limiter', () => {
  it('spaces requests evenly at the ceiling, without a burst', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(20, clock, 0);
    const times: number[] = [];
    for (let index = 0; index < 5; index++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    // 20 per second: one every 50 ms
    expect(times).toEqual([0, 50, 100, 150, 200]);
  });

  it('halves the rate on a 429 and wins it back over time', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(100, clock, 0.05);
    limiter.onRateLimited();
    expect(limiter.currentRate).toBe(50);
    // A burst of 429s from requests already in flight counts once.
    for (let index = 0; index < 8; index++) limiter.onRateLimited();
    expect(limiter.currentRate).toBe(50);
    clock.time += 1000; // 1 s x 5 % of 100 = +5
    limiter.onRateLimited();
    expect(limiter.currentRate).toBe(27.5); // (50 + 5) / 2
    clock.time += 2000; // 2 s x 5 % of 100 per second = +10
    expect(limiter.currentRate).toBe(37.5);
    clock.time += 60_000;
    expect(limiter.currentRate).toBe(100);
  });

  it('never drops below one request per second', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(4, clock, 0);
    for (let index = 0; index < 10; index++) {
      limiter.onRateLimited();
      clock.time += 1000;
    }
    expect(limiter.currentRate).toBe(1);
  });
});

describe('retries', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 };
  const failing = (kinds: Array<FailureKind | null>) => {
    let call = 0;
    return {
      attempt: async () => {
        const kind = kinds[call++];
        if (kind === undefined) return 'ok';
        throw Object.assign(new Error(`failure ${call}`), { kind });
      },
      classify: (error: unknown) => (error as { kind: FailureKind | null }).kind,
      calls: () => call,
    };
  };

  it('retries what a retry can fix, with capped exponential backoff and full jitter', async () => {
    const clock = new FakeClock();
    const script = failing(['rate-limited', 'server-error', 'invalid-response']);
    const retried: string[] = [];
    const result = await withRetries(script.attempt, script.classify, policy, clock, { onRetry: (kind) => retried.push(kind) }, () => 1);
    expect(result).toBe('ok');
    expect(script.calls()).toBe(4);
    expect(retried).toEqual(['rate-limited', 'server-error', 'invalid-response']);
    // random() = 1 gives the ceiling: 100, 200, then 400 capped at 300
    expect(clock.sleeps).toEqual([100, 200, 300]);
  });

  it('does not retry what would fail again, and gives up after the last attempt', async () => {
    const clock = new FakeClock();
    const permanent = failing([null]);
    await expect(withRetries(permanent.attempt, permanent.classify, policy, clock)).rejects.toThrow('failure 1');
    expect(permanent.calls()).toBe(1);

    const endless = failing(['connection', 'connection', 'connection', 'connection', 'connection']);
    await expect(withRetries(endless.attempt, endless.classify, policy, clock, {}, () => 0.5)).rejects.toThrow('failure 4');
    expect(endless.calls()).toBe(4);
  });
});

describe('which Stripe failures are retried', () => {
  it('retries rate limits, server errors, dropped connections, timeouts and invalid JSON, not refusals', async () => {
    const { default: Stripe } = await import('stripe');
    const { classifyStripeFailure } = await import('../../src/sources/stripe/transport/stripe-transport.js');
    const errors = Stripe.errors;
    const make = (Type: new (raw: Record<string, unknown>) => Error, raw: Record<string, unknown>) => new Type(raw);
    expect(classifyStripeFailure(make(errors.StripeRateLimitError, { statusCode: 429, message: 'Too many' }))).toBe('rate-limited');
    expect(classifyStripeFailure(make(errors.StripeAPIError, { statusCode: 500, message: 'boom' }))).toBe('server-error');
    expect(classifyStripeFailure(make(errors.StripeAPIError, { message: 'Invalid JSON received from the Stripe API' }))).toBe('invalid-response');
    expect(classifyStripeFailure(make(errors.StripeConnectionError, { message: 'socket hang up' }))).toBe('connection');
    expect(classifyStripeFailure(make(errors.StripeConnectionError, { message: 'Request aborted due to timeout being reached (30000ms)' }))).toBe('timeout');
    expect(classifyStripeFailure(make(errors.StripeAuthenticationError, { statusCode: 401, message: 'bad key' }))).toBeNull();
    expect(classifyStripeFailure(make(errors.StripeInvalidRequestError, { statusCode: 400, message: 'bad param' }))).toBeNull();
    // A 401 whose body is not JSON is still a refusal, not something to retry.
    expect(classifyStripeFailure(make(errors.StripeAPIError, { statusCode: 401, message: 'Invalid JSON received from the Stripe API' }))).toBeNull();
    expect(classifyStripeFailure(new Error('not from Stripe'))).toBeNull();
  });
});
