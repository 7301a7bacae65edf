import type { Db } from './knex';
import type { ClaimedRow } from './outbox-claims';

/** Why the relay asked Twilio whether a message exists: a dead attempt's claim, or a 5xx / lost answer to the send. */
export type ReconciliationCause = 'dead_attempt' | 'twilio_error';

/** A message Twilio accepted for a claimed row; `foundBy` when it was found by asking Twilio rather than by the send's answer. */
export interface AcceptedMessage {
  id: string;
  claim: number;
  sid: string;
  foundBy?: ReconciliationCause;
}

/**
 * Records accepted messages, many rows per statement. Holding a few back is safe: a row
 * whose SID was not yet written when the process died is still `sending`, and the next
 * attempt finds its message at Twilio. The same statement renews the opt-out notice of each
 * recipient whose body told them how to opt out, so the next campaign knows (in key order:
 * relays of one tenant running at once never wait on each other in a cycle), and records
 * a `found` reconciliation for each row whose message was found by asking Twilio (`foundBy`).
 * Each row only while it is still the claim's (`claim`): a row another attempt has reconciled
 * and claimed again since keeps that attempt's result, and no reconciliation row is written.
 */
export async function markOutboxSent(db: Db, sent: AcceptedMessage[]): Promise<void> {
  if (!sent.length) return;
  await db.raw(
    `WITH marked AS (
       UPDATE outbox SET status = 'sent', message_sid = v.sid, sent_at = now(), error_code = NULL, error_message = NULL, reconciled = outbox.reconciled OR coalesce(v."foundBy" = 'dead_attempt', false)
       FROM jsonb_to_recordset(?::jsonb) AS v(id bigint, claim int, sid text, "foundBy" text) WHERE outbox.id = v.id AND outbox.status = 'sending' AND outbox.send_attempts = v.claim
       RETURNING outbox.id, outbox.campaign_id, outbox.tenant_id, outbox.to_e164, outbox.opt_out_notice, v.sid, v."foundBy"
     ), found AS (
       INSERT INTO outbox_reconciliations (outbox_id, campaign_id, cause, outcome, message_sid)
       SELECT id, campaign_id, "foundBy", 'found', sid FROM marked WHERE "foundBy" IS NOT NULL
     )
     INSERT INTO opt_out_notices AS n (tenant_id, phone_e164, last_sent_at)
     SELECT tenant_id, to_e164, now() FROM marked WHERE opt_out_notice GROUP BY tenant_id, to_e164 ORDER BY tenant_id, to_e164
     ON CONFLICT (tenant_id, phone_e164) DO UPDATE SET last_sent_at = GREATEST(n.last_sent_at, EXCLUDED.last_sent_at)`,
    [JSON.stringify(sent)],
  );
}

/**
 * Twilio has no message for a row the relay asked about: records the `not_found` answer
 * with the row's next state in one statement. A dead attempt's row goes back to `pending`
 * (and counts as reconciled). A row whose send got a 5xx stays `sending` to be sent again at
 * once: under the same claim while its send window lasts (`keep`), or, asked after its lease
 * was over, under a fresh claim (`renew`: the answer covers every earlier try, so a new claim
 * time and number start a new window). Only while the row is still that claim's: returns the
 * row's claim after the statement, undefined when it was no longer that claim's.
 */
export async function markOutboxNotFound(
  db: Db,
  row: Pick<ClaimedRow, 'id' | 'claim'>,
  cause: ReconciliationCause,
  next: 'pending' | 'keep' | 'renew',
): Promise<Pick<ClaimedRow, 'claim' | 'claimed_at'> | undefined> {
  const { rows } = await db.raw<{ rows: Array<Pick<ClaimedRow, 'claim' | 'claimed_at'>> }>(
    `WITH checked AS (
       UPDATE outbox SET reconciled = reconciled OR ? = 'dead_attempt',
         status = CASE WHEN ? = 'pending' THEN 'pending' ELSE status END,
         claimed_at = CASE ? WHEN 'pending' THEN NULL WHEN 'renew' THEN clock_timestamp() ELSE claimed_at END,
         send_attempts = send_attempts + CASE WHEN ? = 'renew' THEN 1 ELSE 0 END
       WHERE id = ? AND status = 'sending' AND send_attempts = ?
       RETURNING id, campaign_id, claimed_at, send_attempts
     ), answered AS (
       INSERT INTO outbox_reconciliations (outbox_id, campaign_id, cause, outcome) SELECT id, campaign_id, ?, 'not_found' FROM checked
     )
     SELECT send_attempts AS claim, claimed_at FROM checked`,
    [cause, next, next, next, row.id, row.claim, cause],
  );
  return rows[0];
}

/**
 * Twilio refused the row's message for good: the row is `failed` with Twilio's code, while it
 * is still this claim's. 21610 (the recipient replied STOP to this sender) also suppresses
 * the recipient for the tenant, whoever owns the row now: never try them again.
 */
export async function markOutboxFailed(db: Db, tenantId: string, row: ClaimedRow, refusal: { code: number; message: string }): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('outbox')
      .where({ id: row.id, status: 'sending', send_attempts: row.claim })
      .update({ status: 'failed', error_code: refusal.code, error_message: refusal.message });
    if (refusal.code === 21610) {
      await trx('suppressions')
        .insert({ tenant_id: tenantId, phone_e164: row.to_e164, reason: 'unsubscribed', source: 'twilio:21610' })
        .onConflict(['tenant_id', 'phone_e164'])
        .ignore();
    }
  });
}
