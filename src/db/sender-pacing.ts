import type { Db } from './knex';

/**
 * A page's run of a sender's segments (see migration 025 for the rule it serves). Times here
 * are on this process's monotonic clock (`performance.now()`) unless named `…DbMs` (epoch ms on
 * PostgreSQL's clock, the one clock every worker shares).
 */
export interface SendBlock {
  sender: string;
  /** The sender-wide number of the block's first segment. */
  firstSegment: number;
  segments: number;
  /** When the first slot is by the spacing rule (`msPerSegment` apart). */
  firstSlot: number;
  /**
   * A bound on when every request of the segments MPS before this block ended, when the
   * reservation could tell (all of them in blocks it saw); undefined: ask per segment.
   */
  predecessorsEndedBy: number | undefined;
  /** A local instant on PostgreSQL's clock, never earlier than PostgreSQL read at that instant. */
  toDbMs(local: number): number;
  /** When PostgreSQL's clock reads `dbMs`, on the local clock, never earlier than it really is. */
  toLocal(dbMs: number): number;
}

/**
 * Reserves `segments` consecutive segments of `sender` from the row every worker shares (its
 * lock serialises reservations): slots `msPerSegment` apart, and the segments' numbers. Also
 * drops blocks no live reservation can need any more (ended over a second ago, below every live
 * block's predecessors) and reads, in the same statement, whether the blocks holding this
 * block's predecessors (the segments `mps` before it) have all ended. A block not yet visible to
 * this statement's snapshot (reserved concurrently) counts as unknown, never as ended.
 * `holdMs`: how long after now nothing this page sends can still be accepted (the claim's lease).
 */
export async function claimSendSlots(db: Db, sender: string, segments: number, msPerSegment: number, mps: number, holdMs: number): Promise<SendBlock> {
  const seconds = (segments * msPerSegment) / 1000;
  const askedAt = performance.now();
  const { rows } = await db.raw<{
    rows: Array<{ first_segment: number; first_slot_db_ms: number; now_db_ms: number; covered: number; wanted: number; ended_by_db_ms: number | null }>;
  }>(
    `WITH slot AS (
       INSERT INTO sender_pacing AS p (sender, next_slot_at, next_segment) VALUES (:sender, clock_timestamp() + make_interval(secs => :seconds), :segments)
       ON CONFLICT (sender) DO UPDATE SET next_slot_at = GREATEST(p.next_slot_at, clock_timestamp()) + make_interval(secs => :seconds),
                                          next_segment = p.next_segment + :segments
       RETURNING next_slot_at - make_interval(secs => :seconds) AS first_slot_at, next_segment - :segments AS first_segment
     ), bounds AS (
       SELECT first_segment, first_slot_at, GREATEST(0, first_segment - :mps) AS lo, LEAST(first_segment, GREATEST(0, first_segment + :segments - :mps)) AS hi FROM slot
     ), added AS (
       INSERT INTO sender_send_blocks (sender, first_segment, segments, ends_by)
       SELECT :sender, first_segment, :segments, clock_timestamp() + make_interval(secs => :holdSeconds) FROM slot
     ), live AS (
       SELECT LEAST(min(b.first_segment), (SELECT first_segment FROM slot)) AS first FROM sender_send_blocks b
       WHERE b.sender = :sender AND b.last_end_ms IS NULL AND b.ends_by > clock_timestamp()
     ), dropped AS (
       DELETE FROM sender_send_blocks b USING live
       WHERE b.sender = :sender AND b.first_segment + b.segments <= COALESCE(live.first, (SELECT first_segment FROM slot)) - :mps
         AND COALESCE(b.last_end_ms, extract(epoch FROM b.ends_by) * 1000) < extract(epoch FROM clock_timestamp()) * 1000 - 1000
     )
     SELECT s.first_segment::float8 AS first_segment, (extract(epoch FROM s.first_slot_at) * 1000)::float8 AS first_slot_db_ms,
            (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_db_ms, (s.hi - s.lo)::float8 AS wanted,
            COALESCE(sum(LEAST(b.first_segment + b.segments, s.hi) - GREATEST(b.first_segment, s.lo)) FILTER (WHERE b.sender IS NOT NULL), 0)::float8 AS covered,
            max(COALESCE(b.last_end_ms, extract(epoch FROM b.ends_by) * 1000))::float8 AS ended_by_db_ms
     FROM bounds s LEFT JOIN sender_send_blocks b ON b.sender = :sender AND b.first_segment < s.hi AND b.first_segment + b.segments > s.lo
     GROUP BY s.first_segment, s.first_slot_at, s.lo, s.hi`,
    { sender, seconds, segments, mps, holdSeconds: holdMs / 1000 },
  );
  const answeredAt = performance.now();
  const row = rows[0];
  // PostgreSQL read its clock somewhere between asking and the answer: local → database from the
  // ask (later than true), database → local from the answer (later than true). Both err late.
  const toDbMs = (local: number) => row.now_db_ms + (local - askedAt);
  const toLocal = (dbMs: number) => answeredAt + (dbMs - row.now_db_ms);
  const known = row.covered === row.wanted;
  return {
    sender,
    firstSegment: row.first_segment,
    segments,
    firstSlot: toLocal(row.first_slot_db_ms),
    predecessorsEndedBy: known ? (row.wanted === 0 ? -Infinity : toLocal(row.ended_by_db_ms ?? 0)) : undefined,
    toDbMs,
    toLocal,
  };
}

