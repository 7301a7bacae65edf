import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { MessageStatus, SandboxMessage } from './store';

/** Statuses after which nothing in the sandbox changes a message by itself (only an API call can). */
const SETTLED: ReadonlySet<MessageStatus> = new Set(['delivered', 'undelivered', 'failed', 'canceled', 'received']);
const NOT_SPILLED = -1;

/**
 * The sandbox's messages with bounded heap: messages in flight and the most recent ones are
 * objects in a Map; once more than `hotLimit` are held, the oldest settled ones are written to an
 * append-only file. Their SIDs carry a sequence number (`SM` + 8 hex sequence + 8 hex store tag +
 * 16 random hex, still Twilio's 34-character shape), so the index from SID to file offset is two
 * typed arrays (off the JS heap) instead of a Map of a million strings.
 *
 * A message read back from the file is a fresh object: whoever changes one must `set` it again
 * (it then becomes hot, and is spilled anew later; the old record is left behind in the file).
 */
export class MessageStore {
  private readonly hot = new Map<string, SandboxMessage>();
  private readonly tag = randomBytes(4).toString('hex');
  private nextSeq = 0;
  private offsets = new Float64Array(1024).fill(NOT_SPILLED);
  private lengths = new Uint32Array(1024);
  private spilledCount = 0;
  private readonly fd: number;
  private written = 0;
  private closed = false;
  /** Hot size at which to spill next: raised when too few messages were settled to spill. */
  private spillAt: number;

  /** `file` is unlinked at once: the open descriptor keeps it, and nothing is left behind on any exit. */
  constructor(
    file: string,
    private readonly hotLimit = 10_000,
  ) {
    this.fd = openSync(file, 'w+');
    rmSync(file, { force: true });
    this.spillAt = hotLimit;
  }

  /** A new message SID, mapped to this store's index. */
  mintSid(): string {
    const seq = this.nextSeq++;
    if (seq >= this.offsets.length) this.grow();
    return `SM${seq.toString(16).padStart(8, '0')}${this.tag}${randomBytes(8).toString('hex')}`;
  }

  get size(): number {
    return this.hot.size + this.spilledCount;
  }

  /** How many messages are objects on the JS heap right now. */
  get inMemory(): number {
    return this.hot.size;
  }

  get(sid: string): SandboxMessage | undefined {
    const held = this.hot.get(sid);
    if (held) return held;
    const seq = this.seqOf(sid);
    if (seq === undefined || this.offsets[seq] === NOT_SPILLED || this.closed) return undefined;
    const buffer = Buffer.allocUnsafe(this.lengths[seq]);
    readSync(this.fd, buffer, 0, buffer.length, this.offsets[seq]);
    const record = JSON.parse(buffer.toString('utf8')) as SandboxMessage & { dateCreated: string; dateUpdated: string; dateSent: string | null };
    if (record.sid !== sid) return undefined;
    return {
      ...record,
      dateCreated: new Date(record.dateCreated),
      dateUpdated: new Date(record.dateUpdated),
      dateSent: record.dateSent ? new Date(record.dateSent) : null,
    };
  }

  set(sid: string, message: SandboxMessage): void {
    this.forgetSpilled(sid);
    this.hot.set(sid, message);
    if (this.hot.size > this.spillAt && !this.closed) this.spillSettled();
  }

  delete(sid: string): boolean {
    const wasSpilled = this.forgetSpilled(sid);
    return this.hot.delete(sid) || wasSpilled;
  }

  /** Every message, spilled ones (oldest first) then held ones. */
  *values(): Generator<SandboxMessage> {
    for (let seq = 0; seq < this.nextSeq && !this.closed; seq++) {
      if (this.offsets[seq] === NOT_SPILLED) continue;
      const sid = this.sidAt(seq);
      const message = sid && this.get(sid);
      if (message) yield message;
    }
    yield* [...this.hot.values()];
  }

  clear(): void {
    this.hot.clear();
    this.offsets.fill(NOT_SPILLED);
    this.spilledCount = 0;
    ftruncateSync(this.fd, 0);
    this.written = 0;
  }

  /** Frees the file; held messages stay readable. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private seqOf(sid: string): number | undefined {
    if (sid.length !== 34 || sid.slice(10, 18) !== this.tag) return undefined;
    const seq = Number.parseInt(sid.slice(2, 10), 16);
    return Number.isInteger(seq) && seq < this.nextSeq ? seq : undefined;
  }

  /** A spilled message's SID, read from its record (the random part is kept only there). */
  private sidAt(seq: number): string | undefined {
    const buffer = Buffer.allocUnsafe(Math.min(64, this.lengths[seq]));
    readSync(this.fd, buffer, 0, buffer.length, this.offsets[seq]);
    return /"sid":"(SM[0-9a-f]{32})"/.exec(buffer.toString('latin1'))?.[1];
  }

  private forgetSpilled(sid: string): boolean {
    const seq = this.seqOf(sid);
    if (seq === undefined || this.offsets[seq] === NOT_SPILLED) return false;
    this.offsets[seq] = NOT_SPILLED;
    this.spilledCount--;
    return true;
  }

  /** Writes the oldest settled messages until a tenth of the limit is free, in one write. */
  private spillSettled(): void {
    const target = Math.floor(this.hotLimit * 0.9);
    const chunks: Buffer[] = [];
    let position = this.written;
    for (const [sid, message] of this.hot) {
      if (this.hot.size <= target) break;
      const seq = this.seqOf(sid);
      // Messages still moving (timers hold the object) and SIDs minted elsewhere stay in memory.
      if (seq === undefined || !SETTLED.has(message.status)) continue;
      const bytes = Buffer.from(JSON.stringify(message));
      chunks.push(bytes);
      this.offsets[seq] = position;
      this.lengths[seq] = bytes.length;
      position += bytes.length;
      this.spilledCount++;
      this.hot.delete(sid);
    }
    // Too few settled (a slow sender's queue): try again only after a tenth more arrived.
    this.spillAt = Math.max(this.hotLimit, this.hot.size + Math.floor(this.hotLimit / 10));
    if (!chunks.length) return;
    const all = Buffer.concat(chunks);
    writeSync(this.fd, all, 0, all.length, this.written);
    this.written = position;
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2).fill(NOT_SPILLED);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
}
