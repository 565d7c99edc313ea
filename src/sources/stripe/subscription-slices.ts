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
 * each status starts as one slice; whenever a slice reports more pages and readers are
 * idle, what is left of it is cut by `created` into parts of about equal expected size,
 * judged from how much time its last page covered. Dense periods end up cut finely,
 * empty ones cost one request.
 */
export function readSubscriptionSlices<T = WireSubscription>(
  statuses: readonly SubscriptionStatus[],
  fetchPage: (slice: Slice) => Promise<SlicePage>,
  options: SliceReaderOptions<T>,
): AsyncIterable<T[]> {
  const channel = new PageChannel<T[]>(options.buffer ?? 4);
  const pending: Slice[] = statuses.map((status) => ({ status, createdGte: null, createdLt: null, startingAfter: null }));
  const concurrency = typeof options.concurrency === 'number' ? () => options.concurrency as number : options.concurrency;
  const compact = options.compact ?? ((page: WireSubscription[]) => page as unknown as T[]);
  let active = 0;

  const schedule = () => {
    while (!channel.failed && active < concurrency() && pending.length > 0) {
      const slice = pending.shift() as Slice;
      active += 1;
      void readSlice(slice).then(
        () => {
          active -= 1;
          if (active === 0 && pending.length === 0) channel.close();
          else schedule();
        },
        (error: unknown) => channel.fail(error),
      );
    }
  };

  const readSlice = async (first: Slice): Promise<void> => {
    let slice: Slice | null = first;
    while (slice && !channel.failed) {
      const { values, next } = await readPage(slice);
      if (values.length > 0) await channel.push(values);
      slice = next;
      // More readers than the concurrency allows now (memory is short, or latency fell):
      // this one hands the rest of its slice back and stops.
      if (slice && active > concurrency()) {
        pending.unshift(slice);
        return;
      }
    }
  };

  /** The wire page lives only in here: continued or cut first (so other readers can start), then compacted. */
  const readPage = async (slice: Slice): Promise<{ values: T[]; next: Slice | null }> => {
    const page = await fetchPage(slice);
    const next = page.hasMore ? continueSlice(slice, page) : null;
    return { values: page.data.length > 0 ? await compact(page.data) : [], next };
  };

  const continueSlice = (slice: Slice, page: SlicePage): Slice | null => {
    const last = page.data.at(-1);
    if (!last) return null; // "more" with an empty page would loop forever; nothing is left to read
    const newest = page.data[0]?.created ?? last.created;
    const oldest = last.created;
    const rest: Slice = { ...slice, startingAfter: last.id };
    const idle = concurrency() - active - pending.length;
    if (idle <= 0) return rest;

    // What is left is created <= oldest (the cursor handles ties at `oldest` itself).
    const upper = oldest + 1;
    const lower = slice.createdGte ?? Math.min(typeof options.densityFloor === 'number' ? options.densityFloor : options.densityFloor(), oldest);
    const span = upper - lower;
    const secondsPerPage = Math.max(1, newest - oldest + 1);
    // Every slice ends on a part-filled page, so a part is only worth cutting when it is
    // expected to hold several pages.
    const expectedPages = span / secondsPerPage;
    const parts = Math.min(idle + 1, Math.floor(expectedPages / MIN_PAGES_PER_PART), span);
    if (parts < 2) return rest;

    const cuts = Array.from({ length: parts - 1 }, (_, index) => lower + Math.round((span * (index + 1)) / parts));
    // The newest part keeps the cursor; older parts start fresh. The oldest part keeps the
    // slice's own lower bound, which may be open.
    for (let index = 0; index < cuts.length; index++) {
      pending.push({
        status: slice.status,
        createdGte: index === 0 ? slice.createdGte : (cuts[index - 1] as number),
        createdLt: cuts[index] as number,
        startingAfter: null,
      });
    }
    schedule();
    return { ...rest, createdGte: cuts.at(-1) as number };
  };

  schedule();
  if (pending.length === 0 && active === 0) channel.close();
  return channel.drain();
}
