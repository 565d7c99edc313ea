/**
 * How many requests to keep in flight: enough to use the whole allowed rate at the latency
 * observed so far (Little's law: in flight = rate x latency), fewer as the process's memory
 * nears its budget. Requests beyond the rate only wait in the limiter, so the margin is
 * cheap; memory is what a page costs while it arrives and is compacted.
 */
export interface InFlightBudget {
  min: number;
  max: number;
  /**
   * JavaScript heap in use (garbage included until collected) the reads should stay under.
   * The heap, not the resident size: it falls again after a collection, the resident size
   * rarely does, so it can let the count rise again.
   */
  heapBytes: number;
}

export interface InFlightObservation {
  ratePerSecond: number;
  /** Typical seconds from sending a request to its parsed answer; null before the first answer. */
  latencySeconds: number | null;
  heapBytes: number;
}

/** Stripe answers an expanded 100-item page in a few hundred milliseconds: the guess until one has been timed. */
export const ASSUMED_LATENCY_SECONDS = 0.35;
/** Latency varies page to page (and with the machine's load): a quarter more in flight absorbs the slow ones. */
const LATENCY_MARGIN = 1.25;
/** Below this fraction of the budget memory does not limit; from there to the budget, the count falls to `min`. */
const MEMORY_EASE = 0.75;

/**
 * With Node and the SDK (about 80 MB resident, 25 MB of it heap) this keeps a run's peak
 * resident memory near 150 MB.
 */
export const DEFAULT_IN_FLIGHT_BUDGET: InFlightBudget = { min: 2, max: 64, heapBytes: 72 * 1024 * 1024 };

export function requestsInFlight(observed: InFlightObservation, budget: InFlightBudget = DEFAULT_IN_FLIGHT_BUDGET): number {
  const latency = observed.latencySeconds ?? ASSUMED_LATENCY_SECONDS;
  const forRate = Math.ceil(observed.ratePerSecond * latency * LATENCY_MARGIN);
  const easeFrom = budget.heapBytes * MEMORY_EASE;
  const room = (budget.heapBytes - observed.heapBytes) / (budget.heapBytes - easeFrom);
  const forMemory = room >= 1 ? Number.POSITIVE_INFINITY : Math.floor(budget.max * Math.max(0, room));
  return Math.max(budget.min, Math.min(budget.max, forRate, forMemory));
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
