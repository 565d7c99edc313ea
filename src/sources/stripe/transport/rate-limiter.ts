/**
 * One client-side rate limit shared by every request of a run.
 *
 * Requests are spaced evenly at the current rate (no bursts, so a server's own token
 * bucket is not emptied at start). A 429 halves the rate; every second without one wins
 * back a little, up to the ceiling: additive increase, multiplicative decrease.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private rate: number;
  private nextSlot = 0;
  private lastAdjustment: number;
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(
    readonly ceiling: number,
    private readonly clock: Clock = SYSTEM_CLOCK,
    /** Rate won back per second without a 429, as a fraction of the ceiling. */
    private readonly recoveryPerSecond = 0.05,
  ) {
    if (!(ceiling > 0)) throw new RangeError(`rate ceiling must be positive, got ${ceiling}`);
    this.rate = ceiling;
    this.lastAdjustment = clock.now();
  }

  /** Requests per second allowed now. */
  get currentRate(): number {
    this.recover();
    return this.rate;
  }

  /** Resolves when the caller may send its request. */
  async acquire(): Promise<void> {
    this.recover();
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.rate;
    if (slot > now) await this.clock.sleep(slot - now);
  }

  /**
   * The server said "too many": slow down at once. Requests already in flight when the
   * rate was cut answer 429 too; they say nothing new, so one cut per second at most.
   */
  onRateLimited(): void {
    const now = this.clock.now();
    if (now - this.lastCut < 1000) return;
    this.recover();
    this.rate = Math.max(this.rate / 2, Math.min(1, this.ceiling));
    this.lastAdjustment = now;
    this.lastCut = now;
    this.nextSlot = Math.max(this.nextSlot, now + 1000 / this.rate);
  }

  private recover(): void {
    const now = this.clock.now();
    const seconds = (now - this.lastAdjustment) / 1000;
    if (seconds <= 0) return;
    this.rate = Math.min(this.ceiling, this.rate + this.ceiling * this.recoveryPerSecond * seconds);
    this.lastAdjustment = now;
  }
}