/** What a block of the sender knows about when its segments' requests ended. */
export interface BlockEnds {
  firstSegment: number;
  segments: number;
  /** Per segment, epoch ms on PostgreSQL's clock; null: no request. Undefined until the block is done. */
  ends: Array<number | null> | undefined;
  endsByDbMs: number;
}

/** The blocks holding segments [from, to) of `sender` (a block no longer stored ended over a second ago). */
export async function blockEnds(db: Db, sender: string, from: number, to: number): Promise<BlockEnds[]> {
  const rows = await db('sender_send_blocks')
    .where({ sender })
    .where('first_segment', '<', to)
    .whereRaw('first_segment + segments > ?', [from])
    .select<Array<{ first_segment: string; segments: number; ends: number[] | null; ends_by_db_ms: number }>>(
      'first_segment',
      'segments',
      'ends',
      db.raw('(extract(epoch FROM ends_by) * 1000)::float8 AS ends_by_db_ms'),
    );
  return rows.map((r) => ({ firstSegment: Number(r.first_segment), segments: r.segments, ends: r.ends ?? undefined, endsByDbMs: r.ends_by_db_ms }));
}

/**
 * The page is done: when each segment's last request ended (null: never sent). The sender's next
 * free slot also moves to no earlier than the block's last actual start plus the spacing of every
 * segment after it, so the slots cannot drift ahead of the sends when waits for the rule add up.
 */
export async function settleSendBlock(
  db: Db,
  block: SendBlock,
  endsDbMs: Array<number | null>,
  lastStart: { dbMs: number; segments: number } | undefined,
  msPerSegment: number,
): Promise<void> {
  const lastEnd = endsDbMs.reduce<number>((latest, end) => Math.max(latest, end ?? 0), 0);
  await db.raw(
    `WITH done AS (
       UPDATE sender_send_blocks SET ends = CAST(:ends AS float8[]), last_end_ms = CAST(:lastEnd AS float8) WHERE sender = :sender AND first_segment = :first
     )
     UPDATE sender_pacing SET next_slot_at = GREATEST(next_slot_at, to_timestamp((CAST(:startDbMs AS float8)
       + (next_segment - CAST(:blockEnd AS bigint) + CAST(:startSegments AS bigint))::float8 * CAST(:msPerSegment AS float8)) / 1000))
     WHERE sender = :sender AND CAST(:hasStart AS boolean)`,
    {
      ends: `{${endsDbMs.map((e) => (e === null ? 'NULL' : String(e))).join(',')}}`,
      lastEnd,
      sender: block.sender,
      first: block.firstSegment,
      startDbMs: lastStart?.dbMs ?? 0,
      startSegments: lastStart?.segments ?? 0,
      blockEnd: block.firstSegment + block.segments,
      msPerSegment,
      hasStart: lastStart !== undefined,
    },
  );
}

/** How far ahead the sender's shared slots are already booked (PostgreSQL's clock), 0 when free. */
export async function pacingBacklogMs(db: Db, sender: string): Promise<number> {
  const row = await db('sender_pacing')
    .where({ sender })
    .first<{ ms: number } | undefined>(db.raw(`GREATEST(0, extract(epoch FROM next_slot_at - clock_timestamp()) * 1000)::float8 AS ms`));
  return row?.ms ?? 0;
}
