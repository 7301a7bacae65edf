import { pause } from './shared';
import type { Db } from '../../db/knex';
import { blockEnds, settleSendBlock, type BlockEnds, type SendBlock } from '../../db/sender-pacing';

/** How often a row waiting for another page's block to finish asks the database again. */
const POLL_MS = 20;
/** Twilio's window: a sender's MPS counts acceptances in any sliding second. */
const WINDOW_MS = 1_000;

/**
 * When each row of one page may start, by the sender's actual send times. Segment k (numbered
 * per sender) may start only a second after the request of segment k − MPS ended: every request
 * is accepted between its start and its end, so the segments k, k + MPS, k + 2·MPS… are accepted
 * at least a second apart, and no sliding second holds more than MPS of them, whatever the
 * network's jitter, across every worker. A row of n segments takes n consecutive numbers.
 * Predecessors in this page are awaited here; those in earlier blocks (any worker's) are read
 * from PostgreSQL, or taken from the reservation when it could already tell they ended in time.
 */
export class SendLanes {
  /** Where each row's segments begin, relative to the block. */
  private readonly offsets: number[] = [];
  /** The row holding each segment of the block. */
  private readonly rowOfSegment: number[] = [];
  /** Local time each row's last request ended (undefined: not done yet; null: never sent). */
  private readonly ends: Array<number | null | undefined>;
  private readonly done: Array<() => void> = [];
  private readonly finished: Array<Promise<void>>;
  private readonly started: Array<number | undefined>;
  private earlier: BlockEnds[] | undefined;
  private reading: Promise<void> | undefined;
  private lastReadAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly block: SendBlock,
    private readonly rowSegments: number[],
    private readonly mps: number,
    private readonly msPerSegment: number,
    private readonly abandoned: AbortSignal,
  ) {
    let offset = 0;
    rowSegments.forEach((segments, row) => {
      this.offsets.push(offset);
      for (let i = 0; i < segments; i++) this.rowOfSegment.push(row);
      offset += segments;
    });
    this.ends = rowSegments.map(() => undefined);
    this.started = rowSegments.map(() => undefined);
    this.finished = rowSegments.map(() => new Promise<void>((resolve) => this.done.push(resolve)));
  }

  /** Waits until row `index` may start (its spacing slot and the rule above); returns early when the attempt is abandoned. */
  async waitForTurn(index: number): Promise<void> {
    let notBefore = this.block.firstSlot + this.offsets[index] * this.msPerSegment;
    for (let s = this.offsets[index]; s < this.offsets[index] + this.rowSegments[index] && !this.abandoned.aborted; s++) {
      const ended = s - this.mps >= 0 ? await this.localEnd(s - this.mps) : await this.earlierEnd(this.block.firstSegment + s - this.mps);
      notBefore = Math.max(notBefore, ended + WINDOW_MS);
    }
    // Timers run on whole milliseconds and may fire a fraction early: wait until it is really time.
    for (let wait = notBefore - performance.now(); wait > 0 && !this.abandoned.aborted; wait = notBefore - performance.now())
      await pause(Math.max(1, Math.ceil(wait)), this.abandoned);
    this.started[index] = performance.now();
  }

  /** Row `index` is done with: every request for it has ended (none was made unless its turn came). */
  finish(index: number): void {
    this.ends[index] = this.started[index] !== undefined ? performance.now() : null;
    this.done[index]();
  }

  /**
   * Records the block's ends for the pages after it: every row not finished here never got a
   * request (the page stopped before handing it out). A failure leaves the block to its bound.
   */
  async settle(): Promise<void> {
    const endsDbMs = this.rowOfSegment.map((row) => {
      const end = this.ends[row];
      return end === undefined || end === null ? null : this.block.toDbMs(end);
    });
    let last: { dbMs: number; segments: number } | undefined;
    this.started.forEach((at, row) => {
      if (at !== undefined && (!last || this.block.toDbMs(at) > last.dbMs)) last = { dbMs: this.block.toDbMs(at), segments: this.rowSegments[row] };
    });
    await settleSendBlock(this.db, this.block, endsDbMs, last, this.msPerSegment);
  }

  private async localEnd(segment: number): Promise<number> {
    // Always settles: a row's turn and its send both return soon once the attempt is abandoned.
    const row = this.rowOfSegment[segment];
    await this.finished[row];
    return this.ends[row] ?? -Infinity;
  }

  /** When the request of an earlier block's segment ended, on the local clock; waits while its page is still sending. */
  private async earlierEnd(segment: number): Promise<number> {
    const known = this.block.predecessorsEndedBy;
    // The reservation saw every predecessor ended early enough: no need to look closer.
    if (known !== undefined && known + WINDOW_MS <= this.block.firstSlot) return known;
    for (;;) {
      if (this.abandoned.aborted) return -Infinity;
      const holder = this.earlier?.find((b) => b.firstSegment <= segment && segment < b.firstSegment + b.segments);
      if (this.earlier && !holder) return -Infinity; // Dropped: it ended over a second ago.
      if (holder?.ends)
        return holder.ends[segment - holder.firstSegment] === null ? -Infinity : this.block.toLocal(holder.ends[segment - holder.firstSegment]!);
      // Its page is still sending, or died: by its bound nothing of it is accepted later.
      if (holder && this.block.toLocal(holder.endsByDbMs) <= performance.now()) return this.block.toLocal(holder.endsByDbMs);
      await this.readEarlier();
    }
  }

  /** One read of the earlier blocks for all rows waiting on them, at most every POLL_MS. */
  private readEarlier(): Promise<void> {
    this.reading ??= (async () => {
      const wait = this.lastReadAt + POLL_MS - performance.now();
      if (wait > 0) await pause(wait, this.abandoned);
      const from = Math.max(0, this.block.firstSegment - this.mps);
      this.earlier = await blockEnds(this.db, this.block.sender, from, this.block.firstSegment);
      this.lastReadAt = performance.now();
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }
}
