/**
 * Stripe's list order and cursor pagination over pre-sorted arrays.
 *
 * Every collection is sorted once, newest first, with the id as tie-breaker so the order
 * is total. Because the order is total, a cursor's position in ANY sorted array (the full
 * collection, a per-status slice, a per-customer slice) is found by binary search on the
 * cursor object's (created, id) key: a page costs O(log N + limit), and a cursor that is
 * not itself in the filtered slice still lands in the right place, as it does on Stripe.
 */
import type { CreatedRange } from './query.js';

export interface Listable {
  id: string;
  created?: unknown;
}

export function createdOf(object: Listable): number {
  return typeof object.created === 'number' ? object.created : 0;
}

/** Newest first; equal timestamps fall back to id descending. */
export function compareNewestFirst(a: Listable, b: Listable): number {
  const byCreated = createdOf(b) - createdOf(a);
  if (byCreated !== 0) return byCreated;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function sortNewestFirst<T extends Listable>(objects: Iterable<T>): T[] {
  return [...objects].sort(compareNewestFirst);
}

/** First index in [lo, hi) for which `isAtOrAfter` holds; the predicate must be monotonic. */
function lowerBound<T>(sorted: readonly T[], isAtOrAfter: (item: T) => boolean, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrAfter(sorted[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface PageRequest<T> {
  limit: number;
  /** The object named by `starting_after` (already resolved to an object). */
  startingAfter?: T;
  /** The object named by `ending_before`. */
  endingBefore?: T;
  created?: CreatedRange;
  /** Residual filter for conditions the chosen array does not already encode. */
  where?: (item: T) => boolean;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export function paginate<T extends Listable>(sorted: readonly T[], request: PageRequest<T>): Page<T> {
  let [lo, hi] = createdBounds(sorted, request.created);
  const { limit, where } = request;

  if (request.endingBefore) {
    const cursor = request.endingBefore;
    hi = Math.min(hi, lowerBound(sorted, (item) => compareNewestFirst(item, cursor) >= 0));
    // Walk backwards from the cursor so the page is the one immediately before it.
    const collected: T[] = [];
    for (let i = hi - 1; i >= lo && collected.length <= limit; i--) {
      const item = sorted[i]!;
      if (!where || where(item)) collected.push(item);
    }
    const hasMore = collected.length > limit;
    return { data: collected.slice(0, limit).reverse(), hasMore };
  }

  if (request.startingAfter) {
    const cursor = request.startingAfter;
    const at = lowerBound(sorted, (item) => compareNewestFirst(item, cursor) >= 0);
    lo = Math.max(lo, sorted[at]?.id === cursor.id ? at + 1 : at);
  }
  const collected: T[] = [];
  for (let i = lo; i < hi && collected.length <= limit; i++) {
    const item = sorted[i]!;
    if (!where || where(item)) collected.push(item);
  }
  const hasMore = collected.length > limit;
  return { data: collected.slice(0, limit), hasMore };
}

/** The [lo, hi) slice of a newest-first array whose `created` lies inside `range`. */
function createdBounds(sorted: readonly Listable[], range: CreatedRange | undefined): [number, number] {
  if (!range) return [0, sorted.length];
  const newest = Math.min(range.lte ?? Infinity, range.lt === undefined ? Infinity : range.lt - 1);
  const oldest = Math.max(range.gte ?? -Infinity, range.gt === undefined ? -Infinity : range.gt + 1);
  const lo = lowerBound(sorted, (item) => createdOf(item) <= newest);
  const hi = lowerBound(sorted, (item) => createdOf(item) < oldest, lo);
  return [lo, Math.max(lo, hi)];
}
