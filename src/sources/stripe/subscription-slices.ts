import type { SubscriptionStatus } from '../../billing/model.js';
import { PageChannel } from './page-channel.js';
import type { WireSubscription } from './wire.js';

/**
 * A part of one status's subscriptions: those created in [createdGte, createdLt), newest
 * first, after `startingAfter`. Bounds of null are open. Slices of a status never
 * overlap and together cover all time, so every subscription is read exactly once
 * however the slices were cut.
 */
export interface Slice {
  status: SubscriptionStatus;
  createdGte: number | null;
  createdLt: number | null;
  startingAfter: string | null;
}

const MIN_PAGES_PER_PART = 4;
/** A page of subscriptions all created within this many seconds came from a burst, not the usual pace. */
const BURST_SECONDS = 60;

interface PendingSlice {
  slice: Slice;
  expectedPages: number;
}

/** One slice being read, with the pages still expected of it (updated with each page). */
interface Reader {
  expectedPages: number;
}

/** The waiting slice expected to hold the most pages: started first, so it does not end last. */
function takeLargest(pending: PendingSlice[]): PendingSlice {
  let largest = 0;
  for (let index = 1; index < pending.length; index++) {
    if ((pending[index] as PendingSlice).expectedPages > (pending[largest] as PendingSlice).expectedPages) largest = index;
  }
  return pending.splice(largest, 1)[0] as PendingSlice;
}

/**
 * Cuts in (lower, upper), ascending, whose parts double in length going back from upper:
 * upper - 2w, upper - 4w, ... (w the page's own length in seconds), at most parts - 1 of
 * them; the oldest part keeps whatever is left down to lower.
 */
export function doublingCuts(lower: number, upper: number, width: number, parts: number): number[] {
  const cuts: number[] = [];
  for (let step = 1; cuts.length < parts - 1; step++) {
    const cut = upper - width * 2 ** step;
    if (cut <= lower) break;
    cuts.unshift(cut);
  }
  return cuts;
}

/** A status not read yet holds an unknown number of pages: it counts for none in a share. */
function finite(pages: number): number {
  return Number.isFinite(pages) ? pages : 0;
}

export interface SlicePage {
  data: WireSubscription[];
  hasMore: boolean;
}

export interface SliceReaderOptions<T> {
  /**
   * Slices read at the same time: a number, or asked again whenever a reader could start
   * (it may follow the measured latency and memory).
   */
  concurrency: number | (() => number);
  /**
   * Unix seconds before which few subscriptions are expected (e.g. the oldest catalog
   * object): only a hint for where to cut, never a bound on what is read.
   */
  densityFloor: number | (() => number);
  /** Pages held between the readers and the consumer. */
  buffer?: number;
  /**
   * What a page becomes as soon as it arrives (and its slice has been continued or cut):
   * the wire objects are let go then, so a page waiting for the consumer holds only this.
   */
  compact?: (page: WireSubscription[]) => T[] | Promise<T[]>;
}

/**
 * Reads every subscription of the given statuses as fast as the rate limit lets it:
 * each status starts as one slice; whenever a slice reports more pages, what is left of
 * it is cut by `created` into parts of about equal expected size, judged from how much
 * time its last page covered, when readers are idle or when it would otherwise still be
 * reading one page after another once the others are done. Dense periods end up cut
 * finely, empty ones cost one request.
 */
