import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { heartbeat, PAGE } from './shared';
import type { TenantSender } from './sender';
import type { Db } from '../../db/knex';
import { messageSidsTakenElsewhere, sendingRows, type OutgoingRow } from '../../db/outbox-claims';
import { markOutboxNotFound, markOutboxSent } from '../../db/outbox-outcomes';

/**
 * Finds the message a crashed attempt may have created for this row: the sender's newest
 * messages to that number, created since the row was claimed, with this body, and not
 * already recorded on another outbox row. (Twilio filters lists by To and From; a queued
 * message has no DateSent yet, so the claim time is checked here, on DateCreated.)
 */
export async function findCreatedMessage(db: Db, sender: TenantSender, row: OutgoingRow): Promise<string | undefined> {
  const since = row.claimed_at.getTime() - 5_000;
  const candidates = (await sender.client.messages.list({ from: sender.from, to: row.to_e164, limit: 50 })).filter(
    (m) => m.body === row.body && m.dateCreated.getTime() >= since,
  );
  if (!candidates.length) return undefined;
  const taken = await messageSidsTakenElsewhere(
    db,
    candidates.map((m) => m.sid),
    row.id,
  );
  return candidates.find((m) => !taken.has(m.sid))?.sid;
}

/**
 * Rows a dead attempt left in `sending`: each becomes sent (Twilio has it, with the body
 * written on the row) or pending again. A row without a body died between its claim and
 * the write of its body: it never reached Twilio. Only once every claim is older than the
 * lease on PostgreSQL's clock: by then the claiming attempt's fence has stopped it from
 * starting sends, and whatever it started has been answered or given up on (send-fence.ts).
 */
export async function reconcileSending(
  db: Db,
  log: Logger,
  campaignId: string,
  sender: TenantSender,
  leaseMs: number,
  /** The row's body as stored (encrypted) to the text Twilio got. */
  openBody: (stored: string) => Promise<string>,
): Promise<number> {
  let reconciled = 0;
  for (;;) {
    const stale = await sendingRows(db, { campaignId, leaseMs, limit: PAGE });
    if (!stale.length) return reconciled;
    const wait = Math.max(...stale.map((r) => r.lease_left_ms));
    // A claim younger than the lease may still be sending in a zombie attempt: let it age.
    if (wait > 0) {
      heartbeat({ reconciling: stale.length });
      await sleep(Math.min(wait, 1000));
      continue;
    }
    for (const row of stale) {
      const sid = row.body === null ? undefined : await findCreatedMessage(db, sender, { ...row, body: await openBody(row.body), segments: row.segments ?? 0 });
      if (sid) await markOutboxSent(db, [{ id: row.id, claim: row.claim, sid, foundBy: 'dead_attempt' }]);
      else await markOutboxNotFound(db, row, 'dead_attempt', 'pending');
      reconciled++;
      heartbeat({ reconciling: stale.length - reconciled });
    }
    log.warn({ campaignId, reconciled }, 'reconciled outbox rows left in sending by an earlier attempt');
  }
}
