/**
 * Group commit for webhooks: items submitted within a few milliseconds are written by one
 * `flush` call (one statement instead of one per request), and each submitter's promise
 * settles only when that flush has finished, so a caller never answers before its item is
 * durable. A flush that throws rejects every item of its batch (each request fails, and its
 * sender retries).
 *
 * Bounded: at most `maxQueued` items wait for a flush. Beyond that `submit` throws
 * `BatchQueueFull` at once instead of queueing: waiting callers would only move the unbounded
 * queue into open sockets and pending promises, where a 503 with Retry-After tells the sender
 * to come back and keeps memory and latency bounded.
 */
export interface BatchQueueOptions<I, O> {
  /** Writes one batch; answers one outcome per item, in the items' order. */
  flush: (items: I[]) => Promise<O[]>;
  /** A batch is flushed as soon as it holds this many items… */
  maxBatch: number;
  /** …or this long after its first item arrived, whichever comes first. */
  maxDelayMs: number;
  /** Items waiting for a flush (not counting those being written) beyond which `submit` refuses. */
  maxQueued: number;
  /** Batches written at the same time (each on its own connection). */
  maxInFlight: number;
  /** Told of every flush once it ends (written or failed): its size and how long it took, for metrics. */
  onFlushed?: (size: number, seconds: number) => void;
}

export class BatchQueueFull extends Error {
  constructor() {
    super('the write queue is full');
    this.name = 'BatchQueueFull';
  }
}

interface Waiting<I, O> {
  item: I;
  resolve: (outcome: O) => void;
  reject: (err: unknown) => void;
}

export class BatchQueue<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: Array<() => void> = [];

  constructor(private readonly options: BatchQueueOptions<I, O>) {
    if (options.maxBatch < 1 || options.maxInFlight < 1 || options.maxQueued < options.maxBatch) {
      throw new RangeError('BatchQueue needs maxBatch ≥ 1, maxInFlight ≥ 1 and maxQueued ≥ maxBatch');
    }
  }

  /** Items waiting for a flush right now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with the item's outcome once its batch is written; rejects if that write failed. */
  submit(item: I): Promise<O> {
    if (this.waiting.length >= this.options.maxQueued) return Promise.reject(new BatchQueueFull());
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or being written (for a graceful shutdown). */
  drained(): Promise<void> {
    if (!this.waiting.length && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length >= this.options.maxBatch) this.startFlush();
    // Every writer busy: the batch keeps growing and goes when one is free (see `finished`).
    if (!this.waiting.length || this.timer || this.inFlight >= this.options.maxInFlight) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.waiting.length) this.startFlush();
      this.schedule();
    }, this.options.maxDelayMs);
  }

  private startFlush(): void {
    // The timer was for the first waiting item, which goes now; `schedule` arms one for the rest.
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.inFlight++;
    void this.write(batch);
  }

  private async write(batch: Array<Waiting<I, O>>): Promise<void> {
    const started = performance.now();
    try {
      const outcomes = await this.options.flush(batch.map((w) => w.item));
      if (outcomes.length !== batch.length) throw new Error(`flush answered ${outcomes.length} outcomes for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(outcomes[i]));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.options.onFlushed?.(batch.length, (performance.now() - started) / 1000);
      this.inFlight--;
      this.finished();
    }
  }

  private finished(): void {
    // What arrived while every writer was busy goes now rather than after another delay.
    if (this.waiting.length && this.inFlight < this.options.maxInFlight) this.startFlush();
    this.schedule();
    if (!this.waiting.length && !this.inFlight) for (const resolve of this.idle.splice(0)) resolve();
  }
}
