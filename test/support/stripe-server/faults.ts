/**
 * Simulated trouble: a token-bucket rate limiter and seeded random faults. Both decide
 * at arrival time, in arrival order, so a sequential client sees the same faults on the
 * same requests in every run with the same seed. The bucket depends on how fast the
 * client is; the fault kind '429' does not, so tests that need rate limits use it.
 */

import { mulberry32 } from '../../../scripts/demo-account/prng.js';

/** '429' is a rate limit by the schedule, answered as Stripe answers its global rate limit. */
export type FaultKind = '500' | 'reset' | 'truncated' | '429';

export interface FaultOptions {
  /** Fraction of requests (0..1) that fail. */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
}

export const DEFAULT_FAULT_SEED = 1;

export class FaultPlan {
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`faults.rate must be within 0..1, got ${options.rate}`);
    if (options.rate > 0 && options.kinds.length === 0) throw new RangeError('faults.kinds must name at least one kind');
    this.random = mulberry32(options.seed ?? DEFAULT_FAULT_SEED);
  }

  /** The fault for the next request, if any. Draws twice per faulted request, once otherwise. */
  next(): FaultKind | undefined {
    if (this.random() >= this.options.rate) return undefined;
    const kinds = this.options.kinds;
    return kinds[Math.floor(this.random() * kinds.length)];
  }
}

/** Capacity equals the per-second rate; tokens refill continuously, not once a second. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rateLimitPerSecond must be positive, got ${ratePerSecond}`);
    this.tokens = ratePerSecond;
    this.updatedAt = now();
  }

  tryTake(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
