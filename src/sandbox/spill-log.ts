import { closeSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes read per disk read while scanning: large enough that a million records take few reads. */
const READ_CHUNK = 1 << 20;

/**
 * An append-only record list whose records live in a file, not on the JS heap: the sandbox's
 * ledger and Lookup log grow with every message, and a million of them held as objects made the
 * sandbox (a stand-in for Twilio) the benchmarks' bottleneck. Only the last `tailSize` appended
 * records wait in memory; they are written in one batch. Reads scan the file in order, then the tail.
 */
export class SpillLog<T> {
  private readonly tail: T[] = [];
  private readonly fd: number;
  private written = 0;
  private spilledCount = 0;
  private closed = false;

  /** `file` is unlinked at once: the open descriptor keeps it, and nothing is left behind on any exit. */
  constructor(
    file: string,
    private readonly tailSize = 1000,
  ) {
    this.fd = openSync(file, 'w+');
    rmSync(file, { force: true });
  }

  get count(): number {
    return this.spilledCount + this.tail.length;
  }

  /** How many records are held on the JS heap right now (at most `tailSize`). */
  get inMemory(): number {
    return this.tail.length;
  }

  push(record: T): void {
    this.tail.push(record);
    if (this.tail.length >= this.tailSize && !this.closed) this.spill();
  }

  /** Every record, oldest first. */
  *scan(): Generator<T> {
    // Records appended while a scan is under way are not part of it.
    const end = this.closed ? 0 : this.written;
    const pendingTail = this.tail.slice();
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let position = 0;
    let rest = '';
    // A chunk may end inside a multi-byte character: the decoder keeps its start for the next one.
    const decoder = new StringDecoder('utf8');
    while (position < end) {
      const n = readSync(this.fd, buffer, 0, Math.min(READ_CHUNK, end - position), position);
      if (n === 0) break;
      position += n;
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) yield JSON.parse(line) as T;
    }
    yield* pendingTail;
  }

  clear(): void {
    this.tail.length = 0;
    if (!this.closed) ftruncateSync(this.fd, 0);
    this.written = 0;
    this.spilledCount = 0;
  }

  /** Frees the file (its records are gone; the tail stays readable). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private spill(): void {
    const bytes = Buffer.from(this.tail.map((r) => `${JSON.stringify(r)}\n`).join(''));
    writeSync(this.fd, bytes, 0, bytes.length, this.written);
    this.written += bytes.length;
    this.spilledCount += this.tail.length;
    this.tail.length = 0;
  }
}