export function readSubscriptionSlices<T = WireSubscription>(
  statuses: readonly SubscriptionStatus[],
  fetchPage: (slice: Slice) => Promise<SlicePage>,
  options: SliceReaderOptions<T>,
): AsyncIterable<T[]> {
  const channel = new PageChannel<T[]>(options.buffer ?? 4);
  // Not started yet, each with the pages it is expected to hold (a status: unknown, so first).
  const pending: PendingSlice[] = statuses.map((status) => ({
    slice: { status, createdGte: null, createdLt: null, startingAfter: null },
    expectedPages: Number.POSITIVE_INFINITY,
  }));
  const concurrency = typeof options.concurrency === 'number' ? () => options.concurrency as number : options.concurrency;
  const compact = options.compact ?? ((page: WireSubscription[]) => page as unknown as T[]);
  const readers = new Set<Reader>();

  const schedule = () => {
    while (!channel.failed && readers.size < concurrency() && pending.length > 0) {
      const next = takeLargest(pending);
      const reader: Reader = { expectedPages: next.expectedPages };
      readers.add(reader);
      void readSlice(next.slice, reader).then(
        () => {
          readers.delete(reader);
          if (readers.size === 0 && pending.length === 0) channel.close();
          else schedule();
        },
        (error: unknown) => channel.fail(error),
      );
    }
  };

  const readSlice = async (first: Slice, reader: Reader): Promise<void> => {
    let slice: Slice | null = first;
    while (slice && !channel.failed) {
      const { values, next } = await readPage(slice, reader);
      if (values.length > 0) await channel.push(values);
      slice = next;
      // More readers than the concurrency allows now (memory is short, or latency fell):
      // this one hands the rest of its slice back and stops.
      if (slice && readers.size > concurrency()) {
        pending.push({ slice, expectedPages: reader.expectedPages });
        return;
      }
    }
  };

  /** The wire page lives only in here: continued or cut first (so other readers can start), then compacted. */
  const readPage = async (slice: Slice, reader: Reader): Promise<{ values: T[]; next: Slice | null }> => {
    const page = await fetchPage(slice);
    const next = page.hasMore ? continueSlice(slice, page, reader) : null;
    if (next === null) reader.expectedPages = 0;
    return { values: page.data.length > 0 ? await compact(page.data) : [], next };
  };

  /** Pages all slices are expected to hold still: what the read has left. */
  const expectedInAll = () => {
    let sum = 0;
    for (const reader of readers) sum += finite(reader.expectedPages);
    for (const waiting of pending) sum += finite(waiting.expectedPages);
    return sum;
  };

  const continueSlice = (slice: Slice, page: SlicePage, reader: Reader): Slice | null => {
    const last = page.data.at(-1);
    if (!last) return null; // "more" with an empty page would loop forever; nothing is left to read
    const newest = page.data[0]?.created ?? last.created;
    const oldest = last.created;
    const rest: Slice = { ...slice, startingAfter: last.id };

    // What is left is created <= oldest (the cursor handles ties at `oldest` itself).
    const upper = oldest + 1;
    const floor = typeof options.densityFloor === 'number' ? options.densityFloor : options.densityFloor();
    // A floor that is no time at all (NaN, infinite) gives no hint: nothing older is cut off.
    const lower = slice.createdGte ?? (Number.isFinite(floor) ? Math.min(floor, oldest) : oldest);
    const span = upper - lower;
    const secondsPerPage = Math.max(1, newest - oldest + 1);
    const expectedPages = span / secondsPerPage;
    const readersNow = concurrency();
    const idle = readersNow - readers.size - pending.length;
    // With every reader busy, a slice holding more than its share of what is left would
    // still be read page after page when the others are done: it is cut for the readers
    // that free up, the largest waiting part first.
    const share = Math.max(MIN_PAGES_PER_PART, (expectedInAll() - finite(reader.expectedPages) + expectedPages) / readersNow);
    const wanted = Math.max(idle > 0 ? idle + 1 : 1, Math.ceil(expectedPages / share));
    // Every slice ends on a part-filled page, so a part is only worth cutting when it is
    // expected to hold several pages, unless readers are idle anyway (near the end).
    const smallestPart = idle > 0 ? 1 : MIN_PAGES_PER_PART;
    const parts = Math.min(wanted, Math.floor(expectedPages / smallestPart), span);

    // A page created within a minute is a burst (an import, a migration): its density says
    // nothing of the months before it. The parts then double in length going back from the
    // page, so the burst's own seconds are cut finely and the quiet past costs a request or
    // two; spread evenly, the parts put the whole burst in one and ask for dozens of empty ones.
    // (`parts` is NaN when the span is not a time: no cuts then either.)
    const cuts = !(parts >= 2)
      ? []
      : secondsPerPage <= BURST_SECONDS
        ? doublingCuts(lower, upper, secondsPerPage, parts)
        : Array.from({ length: parts - 1 }, (_, index) => lower + Math.round((span * (index + 1)) / parts));
    if (cuts.length === 0) {
      reader.expectedPages = expectedPages;
      return rest;
    }
    // The newest part keeps the cursor; older parts start fresh. The oldest part keeps the
    // slice's own lower bound, which may be open.
    for (let index = 0; index < cuts.length; index++) {
      pending.push({
        slice: {
          status: slice.status,
          createdGte: index === 0 ? slice.createdGte : (cuts[index - 1] as number),
          createdLt: cuts[index] as number,
          startingAfter: null,
        },
        expectedPages: expectedPages / (cuts.length + 1),
      });
    }
    reader.expectedPages = expectedPages / (cuts.length + 1);
    schedule();
    return { ...rest, createdGte: cuts.at(-1) as number };
  };

  schedule();
  if (pending.length === 0 && readers.size === 0) channel.close();
  return channel.drain();
}
