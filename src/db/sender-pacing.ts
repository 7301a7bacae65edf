import type { Db } from './knex';

/**
 * Reserves `segments` consecutive segment slots of `sender`, `msPerSegment` apart, from the
 * one row every worker shares: the row lock serialises reservations, so all campaigns and
 * worker processes of a sender together stay within its MPS (Twilio counts it in segments).
 * Returns when the first slot is, on this process's monotonic clock (`performance.now()`):
 * the database says how far ahead it is, so no worker's wall clock is compared with its.
 */
export async function claimSendSlots(db: Db, sender: string, segments: number, msPerSegment: number): Promise<number> {
  const seconds = (segments * msPerSegment) / 1000;
  const { rows } = await db.raw<{ rows: Array<{ first_in_ms: number }> }>(
    `INSERT INTO sender_pacing AS p (sender, next_slot_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
     ON CONFLICT (sender) DO UPDATE SET next_slot_at = GREATEST(p.next_slot_at, clock_timestamp()) + make_interval(secs => ?)
     RETURNING (extract(epoch FROM next_slot_at - make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS first_in_ms`,
    [sender, seconds, seconds, seconds],
  );
  // Anchored when the answer arrived, so a slot is never earlier here than in the database.
  return performance.now() + rows[0].first_in_ms;
}

/** How far ahead the sender's shared slots are already booked (PostgreSQL's clock), 0 when free. */
export async function pacingBacklogMs(db: Db, sender: string): Promise<number> {
  const row = await db('sender_pacing')
    .where({ sender })
    .first<{ ms: number } | undefined>(db.raw(`GREATEST(0, extract(epoch FROM next_slot_at - clock_timestamp()) * 1000)::float8 AS ms`));
  return row?.ms ?? 0;
}
