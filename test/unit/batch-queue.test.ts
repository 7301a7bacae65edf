import { BatchQueue, BatchQueueFull } from '../../src/api/ingest/batch-queue';

/** A flush whose batches are recorded and which each answer when the test says so. */
function controlledFlush() {
  const batches: number[][] = [];
  const pending: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  const flush = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push({ resolve: () => resolve(items.map((i) => `done ${i}`)), reject });
    });
  return { batches, pending, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchQueue', () => {
  afterEach(() => jest.useRealTimers());

  it('flushes as soon as a batch is full, without waiting for the timer', async () => {
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 3, maxDelayMs: 60_000, maxQueued: 10, maxInFlight: 1 });
    const answers = [1, 2, 3].map((i) => q.submit(i));
    expect(f.batches).toEqual([[1, 2, 3]]);
    f.pending[0].resolve();
    expect(await Promise.all(answers)).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('tells onFlushed of each flush once it has ended, written or failed, with its size', async () => {
    const f = controlledFlush();
    const flushed: number[] = [];
    const q = new BatchQueue({ flush: f.flush, maxBatch: 2, maxDelayMs: 60_000, maxQueued: 10, maxInFlight: 2, onFlushed: (size) => flushed.push(size) });
    const written = [1, 2].map((i) => q.submit(i));
    const failed = [3, 4].map((i) => q.submit(i).catch(() => 'failed'));
    expect(flushed).toEqual([]);
    f.pending[1].reject(new Error('boom'));
    expect(await Promise.all(failed)).toEqual(['failed', 'failed']);
    f.pending[0].resolve();
    await Promise.all(written);
    expect(flushed).toEqual([2, 2]);
  });

  it('flushes a partial batch when the delay has passed since its first item', async () => {
    jest.useFakeTimers();
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 100, maxDelayMs: 5, maxQueued: 1000, maxInFlight: 1 });
    const a = q.submit(1);
    jest.advanceTimersByTime(3);
    const b = q.submit(2);
    expect(f.batches).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(f.batches).toEqual([[1, 2]]);
    f.pending[0].resolve();
    expect(await Promise.all([a, b])).toEqual(['done 1', 'done 2']);
  });

  it('settles no submitter before its batch’s flush has finished', async () => {
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 1, maxDelayMs: 1, maxQueued: 10, maxInFlight: 1 });
    let settled = false;
    void q.submit(1).then(() => (settled = true));
    await tick();
    await tick();
    expect(settled).toBe(false);
    f.pending[0].resolve();
    await tick();
    expect(settled).toBe(true);
  });

  it('rejects every item of a batch whose flush failed, and only those', async () => {
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 2, maxDelayMs: 1, maxQueued: 10, maxInFlight: 2 });
    const first = [q.submit(1), q.submit(2)];
    const second = [q.submit(3), q.submit(4)];
    expect(f.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    f.pending[0].reject(new Error('connection reset'));
    f.pending[1].resolve();
    const results = await Promise.allSettled([...first, ...second]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });

  it('keeps at most maxInFlight flushes running; what queued meanwhile goes as soon as one ends', async () => {
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 2, maxDelayMs: 60_000, maxQueued: 10, maxInFlight: 1 });
    const all = [1, 2, 3, 4, 5].map((i) => q.submit(i));
    expect(f.batches).toEqual([[1, 2]]);
    f.pending[0].resolve();
    await tick();
    expect(f.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    f.pending[1].resolve();
    await tick();
    // The last item's delay is long past its usefulness: a free writer takes it at once.
    expect(f.batches).toEqual([[1, 2], [3, 4], [5]]);
    f.pending[2].resolve();
    await Promise.all(all);
    await q.drained();
  });

  it('refuses at once when maxQueued items already wait, and accepts again once they are written', async () => {
    const f = controlledFlush();
    const q = new BatchQueue({ flush: f.flush, maxBatch: 2, maxDelayMs: 60_000, maxQueued: 3, maxInFlight: 1 });
    const accepted = [1, 2, 3, 4, 5].map((i) => q.submit(i)); // 1-2 in flight, 3-5 wait
    expect(q.queued).toBe(3);
    await expect(q.submit(6)).rejects.toBeInstanceOf(BatchQueueFull);
    f.pending[0].resolve();
    await tick();
    expect(q.queued).toBe(1);
    const later = q.submit(7);
    f.pending[1].resolve();
    await tick();
    f.pending[2].resolve();
    expect(await Promise.all([...accepted, later])).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5', 'done 7']);
  });

  it('fails the batch when the flush answers the wrong number of outcomes', async () => {
    const q = new BatchQueue<number, string>({ flush: () => Promise.resolve([]), maxBatch: 1, maxDelayMs: 1, maxQueued: 1, maxInFlight: 1 });
    await expect(q.submit(1)).rejects.toThrow('flush answered 0 outcomes for 1 items');
  });
});
