import type { Db } from './knex';

/**
 * The relay's claims on outbox rows. A row goes pending → sending (claimed) → sent(sid) |
 * failed(code), or dropped(reason) before any send (see outbox-outcomes.ts for the ends).
 */
export interface ClaimedRow {
  id: string;
  to_e164: string;
  claimed_at: Date;
  /**
   * The claim's fencing token: the row's `send_attempts` as this claim set it (every claim adds
   * one). Each write of this claim's outcome holds only while the row is still `sending` with
   * this number, so a late answer never lands on a later claim's row.
   */
  claim: number;
}

/** A claimed row with the body it is sent with, written on the row before the send. */
export interface OutgoingRow extends ClaimedRow {
  body: string;
  segments: number;
}

/** A freshly claimed row, with its contact (null once erased) and when its recipient was last told how to opt out. */
export type ClaimedRecipient = ClaimedRow & { contact_id: string | null; last_notice_at: Date | null };

/**
 * Claims up to `limit` pending, looked-up rows due now, after `afterId` in id order, for
 * `from`: FOR UPDATE SKIP LOCKED, so concurrent relays never claim the same row. The claim
 * also reads when each recipient was last told how to opt out; a body from an earlier claim
 * is cleared, so a `sending` row without a body never reached Twilio.
 */
export async function claimOutboxPage(db: Db, q: { campaignId: string; from: string; afterId: string; limit: number }): Promise<ClaimedRecipient[]> {
  const { rows } = await db.raw<{ rows: ClaimedRecipient[] }>(
    `WITH claimed AS (
       UPDATE outbox SET status = 'sending', claimed_at = clock_timestamp(), from_number = ?, send_attempts = send_attempts + 1, body = NULL, segments = NULL, opt_out_notice = NULL
       WHERE id IN (SELECT id FROM outbox WHERE campaign_id = ? AND status = 'pending' AND looked_up AND (not_before IS NULL OR not_before <= now()) AND id > ?
                    ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id, tenant_id, contact_id, to_e164, claimed_at, send_attempts
     )
     SELECT c.id, c.contact_id, c.to_e164, c.claimed_at, c.send_attempts AS claim, n.last_sent_at AS last_notice_at
     FROM claimed c LEFT JOIN opt_out_notices n ON n.tenant_id = c.tenant_id AND n.phone_e164 = c.to_e164`,
    [q.from, q.campaignId, q.afterId, q.limit],
  );
  return rows;
}

/** Quiet hours in the recipient's zone: the claimed row waits as pending until `notBefore`. */
export async function deferClaimedRow(db: Db, row: ClaimedRow, notBefore: Date): Promise<void> {
  await db('outbox').where({ id: row.id, status: 'sending', send_attempts: row.claim }).update({ status: 'pending', not_before: notBefore, claimed_at: null });
}

/**
 * A claimed row that will not be sent, dropped with why: `quiet_hours` (they end only after the
 * campaign's send-by time), `merge_field` (the contact's values do not fill the template).
 */
export async function dropClaimedRow(db: Db, row: ClaimedRow, reason: 'quiet_hours' | 'merge_field', detail: string): Promise<void> {
  await db('outbox')
    .where({ id: row.id, status: 'sending', send_attempts: row.claim })
    .update({ status: 'dropped', drop_reason: reason, drop_detail: detail, claimed_at: null });
}

/**
 * Writes each claimed row's body before anything is sent, one statement for the page: a
 * retry, a crash's reconciliation and the report all see the text Twilio gets. `variants`
 * are the page's bodies (sealed), each row naming its own: a plain campaign's two (with and
 * without the opt-out footer) serve the whole page; a template's rows each have their own.
 */
export async function writeOutgoingBodies(
  db: Db,
  rows: Array<{ id: string; claim: number; variant: string }>,
  variants: Array<{ variant: string; body: string; segments: number; optOutNotice: boolean }>,
): Promise<void> {
  await db.raw(
    `UPDATE outbox SET body = b.body, segments = b.segments, opt_out_notice = b."optOutNotice"
     FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, claim int, variant text)
     JOIN jsonb_to_recordset(?::jsonb) AS b(variant text, body text, segments int, "optOutNotice" boolean) USING (variant)
     WHERE outbox.id = r.id AND outbox.status = 'sending' AND outbox.send_attempts = r.claim`,
    [JSON.stringify(rows), JSON.stringify(variants)],
  );
}

/** Claimed rows this attempt will not send go back to `pending`, each only while it is still this claim's. */
export async function giveBackClaims(db: Db, rows: ClaimedRow[]): Promise<void> {
  if (!rows.length) return;
  await db.raw(
    `UPDATE outbox SET status = 'pending', claimed_at = NULL
     FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, claim int)
     WHERE outbox.id = r.id AND outbox.status = 'sending' AND outbox.send_attempts = r.claim`,
    [JSON.stringify(rows.map((r) => ({ id: r.id, claim: r.claim })))],
  );
}

/** Milliseconds until `claimed_at + afterMs` on PostgreSQL's clock (negative once past), or undefined when the row is no longer this claim's. */
export async function claimTimeLeft(db: Db, row: ClaimedRow, afterMs: number): Promise<number | undefined> {
  const owned = await db('outbox')
    .where({ id: row.id, status: 'sending', send_attempts: row.claim })
    .first<{ left_ms: number } | undefined>(
      db.raw(`(extract(epoch FROM claimed_at + make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS left_ms`, [afterMs / 1000]),
    );
  return owned?.left_ms;
}

/** A row a dead attempt left in `sending`, with its body if it got that far, and how long until its lease is over. */
export type StaleClaim = ClaimedRow & { body: string | null; segments: number | null; lease_left_ms: number };

/** The campaign's first `limit` rows in `sending` (by id), each with the time left on its lease (PostgreSQL's clock). */
export function sendingRows(db: Db, q: { campaignId: string; leaseMs: number; limit: number }): Promise<StaleClaim[]> {
  return db('outbox')
    .where({ campaign_id: q.campaignId, status: 'sending' })
    .orderBy('id')
    .limit(q.limit)
    .select<StaleClaim[]>(
      'id',
      'to_e164',
      'claimed_at',
      'body',
      'segments',
      db.raw('send_attempts AS claim'),
      db.raw(`GREATEST(0, extract(epoch FROM claimed_at + make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS lease_left_ms`, [q.leaseMs / 1000]),
    );
}

/** Which of `sids` are already recorded on an outbox row other than `exceptId`. */
export async function messageSidsTakenElsewhere(db: Db, sids: string[], exceptId: string): Promise<Set<string>> {
  return new Set(await db('outbox').whereIn('message_sid', sids).whereNot({ id: exceptId }).pluck<string[]>('message_sid'));
}
