import { findCreatedMessage } from './reconcile';
import type { TenantSender } from './sender';
import { heartbeat, pause } from './shared';
import type { Db } from '../../db/knex';
import { claimTimeLeft, type ClaimedRow, type OutgoingRow } from '../../db/outbox-claims';
import { markOutboxNotFound, type ReconciliationCause } from '../../db/outbox-outcomes';
import type { SendFence } from '../../domain/send-fence';
import { isTransientTwilioError, twilioErrorOf, twilioMessageOf } from '../../twilio/errors';

/** In-process retries of one throttled (429) or Twilio-faulted send before the attempt gives up. */
const SEND_RETRIES = 6;

/** What one relay attempt sends with: the sender, the claims' fence, and the signal that Temporal gave up on the attempt. */
export interface RowSending {
  db: Db;
  sender: TenantSender;
  fence: SendFence;
  abandoned: AbortSignal;
  statusCallbackUrl: string;
}

export type SendOutcome =
  | { kind: 'sent'; sid: string; foundBy?: ReconciliationCause }
  | { kind: 'failed'; code: number; message: string }
  /**
   * This attempt stopped trying the row: Temporal gave up on the attempt, the row is no
   * longer this claim's, the claim's send window closed before a try could start (a row
   * Twilio may have is settled after its lease instead), or the retries ran out. `mayExist`:
   * a try Twilio answered with a 5xx (or not at all) may have created the message, so the
   * row must stay `sending` for the reconciliation after the lease; otherwise it can go back.
   * `failure`: the last thing Twilio said, if a try failed.
   */
  | { kind: 'unsent'; why: 'abandoned' | 'not_owned' | 'send_window_over' | 'retries_exhausted'; mayExist: boolean; failure?: unknown };

/**
 * The fence in front of every send of a claimed row, first try and each retry (see
 * src/domain/send-fence.ts): the row must still be this claim's (`sending`, same claim
 * number) and its send window, `claimed_at + sendWindowMs` on PostgreSQL's clock, not over.
 * Returns until when a request may still start, on this process's monotonic clock, anchored
 * before the question was asked (so the local deadline can only be earlier than the
 * database's); undefined when the row is no longer this claim's.
 */
async function sendableUntil(db: Db, row: ClaimedRow, fence: SendFence): Promise<number | undefined> {
  const askedAt = performance.now();
  const left = await claimTimeLeft(db, row, fence.sendWindowMs);
  return left === undefined ? undefined : askedAt + left;
}

/**
 * Waits, heartbeating, until the row's claim is older than the lease on PostgreSQL's clock:
 * from then on nothing this attempt sent for it can still be created, and a look at Twilio
 * is as good an answer as the reconciler's. False when the row stops being this claim's, or
 * Temporal gives up on the attempt, first.
 */
async function leaseOver(db: Db, row: ClaimedRow, fence: SendFence, abandoned: AbortSignal): Promise<boolean> {
  for (;;) {
    const left = await claimTimeLeft(db, row, fence.leaseMs);
    if (left === undefined || abandoned.aborted) return false;
    if (left <= 0) return true;
    heartbeat({ settling: row.id });
    await pause(Math.min(left, 1_000), abandoned);
  }
}

/**
 * One outbox row to Twilio: To, From, Body (the row's own), StatusCallback and, for a registered
 * tenant, its MessagingServiceSid; nothing else.
 * After a 5xx or a lost answer Twilio may have created the message: nothing is sent again
 * until Twilio's list has answered that it has not (a failed look is retried, never skipped).
 * Every try, the first included, passes the claim's fence first (`sendableUntil`), and the
 * retries heartbeat and stop when Temporal gives up on the attempt: a retry loop that
 * outlasts the lease would otherwise send after another attempt reconciled the row. When
 * the window closes on a row Twilio may have, the look waits for the lease to be over and a
 * "not found" renews the claim, written on `row` (whoever writes its answer first, this
 * attempt or a reconciling one, holds the row; the other's write finds the claim gone).
 */
export async function sendRow({ db, sender, fence, abandoned, statusCallbackUrl }: RowSending, row: OutgoingRow): Promise<SendOutcome> {
  let mayExist = false;
  let failure: unknown;
  for (let attempt = 1; ; attempt++) {
    if (abandoned.aborted) return { kind: 'unsent', why: 'abandoned', mayExist, failure };
    let until = await sendableUntil(db, row, fence);
    if (until === undefined) return { kind: 'unsent', why: 'not_owned', mayExist, failure };
    let noAnswer = false;
    if (mayExist) {
      try {
        const windowOver = performance.now() >= until;
        if (windowOver && !(await leaseOver(db, row, fence, abandoned)))
          return { kind: 'unsent', why: abandoned.aborted ? 'abandoned' : 'not_owned', mayExist, failure };
        const sid = await findCreatedMessage(db, sender, row);
        if (sid) return { kind: 'sent', sid, foundBy: 'twilio_error' };
        const claim = await markOutboxNotFound(db, row, 'twilio_error', windowOver ? 'renew' : 'keep');
        if (!claim) return { kind: 'unsent', why: 'not_owned', mayExist: false, failure };
        mayExist = false;
        if (windowOver) {
          Object.assign(row, claim);
          const renewedUntil = await sendableUntil(db, row, fence);
          if (renewedUntil === undefined) return { kind: 'unsent', why: 'not_owned', mayExist, failure };
          until = renewedUntil;
        }
      } catch (err) {
        failure = err;
      }
    }
    if (!mayExist) {
      // The look took time: the window again, right before the request.
      if (performance.now() >= until) return { kind: 'unsent', why: 'send_window_over', mayExist, failure };
      try {
        const message = await sender.sendClient.messages.create({
          to: row.to_e164,
          from: sender.from,
          body: row.body,
          statusCallback: statusCallbackUrl,
          // A registered tenant sends through its Messaging Service; From keeps its number (Twilio allows both).
          ...(sender.messagingServiceSid ? { messagingServiceSid: sender.messagingServiceSid } : {}),
        });
        return { kind: 'sent', sid: message.sid };
      } catch (err) {
        const answer = twilioErrorOf(err);
        if (!isTransientTwilioError(err))
          return { kind: 'failed', code: answer?.code ?? answer?.status ?? 0, message: (answer && twilioMessageOf(answer)) ?? 'refused by Twilio' };
        // 429 means Twilio did not take it. A 5xx or a lost answer may have: look before resending.
        mayExist = answer?.status !== 429;
        noAnswer = answer === undefined;
        failure = err;
      }
    }
    // Still unsure after the last try: the row stays `sending`, the next attempt reconciles it.
    if (attempt >= SEND_RETRIES) return { kind: 'unsent', why: 'retries_exhausted', mayExist, failure };
    heartbeat({ retrying: row.id, attempt });
    // A request given up on unanswered gets the fence's slack before the look, in which
    // Twilio is assumed to finish acting on it (send-fence.ts).
    await pause(Math.max(Math.min(200 * 2 ** (attempt - 1), 5_000), noAnswer ? fence.requestTimeoutMs : 0), abandoned);
  }
}
