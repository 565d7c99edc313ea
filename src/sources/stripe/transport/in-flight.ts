/**
 * How many requests to keep in flight: enough to use the whole allowed rate at the latency
 * observed so far (Little's law: in flight = rate x latency), within fixed bounds.
 *
 * Memory is not what a request in flight costs: one waiting for its answer holds a socket
 * and a closure, and a page is held only from its arrival until it is compacted, which
 * happens at once (see subscription-slices.ts). The live heap stays near 20 MB at any
 * concurrency here; what grows with the read is garbage V8 has not collected yet, which
 * the heap size cannot tell from live data (throttling on it stalled reads at 2 readers).
 */
export interface InFlightBounds {
  min: number;
  max: number;
}

export interface InFlightObservation {
  ratePerSecond: number;
  /** Typical seconds from sending a request to its parsed answer; null before the first answer. */
  latencySeconds: number | null;
}

/** Stripe answers an expanded 100-item page in a few hundred milliseconds: the guess until one has been timed. */
export const ASSUMED_LATENCY_SECONDS = 0.35;
/** Latency varies page to page (and with the machine's load): a quarter more in flight absorbs the slow ones. */
const LATENCY_MARGIN = 1.25;

/**
 * Stripe's live limit (100/s) at a 300 ms page needs 38; beyond 48 a slow answer means a
 * server in trouble, and more requests would not help it.
 */
export const DEFAULT_IN_FLIGHT_BOUNDS: InFlightBounds = { min: 4, max: 48 };

export function requestsInFlight(observed: InFlightObservation, bounds: InFlightBounds = DEFAULT_IN_FLIGHT_BOUNDS): number {
  const latency = observed.latencySeconds ?? ASSUMED_LATENCY_SECONDS;
  const forRate = Math.ceil(observed.ratePerSecond * latency * LATENCY_MARGIN);
  return Math.max(bounds.min, Math.min(bounds.max, forRate));
}

/** A moving average that follows change within a few samples but not one outlier. */
export class LatencyAverage {
  private average: number | null = null;

  constructor(private readonly weight = 0.2) {}

  observe(seconds: number): void {
    this.average = this.average === null ? seconds : this.average + this.weight * (seconds - this.average);
  }

  get seconds(): number | null {
    return this.average;
  }
}
