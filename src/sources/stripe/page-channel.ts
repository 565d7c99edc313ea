/**
 * A bounded hand-over from concurrent producers to one consumer: producers wait when the
 * buffer is full, so fetched pages never pile up faster than they are added up.
 */
export class PageChannel<T> {
  private readonly buffer: T[] = [];
  private readonly waitingProducers: Array<() => void> = [];
  private waitingConsumer: { resolve: () => void } | null = null;
  private failure: { error: unknown } | null = null;
  private closed = false;

  constructor(private readonly capacity: number) {}

  async push(value: T): Promise<void> {
    while (this.buffer.length >= this.capacity && !this.failure) {
      await new Promise<void>((resolve) => this.waitingProducers.push(resolve));
    }
    if (this.failure) return;
    this.buffer.push(value);
    this.wakeConsumer();
  }

  close(): void {
    this.closed = true;
    this.wakeConsumer();
  }

  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.wakeConsumer();
    for (const wake of this.waitingProducers.splice(0)) wake();
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  async *drain(): AsyncIterable<T> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const next = this.buffer.shift();
      if (next !== undefined) {
        this.waitingProducers.shift()?.();
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.waitingConsumer = { resolve }));
    }
  }

  private wakeConsumer(): void {
    const consumer = this.waitingConsumer;
    this.waitingConsumer = null;
    consumer?.resolve();
  }
}
