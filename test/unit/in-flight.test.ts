import { describe, expect, it } from 'vitest';
import { ASSUMED_LATENCY_SECONDS, LatencyAverage, requestsInFlight } from '../../src/sources/stripe/transport/in-flight.js';

describe('requests in flight (Little\'s law with a margin)', () => {
  it('fills the allowed rate at the observed latency', () => {
    // Live mode at 95 % of 100/s, 200 ms a page: 95 x 0.2 x 1.25 = 23.75, so 24.
    expect(requestsInFlight({ ratePerSecond: 95, latencySeconds: 0.2 })).toBe(24);
    // Test mode at 95 % of 25/s: 23.75 x 0.2 x 1.25 = 5.94, so 6.
    expect(requestsInFlight({ ratePerSecond: 23.75, latencySeconds: 0.2 })).toBe(6);
  });

  it('assumes a typical Stripe latency before the first answer', () => {
    expect(ASSUMED_LATENCY_SECONDS).toBe(0.35);
    // 95 x 0.35 x 1.25 = 41.56, so 42.
    expect(requestsInFlight({ ratePerSecond: 95, latencySeconds: null })).toBe(42);
  });

  it('stays within its bounds', () => {
    // 95 x 2 x 1.25 = 237.5: capped at 48.
    expect(requestsInFlight({ ratePerSecond: 95, latencySeconds: 2 })).toBe(48);
    // 1 x 0.01 x 1.25 rounds up to 1: at least 4.
    expect(requestsInFlight({ ratePerSecond: 1, latencySeconds: 0.01 })).toBe(4);
    expect(requestsInFlight({ ratePerSecond: 95, latencySeconds: 0.2 }, { min: 2, max: 10 })).toBe(10);
  });
});

describe('latency average', () => {
  it('starts at the first sample and moves a fifth of the way to each next one', () => {
    const latency = new LatencyAverage();
    expect(latency.seconds).toBeNull();
    latency.observe(0.5);
    expect(latency.seconds).toBe(0.5);
    latency.observe(1.5);
    // 0.5 + 0.2 x (1.5 - 0.5) = 0.7
    expect(latency.seconds).toBeCloseTo(0.7, 12);
    latency.observe(0.7);
    expect(latency.seconds).toBeCloseTo(0.7, 12);
  });
});
