import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Twilio } from 'twilio';
import type { ActivityDeps } from './deps';
import { numberTimeZones } from './phone-time-zones';
import { recordAudit } from '../db/audit';
import { recordDeliveryStatus } from '../db/delivery-statuses';
import { tenantSubaccount } from '../db/tenant-credentials';
import { cleanAudience } from '../domain/audience-hygiene';
import { defaultCountryOf } from '../domain/phone';
import { FINAL_STATUSES, SETTLED_STATUSES, UNKNOWN_OUTCOME } from '../domain/delivery-status';
import { quietHoursVerdict } from '../domain/quiet-hours';
import { carriesOptOutLanguage, needsOptOutFooter, shapeOutgoingBody, type MessageType } from '../domain/message-shaping';
import { contentClearance, type ContentReviewState, type StoredJudgement } from '../domain/compliance/clearance';
import { estimateSegments } from '../domain/segments';
import { sendFence, type SendFence } from '../domain/send-fence';
import { DEFAULT_TWILIO_REQUEST_TIMEOUT_MS } from '../twilio/client-factory';
import { isTransientTwilioError, twilioErrorOf } from '../twilio/errors';
import type { CampaignStatus } from '../workflows/campaign-send/definitions';

/**
 * The campaign send's activities. Each reads and writes PostgreSQL by campaign id and page
 * cursor; the workflow sees ids and counts only. The outbox row is the unit of truth:
 * pending → sending → sent(sid) | failed(code), or dropped(reason) before any send.
 */
export type DropReason = 'invalid' | 'duplicate' | 'suppressed' | 'country' | 'landline' | 'quiet_hours' | 'canceled';

export interface GateVerdict {
  ok: boolean;
  reason?: string;
}

export interface AudienceCounts {
  queued: number;
  dropped: number;
}

export interface RelayBatchInput {
  campaignId: string;
  batchSize: number;
  /** A `sending` row older than this belongs to a dead attempt and is reconciled with Twilio. */
  claimLeaseMs: number;
  /** Rows whose quiet hours would only end after this moment are dropped, not deferred. */
  sendByIso: string;
  /** Where the previous batch's claims ended (its `lastClaimedId`); unset: the start. */
  afterId?: string;
}

export interface RelayBatchResult {
  sent: number;
  failed: number;
  deferred: number;
  reconciled: number;
  /** Rows still to send (pending), deferred ones included. */
  pending: number;
  /** When the earliest deferred row may go (quiet hours), if any. */
  nextNotBeforeIso?: string;
  canceled: boolean;
  /** Why nothing more went out: the tenant is under review or suspended (the monitor's ladder). */
  held?: string;
  /** The campaign's totals so far, from the outbox (a retried attempt's work included). */
  totalSent: number;
  totalFailed: number;
  totalReconciled: number;
  /** Times Twilio was asked about a message the relay could not be sure of, by answer (outbox_reconciliations). */
  totalReconciledFound?: number;
  totalReconciledNotFound?: number;
  /** The highest outbox id this batch claimed: the next batch's `afterId`. */
  lastClaimedId?: string;
}

export interface DeliveryCounts {
  sent: number;
  final: number;
  /** Sent messages Twilio would not tell about for good (`UNKNOWN_OUTCOME`): settled, not final. */
  unknown: number;
  /** Sent messages with neither a final status nor an unknown outcome: still awaited. */
  outstanding: number;
}

interface TenantSender {
  tenantId: string;
  /** The tenant's business name: the brand the relay puts in front of a body that lacks it. */
  brandName: string;
  timeZone: string;
  client: Twilio;
  /** Creates messages: its requests time out within the claim's send fence (`SendFence.requestTimeoutMs`). */
  sendClient: Twilio;
  from: string;
  mps: number;
}

interface ClaimedRow {
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
interface OutgoingRow extends ClaimedRow {
  body: string;
  segments: number;
}

/** Why the relay asked Twilio whether a message exists: a dead attempt's claim, or a 5xx / lost answer to the send. */
type ReconciliationCause = 'dead_attempt' | 'twilio_error';

/** A body the relay may send, with what it costs and whether it tells the recipient how to opt out. */
interface BodyVariant {
  body: string;
  segments: number;
  optOutNotice: boolean;
}

const PAGE = 500;
/** In-process retries of one throttled (429) or Twilio-faulted send before the attempt gives up. */
const SEND_RETRIES = 6;

/** Waits `ms`, or less once `signal` aborts (Temporal gave up on the attempt). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(typeof value === 'string' ? value : JSON.stringify(value)));

export function createCampaignSendActivities({ db, twilio, config, clock, log }: ActivityDeps) {
  const heartbeat = (details?: unknown) => {
    try {
      Context.current().heartbeat(details);
    } catch {
      // Called outside an activity (unit use): nothing to tell.
    }
  };
  const campaignRow = async (campaignId: string) => {
    const row = await db('campaigns').where({ id: campaignId }).first<{ id: string; tenant_id: string; body: string; message_type: MessageType; audience_tag: string | null; scan: StoredJudgement; content_review: ContentReviewState; content_review_reason: string | null; segments: number; cancel_requested_at: Date | null } | undefined>();
    if (!row) throw ApplicationFailure.nonRetryable(`no campaign ${campaignId}`, 'UnknownCampaign');
    return row;
  };

  const senderOf = async (tenantId: string, sendTimeoutMs = DEFAULT_TWILIO_REQUEST_TIMEOUT_MS): Promise<TenantSender> => {
    const row = await db('tenants as t')
      .join('tenant_phone_numbers as n', function () {
        this.on('n.tenant_id', 't.id').andOnNull('n.released_at');
      })
      .where('t.id', tenantId)
      .orderBy('n.granted_at', 'desc')
      .first<{ business_name: string; time_zone: string; phone_number: string; mps: number } | undefined>('t.business_name', 't.time_zone', 'n.phone_number', 'n.mps');
    const subaccount = row && (await tenantSubaccount(db, twilio, tenantId));
    if (!row || !subaccount) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} has no subaccount or sending number`, 'NoSender');
    return {
      tenantId,
      brandName: row.business_name,
      timeZone: row.time_zone,
      client: subaccount.client(),
      sendClient: subaccount.client({ requestTimeoutMs: sendTimeoutMs }),
      from: row.phone_number,
      mps: row.mps,
    };
  };

  const statusCallbackUrl = `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`;
  const sendingWindow = { startHour: config.SENDING_WINDOW_START_HOUR, endHour: config.SENDING_WINDOW_END_HOUR };

  /**
   * Reserves `segments` consecutive segment slots of `sender`, `msPerSegment` apart, from the
   * one row every worker shares: the row lock serialises reservations, so all campaigns and
   * worker processes of a sender together stay within its MPS (Twilio counts it in segments).
   * Returns when the first slot is, on this process's monotonic clock (`performance.now()`):
   * the database says how far ahead it is, so no worker's wall clock is compared with its.
   */
  const claimSendSlots = async (sender: string, segments: number, msPerSegment: number): Promise<number> => {
    const seconds = (segments * msPerSegment) / 1000;
    const { rows } = await db.raw<{ rows: Array<{ first_in_ms: number }> }>(
      `INSERT INTO sender_pacing AS p (sender, next_slot_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
       ON CONFLICT (sender) DO UPDATE SET next_slot_at = GREATEST(p.next_slot_at, clock_timestamp()) + make_interval(secs => ?)
       RETURNING (extract(epoch FROM next_slot_at - make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS first_in_ms`,
      [sender, seconds, seconds, seconds],
    );
    // Anchored when the answer arrived, so a slot is never earlier here than in the database.
    return performance.now() + rows[0].first_in_ms;
  };

  /** How far ahead the sender's shared slots are already booked (PostgreSQL's clock), 0 when free. */
  const pacingBacklogMs = async (sender: string): Promise<number> => {
    const row = await db('sender_pacing').where({ sender }).first<{ ms: number } | undefined>(db.raw(`GREATEST(0, extract(epoch FROM next_slot_at - clock_timestamp()) * 1000)::float8 AS ms`));
    return row?.ms ?? 0;
  };

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
  const markSent = async (sent: Array<{ id: string; claim: number; sid: string; foundBy?: ReconciliationCause }>) => {
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
  };

  /**
   * Twilio has no message for a row the relay asked about: records the `not_found` answer
   * with the row's next state in one statement. A dead attempt's row goes back to `pending`
   * (and counts as reconciled). A row whose send got a 5xx stays `sending` to be sent again at
   * once: under the same claim while its send window lasts (`keep`), or, asked after its lease
   * was over, under a fresh claim (`renew`: the answer covers every earlier try, so a new claim
   * time and number start a new window). Only while the row is still that claim's: returns the
   * row's claim after the statement, undefined when it was no longer that claim's.
   */
  const markNotFound = async (row: Pick<ClaimedRow, 'id' | 'claim'>, cause: ReconciliationCause, next: 'pending' | 'keep' | 'renew'): Promise<Pick<ClaimedRow, 'claim' | 'claimed_at'> | undefined> => {
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
  };

  /** Claimed rows this attempt will not send go back to `pending`, each only while it is still this claim's. */
  const giveBack = async (rows: ClaimedRow[]) => {
    if (!rows.length) return;
    await db.raw(
      `UPDATE outbox SET status = 'pending', claimed_at = NULL
       FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, claim int)
       WHERE outbox.id = r.id AND outbox.status = 'sending' AND outbox.send_attempts = r.claim`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, claim: r.claim })))],
    );
  };

  /** Milliseconds until `claimed_at + afterMs` on PostgreSQL's clock (negative once past), or undefined when the row is no longer this claim's. */
  const claimTimeLeft = async (row: ClaimedRow, afterMs: number): Promise<number | undefined> => {
    const owned = await db('outbox')
      .where({ id: row.id, status: 'sending', send_attempts: row.claim })
      .first<{ left_ms: number } | undefined>(db.raw(`(extract(epoch FROM claimed_at + make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS left_ms`, [afterMs / 1000]));
    return owned?.left_ms;
  };

  /**
   * The fence in front of every send of a claimed row, first try and each retry (see
   * src/domain/send-fence.ts): the row must still be this claim's (`sending`, same claim
   * number) and its send window, `claimed_at + sendWindowMs` on PostgreSQL's clock, not over.
   * Returns until when a request may still start, on this process's monotonic clock, anchored
   * before the question was asked (so the local deadline can only be earlier than the
   * database's); undefined when the row is no longer this claim's.
   */
  const sendableUntil = async (row: ClaimedRow, fence: SendFence): Promise<number | undefined> => {
    const askedAt = performance.now();
    const left = await claimTimeLeft(row, fence.sendWindowMs);
    return left === undefined ? undefined : askedAt + left;
  };

  /**
   * Waits, heartbeating, until the row's claim is older than the lease on PostgreSQL's clock:
   * from then on nothing this attempt sent for it can still be created, and a look at Twilio
   * is as good an answer as the reconciler's. False when the row stops being this claim's, or
   * Temporal gives up on the attempt, first.
   */
  const leaseOver = async (row: ClaimedRow, fence: SendFence, abandoned: AbortSignal): Promise<boolean> => {
    for (;;) {
      const left = await claimTimeLeft(row, fence.leaseMs);
      if (left === undefined || abandoned.aborted) return false;
      if (left <= 0) return true;
      heartbeat({ settling: row.id });
      await pause(Math.min(left, 1_000), abandoned);
    }
  };

  /**
   * Finds the message a crashed attempt may have created for this row: the sender's newest
   * messages to that number, created since the row was claimed, with this body, and not
   * already recorded on another outbox row. (Twilio filters lists by To and From; a queued
   * message has no DateSent yet, so the claim time is checked here, on DateCreated.)
   */
  const findCreatedMessage = async (sender: TenantSender, row: OutgoingRow): Promise<string | undefined> => {
    const since = row.claimed_at.getTime() - 5_000;
    const candidates = (await sender.client.messages.list({ from: sender.from, to: row.to_e164, limit: 50 })).filter((m) => m.body === row.body && m.dateCreated.getTime() >= since);
    if (!candidates.length) return undefined;
    const taken = new Set(await db('outbox').whereIn('message_sid', candidates.map((m) => m.sid)).whereNot({ id: row.id }).pluck<string[]>('message_sid'));
    return candidates.find((m) => !taken.has(m.sid))?.sid;
  };

  /**
   * Rows a dead attempt left in `sending`: each becomes sent (Twilio has it, with the body
   * written on the row) or pending again. A row without a body died between its claim and
   * the write of its body: it never reached Twilio. Only once every claim is older than the
   * lease on PostgreSQL's clock: by then the claiming attempt's fence has stopped it from
   * starting sends, and whatever it started has been answered or given up on (send-fence.ts).
   */
  const reconcileSending = async (campaignId: string, sender: TenantSender, leaseMs: number): Promise<number> => {
    let reconciled = 0;
    for (;;) {
      const stale = await db('outbox')
        .where({ campaign_id: campaignId, status: 'sending' })
        .orderBy('id')
        .limit(PAGE)
        .select<Array<ClaimedRow & { body: string | null; segments: number | null; lease_left_ms: number }>>(
          'id',
          'to_e164',
          'claimed_at',
          'body',
          'segments',
          db.raw('send_attempts AS claim'),
          db.raw(`GREATEST(0, extract(epoch FROM claimed_at + make_interval(secs => ?) - clock_timestamp()) * 1000)::float8 AS lease_left_ms`, [leaseMs / 1000]),
        );
      if (!stale.length) return reconciled;
      const wait = Math.max(...stale.map((r) => r.lease_left_ms));
      // A claim younger than the lease may still be sending in a zombie attempt: let it age.
      if (wait > 0) {
        heartbeat({ reconciling: stale.length });
        await sleep(Math.min(wait, 1000));
        continue;
      }
      for (const row of stale) {
        const sid = row.body === null ? undefined : await findCreatedMessage(sender, { ...row, body: row.body, segments: row.segments ?? 0 });
        if (sid) await markSent([{ id: row.id, claim: row.claim, sid, foundBy: 'dead_attempt' }]);
        else await markNotFound(row, 'dead_attempt', 'pending');
        reconciled++;
        heartbeat({ reconciling: stale.length - reconciled });
      }
      log.warn({ campaignId, reconciled }, 'reconciled outbox rows left in sending by an earlier attempt');
    }
  };

  type SendOutcome =
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
   * One outbox row to Twilio: To, From, Body (the row's own) and StatusCallback, nothing else.
   * After a 5xx or a lost answer Twilio may have created the message: nothing is sent again
   * until Twilio's list has answered that it has not (a failed look is retried, never skipped).
   * Every try, the first included, passes the claim's fence first (`sendableUntil`), and the
   * retries heartbeat and stop when Temporal gives up on the attempt: a retry loop that
   * outlasts the lease would otherwise send after another attempt reconciled the row. When
   * the window closes on a row Twilio may have, the look waits for the lease to be over and a
   * "not found" renews the claim, written on `row` (whoever writes its answer first, this
   * attempt or a reconciling one, holds the row; the other's write finds the claim gone).
   */
  const sendRow = async (sender: TenantSender, row: OutgoingRow, fence: SendFence, abandoned: AbortSignal): Promise<SendOutcome> => {
    let mayExist = false;
    let failure: unknown;
    for (let attempt = 1; ; attempt++) {
      if (abandoned.aborted) return { kind: 'unsent', why: 'abandoned', mayExist, failure };
      let until = await sendableUntil(row, fence);
      if (until === undefined) return { kind: 'unsent', why: 'not_owned', mayExist, failure };
      let noAnswer = false;
      if (mayExist) {
        try {
          const windowOver = performance.now() >= until;
          if (windowOver && !(await leaseOver(row, fence, abandoned))) return { kind: 'unsent', why: abandoned.aborted ? 'abandoned' : 'not_owned', mayExist, failure };
          const sid = await findCreatedMessage(sender, row);
          if (sid) return { kind: 'sent', sid, foundBy: 'twilio_error' };
          const claim = await markNotFound(row, 'twilio_error', windowOver ? 'renew' : 'keep');
          if (!claim) return { kind: 'unsent', why: 'not_owned', mayExist: false, failure };
          mayExist = false;
          if (windowOver) {
            Object.assign(row, claim);
            const renewedUntil = await sendableUntil(row, fence);
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
          const message = await sender.sendClient.messages.create({ to: row.to_e164, from: sender.from, body: row.body, statusCallback: statusCallbackUrl });
          return { kind: 'sent', sid: message.sid };
        } catch (err) {
          const answer = twilioErrorOf(err);
          if (!isTransientTwilioError(err)) return { kind: 'failed', code: answer?.code ?? answer?.status ?? 0, message: answer?.message ?? 'refused by Twilio' };
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
  };

  const recordFailure = async (tenantId: string, row: ClaimedRow, outcome: Extract<SendOutcome, { kind: 'failed' }>) => {
    await db.transaction(async (trx) => {
      await trx('outbox').where({ id: row.id, status: 'sending', send_attempts: row.claim }).update({ status: 'failed', error_code: outcome.code, error_message: outcome.message });
      // 21610: the recipient has replied STOP to this sender; never try them again (true whoever owns the row now).
      if (outcome.code === 21610) {
        await trx('suppressions').insert({ tenant_id: tenantId, phone_e164: row.to_e164, reason: 'unsubscribed', source: 'twilio:21610' }).onConflict(['tenant_id', 'phone_e164']).ignore();
      }
    });
  };

  return {
    /** Gate: the tenant must be an active sender in good standing, and the content not blocked. */
    async checkCampaignGate(campaignId: string): Promise<GateVerdict> {
      const campaign = await campaignRow(campaignId);
      const tenant = await db('tenants').where({ id: campaign.tenant_id }).first<{ status: string; sending_state: string }>('status', 'sending_state');
      if (tenant.status !== 'active') return { ok: false, reason: `The tenant is not an active sender yet (status: ${tenant.status}).` };
      if (tenant.sending_state === 'under_review') return { ok: false, reason: 'The tenant is under compliance review; sending is paused until staff decide.' };
      if (tenant.sending_state === 'suspended') return { ok: false, reason: 'The tenant is suspended; sending is blocked.' };
      const clearance = contentClearance(campaign.scan, { state: campaign.content_review, reason: campaign.content_review_reason });
      if (!clearance.cleared) return { ok: false, reason: clearance.reason };
      return { ok: true };
    },

    async setCampaignStatus(input: { campaignId: string; status: CampaignStatus; reason?: string }): Promise<void> {
      const final = input.status === 'completed' || input.status === 'canceled' || input.status === 'refused';
      await db.transaction(async (trx) => {
        const campaign = await trx('campaigns').where({ id: input.campaignId }).first<{ tenant_id: string }>('tenant_id');
        await trx('campaigns')
          .where({ id: input.campaignId })
          .update({ status: input.status, ...(input.reason ? { refusal_reason: input.reason } : {}), ...(final ? { finished_at: trx.fn.now() } : {}) });
        if (input.status === 'canceled') {
          await trx('outbox').where({ campaign_id: input.campaignId, status: 'pending' }).update({ status: 'dropped', drop_reason: 'canceled', drop_detail: 'campaign canceled' });
        }
        if (final) await recordAudit(trx, { actor: 'system:campaign', actorKind: 'system', tenantId: campaign.tenant_id, action: `campaign.${input.status}`, reason: input.reason ?? null, details: { campaignId: input.campaignId } });
      });
    },

    /**
     * Audience hygiene into the outbox, a page of contacts at a time: E.164, de-duplication
     * (the outbox's unique index), suppression list, allowed countries. Resumable: contacts
     * already in this campaign's outbox are skipped, so a retry never double-counts.
     */
    async prepareAudience(campaignId: string): Promise<AudienceCounts> {
      const campaign = await campaignRow(campaignId);
      const tenant = await db('tenants').where({ id: campaign.tenant_id }).first<{ destination_countries: string[] }>('destination_countries');
      let cursor = (Context.current().info.heartbeatDetails as { cursor?: string } | undefined)?.cursor ?? '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const contacts = await db('contacts')
          .where({ tenant_id: campaign.tenant_id })
          .andWhere('id', '>', cursor)
          .modify((q) => {
            if (campaign.audience_tag) void q.whereRaw('? = ANY(tags)', [campaign.audience_tag]);
          })
          .orderBy('id')
          .limit(PAGE)
          .select<Array<{ id: string; phone: string }>>('id', 'phone');
        if (!contacts.length) break;
        await db.transaction(async (trx) => {
          const done = new Set(await trx('outbox').where({ campaign_id: campaignId }).whereIn('contact_id', contacts.map((c) => c.id)).pluck<string[]>('contact_id'));
          const todo = contacts.filter((c) => !done.has(c.id));
          const defaultCountry = defaultCountryOf(tenant.destination_countries);
          const firstPass = cleanAudience(todo, { defaultCountry, allowedCountries: tenant.destination_countries, suppressed: new Set() });
          const suppressed = new Set(
            await trx('suppressions').where({ tenant_id: campaign.tenant_id }).whereIn('phone_e164', firstPass.eligible.map((e) => e.e164)).pluck<string[]>('phone_e164'),
          );
          const clean = cleanAudience(todo, { defaultCountry, allowedCountries: tenant.destination_countries, suppressed });
          const phoneOf = new Map(todo.map((c) => [c.id, c.phone]));
          const duplicates: typeof clean.dropped = [];
          if (clean.eligible.length) {
            const { rows } = await trx.raw<{ rows: Array<{ contact_id: string }> }>(
              `INSERT INTO outbox (campaign_id, tenant_id, contact_id, phone_raw, to_e164, country)
               SELECT ?::uuid, ?::uuid, x.contact_id, x.phone_raw, x.to_e164, x.country
               FROM jsonb_to_recordset(?::jsonb) AS x(contact_id uuid, phone_raw text, to_e164 text, country text)
               ON CONFLICT (campaign_id, to_e164) WHERE to_e164 IS NOT NULL DO NOTHING RETURNING contact_id`,
              [campaignId, campaign.tenant_id, JSON.stringify(clean.eligible.map((e) => ({ contact_id: e.id, phone_raw: phoneOf.get(e.id), to_e164: e.e164, country: e.country ?? null })))],
            );
            const inserted = new Set(rows.map((r) => r.contact_id));
            // Already on an earlier page: the outbox's unique index said so.
            for (const e of clean.eligible) if (!inserted.has(e.id)) duplicates.push({ id: e.id, phone: phoneOf.get(e.id)!, reason: 'duplicate', detail: e.e164 });
          }
          const dropped = [...clean.dropped, ...duplicates];
          if (dropped.length) {
            await trx('outbox').insert(
              dropped.map((d) => ({ campaign_id: campaignId, tenant_id: campaign.tenant_id, contact_id: d.id, phone_raw: d.phone, status: 'dropped', drop_reason: d.reason, drop_detail: d.detail, looked_up: true })),
            );
          }
        });
        cursor = contacts[contacts.length - 1].id;
        heartbeat({ cursor });
      }
      // The campaign's rows just arrived in bulk; until the planner's statistics know them it
      // reads a whole campaign's pending rows for every page of Lookup and relay claims.
      await db.raw('ANALYZE outbox');
      const counts = await db('outbox').where({ campaign_id: campaignId }).select(db.raw(`count(*) FILTER (WHERE status = 'pending')::int AS queued, count(*) FILTER (WHERE status = 'dropped')::int AS dropped`)).first<AudienceCounts>();
      return counts;
    },

    /**
     * Twilio Lookup v2 line type for every queued number not in the cache (or older than the
     * TTL); landlines and invalid numbers are dropped with the reason. Pages by outbox id.
     */
    async lookupAudience(input: { campaignId: string; ttlMs: number; concurrency?: number }): Promise<{ lookedUp: number; fromCache: number; dropped: number }> {
      const campaign = await campaignRow(input.campaignId);
      const sender = await senderOf(campaign.tenant_id);
      const freshSince = new Date(clock().getTime() - input.ttlMs);
      const totals = { lookedUp: 0, fromCache: 0, dropped: 0 };
      // A cursor by outbox id: filtering on looked_up alone re-read every row already looked up
      // for each page, quadratic in the audience. A retry resumes at its last heartbeat.
      let afterId = (Context.current().info.heartbeatDetails as { afterId?: string } | undefined)?.afterId ?? '0';
      for (;;) {
        const rows = await db('outbox')
          .where({ campaign_id: input.campaignId, status: 'pending', looked_up: false })
          .andWhere('id', '>', afterId)
          .orderBy('id')
          .limit(PAGE)
          .select<Array<{ id: string; to_e164: string }>>('id', 'to_e164');
        if (!rows.length) return totals;
        const numbers = [...new Set(rows.map((r) => r.to_e164))];
        const cached = new Map(
          (await db('lookup_cache').whereIn('phone_e164', numbers).andWhere('looked_up_at', '>=', freshSince).select<Array<{ phone_e164: string; valid: boolean; line_type: string | null }>>('phone_e164', 'valid', 'line_type')).map((r) => [r.phone_e164, r]),
        );
        const missing = numbers.filter((n) => !cached.has(n));
        const answers: Array<{ phone_e164: string; valid: boolean; line_type: string | null; country: string | null; looked_up_at: Date }> = [];
        let next = 0;
        const lookUp = async () => {
          while (next < missing.length) {
            const phone = missing[next++];
            const answer = await sender.client.lookups.v2.phoneNumbers(phone).fetch({ fields: 'line_type_intelligence' });
            const lineType = (answer.lineTypeIntelligence as { type?: string } | null)?.type ?? null;
            const entry = { phone_e164: phone, valid: answer.valid, line_type: lineType, country: answer.countryCode ?? null, looked_up_at: clock() };
            answers.push(entry);
            cached.set(phone, entry);
            totals.lookedUp++;
          }
        };
        await Promise.all(Array.from({ length: input.concurrency ?? 16 }, lookUp));
        totals.fromCache += numbers.length - missing.length;
        // A page's answers and verdicts in a few statements, not one round trip per number.
        const verdicts = new Map<string, string[]>();
        for (const row of rows) {
          const found = cached.get(row.to_e164)!;
          const reason = !found.valid ? 'invalid' : found.line_type === 'landline' ? 'landline' : undefined;
          const key = reason ? JSON.stringify([reason, `Lookup: ${found.valid ? `line type ${found.line_type}` : 'not a valid number'}`]) : '';
          verdicts.set(key, [...(verdicts.get(key) ?? []), row.id]);
          if (reason) totals.dropped++;
        }
        await db.transaction(async (trx) => {
          if (answers.length) await trx('lookup_cache').insert(answers).onConflict('phone_e164').merge();
          for (const [key, ids] of verdicts) {
            const [reason, detail] = key ? (JSON.parse(key) as [string, string]) : [];
            await trx('outbox')
              .whereIn('id', ids)
              .update(reason ? { looked_up: true, status: 'dropped', drop_reason: reason, drop_detail: detail } : { looked_up: true });
          }
        });
        afterId = rows[rows.length - 1].id;
        heartbeat({ ...totals, afterId });
      }
    },

    /**
     * One relay batch: up to `batchSize` messages, in pages claimed with FOR UPDATE SKIP
     * LOCKED, each sent at a slot from the sender's shared pacing. First reconciles what a
     * dead attempt left in `sending`, so no row is sent twice and none is skipped.
     */
    async relayBatch(input: RelayBatchInput): Promise<RelayBatchResult> {
      const campaign = await campaignRow(input.campaignId);
      // Every claim's fence comes from the lease the reconciler waits out (the same input for
      // every attempt of the campaign): no send starts late enough to land after it.
      const fence = sendFence(input.claimLeaseMs, DEFAULT_TWILIO_REQUEST_TIMEOUT_MS);
      const sender = await senderOf(campaign.tenant_id, fence.requestTimeoutMs);
      const result: RelayBatchResult = { sent: 0, failed: 0, deferred: 0, reconciled: 0, pending: 0, canceled: false, totalSent: 0, totalFailed: 0, totalReconciled: 0 };
      result.reconciled = await reconcileSending(input.campaignId, sender, input.claimLeaseMs);
      const msPerSegment = 1000 / sender.mps;
      // The two bodies a row can go with; which one is decided per recipient when it is claimed.
      const bodyVariant = (withOptOutFooter: boolean): BodyVariant => {
        const shaped = shapeOutgoingBody(campaign.body, { brandName: sender.brandName, withOptOutFooter });
        return { body: shaped.body, segments: estimateSegments(shaped.body).segments, optOutNotice: carriesOptOutLanguage(shaped.body) };
      };
      const variants = { withFooter: bodyVariant(true), withoutFooter: bodyVariant(false) };
      const maxSegments = Math.max(variants.withFooter.segments, variants.withoutFooter.segments);
      const variantRecords = JSON.stringify([
        { footer: true, ...variants.withFooter },
        { footer: false, ...variants.withoutFooter },
      ]);
      const footerIntervalMs = config.OPT_OUT_FOOTER_INTERVAL_SECONDS * 1000;
      const sendBy = new Date(input.sendByIso);
      const concurrency = Math.max(1, Math.min(config.RELAY_CONCURRENCY, Math.ceil(sender.mps / 2)));

      // Set when Temporal gives up on this attempt (e.g. its heartbeats stopped reaching the
      // server): stop claiming, so a retry never runs beside a zombie for long.
      const abandoned = Context.current().cancellationSignal;
      // Keyset paging: claims continue after the last claimed id. Ordered by id alone, the
      // planner walks the primary key past every row of the campaign already sent (its
      // statistics cannot see that those come first), which made a million-recipient relay
      // quadratic. Rows left behind the cursor (put back after a dead attempt, or deferred
      // until quiet hours end) are found by one pass from the start before a batch ends.
      let afterId = input.afterId ?? '0';
      let fromStart = afterId === '0';
      while (result.sent + result.failed < input.batchSize && !abandoned.aborted) {
        const standing = await db('campaigns as c')
          .join('tenants as t', 't.id', 'c.tenant_id')
          .where('c.id', input.campaignId)
          .first<{ cancel_requested_at: Date | null; sending_state: string }>('c.cancel_requested_at', 't.sending_state');
        if (standing.cancel_requested_at) {
          result.canceled = true;
          break;
        }
        // The monitor put the tenant under review or suspended it: hold, resume when it is lifted.
        if (standing.sending_state === 'under_review' || standing.sending_state === 'suspended') {
          result.held = `the tenant is ${standing.sending_state.replace('_', ' ')}; sending resumes when compliance staff lift it`;
          break;
        }
        // A page's rows must all start within their claim's send window. Other campaigns of the
        // sender share its slots: claim only once those are booked less than half a window
        // ahead, and a page books at most the other half (and at most a few seconds, so slots
        // are not hoarded). Otherwise rows would be claimed only to be given back unsent.
        const backlogMs = await pacingBacklogMs(sender.from);
        if (backlogMs > fence.pageSpanMs) {
          heartbeat({ sent: result.sent, failed: result.failed });
          await pause(Math.min(backlogMs - fence.pageSpanMs, 1_000), abandoned);
          continue;
        }
        const pageSize = Math.max(1, Math.min(PAGE, input.batchSize - result.sent - result.failed, Math.floor((sender.mps * Math.min(5_000, fence.pageSpanMs)) / 1000 / maxSegments)));
        // The claim also reads when each recipient was last told how to opt out; a body from an
        // earlier claim is cleared, so a `sending` row without a body never reached Twilio.
        const { rows: claimed } = await db.raw<{ rows: Array<ClaimedRow & { last_notice_at: Date | null }> }>(
          `WITH claimed AS (
             UPDATE outbox SET status = 'sending', claimed_at = clock_timestamp(), from_number = ?, send_attempts = send_attempts + 1, body = NULL, segments = NULL, opt_out_notice = NULL
             WHERE id IN (SELECT id FROM outbox WHERE campaign_id = ? AND status = 'pending' AND looked_up AND (not_before IS NULL OR not_before <= now()) AND id > ?
                          ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
             RETURNING id, tenant_id, to_e164, claimed_at, send_attempts
           )
           SELECT c.id, c.to_e164, c.claimed_at, c.send_attempts AS claim, n.last_sent_at AS last_notice_at
           FROM claimed c LEFT JOIN opt_out_notices n ON n.tenant_id = c.tenant_id AND n.phone_e164 = c.to_e164`,
          [sender.from, input.campaignId, afterId, pageSize],
        );
        if (!claimed.length) {
          if (fromStart) break;
          afterId = '0';
          fromStart = true;
          continue;
        }
        claimed.sort((a, b) => Number(a.id) - Number(b.id));
        afterId = claimed[claimed.length - 1].id;
        result.lastClaimedId = afterId;

        // Quiet hours, judged now in each recipient's zone: defer (or drop past the deadline).
        const now = clock();
        const sendable: Array<(typeof claimed)[number]> = [];
        for (const row of claimed) {
          const verdict = quietHoursVerdict(now, numberTimeZones(row.to_e164), sender.timeZone, sendingWindow);
          if (verdict.allowed) sendable.push(row);
          else if (verdict.opensAt! > sendBy) {
            await db('outbox').where({ id: row.id, status: 'sending', send_attempts: row.claim }).update({ status: 'dropped', drop_reason: 'quiet_hours', drop_detail: `${verdict.zone} (from the ${verdict.zoneFrom}) opens ${verdict.opensAt!.toISOString()}, after the campaign's send-by time`, claimed_at: null });
          } else {
            await db('outbox').where({ id: row.id, status: 'sending', send_attempts: row.claim }).update({ status: 'pending', not_before: verdict.opensAt, claimed_at: null });
            result.deferred++;
          }
        }
        if (!sendable.length) continue;

        // Each row's body, written before anything is sent: a retry, a crash's reconciliation
        // and the report all see the text Twilio gets. One statement for the page.
        // Judged at the claim, on the database's clock (the notices' too).
        const footers = sendable.map((row) => needsOptOutFooter({ messageType: campaign.message_type, lastNoticeAt: row.last_notice_at, now: row.claimed_at, intervalMs: footerIntervalMs }));
        const outgoing: OutgoingRow[] = sendable.map((row, i) => {
          const v = footers[i] ? variants.withFooter : variants.withoutFooter;
          return { id: row.id, to_e164: row.to_e164, claimed_at: row.claimed_at, claim: row.claim, body: v.body, segments: v.segments };
        });
        await db.raw(
          `UPDATE outbox SET body = b.body, segments = b.segments, opt_out_notice = b."optOutNotice"
           FROM jsonb_to_recordset(?::jsonb) AS r(id bigint, claim int, footer boolean)
           JOIN jsonb_to_recordset(?::jsonb) AS b(footer boolean, body text, segments int, "optOutNotice" boolean) USING (footer)
           WHERE outbox.id = r.id AND outbox.status = 'sending' AND outbox.send_attempts = r.claim`,
          [JSON.stringify(outgoing.map((r, i) => ({ id: r.id, claim: r.claim, footer: footers[i] }))), variantRecords],
        );

        // Slots by segments: a row whose footer adds a segment takes two.
        const slotOffsets: number[] = [];
        let segmentsReserved = 0;
        for (const row of outgoing) {
          slotOffsets.push(segmentsReserved);
          segmentsReserved += row.segments;
        }
        const firstSlot = await claimSendSlots(sender.from, segmentsReserved, msPerSegment);
        const doneBeforePage = result.sent + result.failed;
        let next = 0;
        let givenUp: Error | undefined;
        // A row's send window closed before it could go: the rest of the page is later still.
        let windowOver = false;
        let accepted: Array<{ id: string; claim: number; sid: string; foundBy?: ReconciliationCause }> = [];
        const flushAccepted = async () => {
          const batch = accepted;
          accepted = [];
          await markSent(batch);
        };
        const worker = async () => {
          while (next < outgoing.length && givenUp === undefined && !windowOver && !abandoned.aborted) {
            const index = next++;
            const row = outgoing[index];
            const wait = firstSlot + slotOffsets[index] * msPerSegment - performance.now();
            if (wait > 0) await pause(wait, abandoned);
            heartbeat({ sent: result.sent, failed: result.failed });
            try {
              const outcome = await sendRow(sender, row, fence, abandoned);
              if (outcome.kind === 'sent') {
                accepted.push({ id: row.id, claim: row.claim, sid: outcome.sid, foundBy: outcome.foundBy });
                result.sent++;
                if (accepted.length >= 50) await flushAccepted();
              } else if (outcome.kind === 'failed') {
                await recordFailure(campaign.tenant_id, row, outcome);
                result.failed++;
              } else {
                // Not sent. Unless Twilio may have it, it goes back now; if it may, it stays
                // `sending` and the next attempt reconciles it once the lease is over.
                if (!outcome.mayExist) await giveBack([row]);
                // Twilio kept failing: stop taking rows, let the others finish, then fail the attempt.
                if (outcome.why === 'retries_exhausted') givenUp = asError(outcome.failure);
                else if (outcome.why === 'not_owned') givenUp = new Error(`outbox row ${row.id} is no longer this attempt's claim: another attempt reconciled it`);
                else if (outcome.why === 'send_window_over') windowOver = true;
              }
            } catch (err) {
              // The database failed us mid-row: the row stays `sending`; the retry reconciles it.
              givenUp = asError(err);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, outgoing.length) }, worker));
        await flushAccepted();
        // Rows claimed but never handed to Twilio (given up, window over, or abandoned) go back.
        await giveBack(outgoing.slice(next));
        if (givenUp !== undefined) throw givenUp;
        heartbeat({ sent: result.sent, failed: result.failed });
        // The page ran out of time before a single row went (sends here are slower than a
        // window allows): the rest waits for the next batch rather than being claimed again at
        // once, and again. A page that got some rows out goes on with a fresh claim.
        if (windowOver && result.sent + result.failed === doneBeforePage) break;
      }

      const left = await db('outbox')
        .where({ campaign_id: input.campaignId })
        .select(
          db.raw(`count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE reconciled)::int AS reconciled`),
          db.raw(`min(not_before) FILTER (WHERE status = 'pending') AS next`),
        )
        .first<{ pending: number; sent: number; failed: number; reconciled: number; next: Date | null }>();
      result.pending = left.pending;
      result.totalSent = left.sent;
      result.totalFailed = left.failed;
      result.totalReconciled = left.reconciled;
      const answers = await db('outbox_reconciliations')
        .where({ campaign_id: input.campaignId })
        .first<{ found: number; not_found: number }>(db.raw(`count(*) FILTER (WHERE outcome = 'found')::int AS found, count(*) FILTER (WHERE outcome = 'not_found')::int AS not_found`));
      result.totalReconciledFound = answers.found;
      result.totalReconciledNotFound = answers.not_found;
      if (left.next && left.next > clock()) result.nextNotBeforeIso = left.next.toISOString();
      return result;
    },

    /**
     * Status callbacks can go missing (Twilio gives up after its retries): messages sent
     * longer than `olderThanMs` ago with no final status are fetched from Twilio and
     * recorded as a callback would have been. Each message stands alone: one Twilio refuses
     * to tell about for good (20404: it no longer has the message, e.g. deleted; any other
     * 4xx but 429) is recorded `unknown` with Twilio's code, which settles it for the status
     * wait and shows in the report. A transient failure (429, 5xx, no answer) leaves its
     * message as it was; the others are still fetched (after a 429, no more are asked) and
     * kept, then the attempt fails for Temporal to retry with backoff.
     */
    async refreshOutstandingDeliveries(input: { campaignId: string; olderThanMs: number; limit: number }): Promise<number> {
      const campaign = await campaignRow(input.campaignId);
      const rows = await outstandingMessageSids(db, { campaignId: input.campaignId, sentBefore: new Date(clock().getTime() - input.olderThanMs), limit: input.limit });
      if (!rows.length) return 0;
      const sender = await senderOf(campaign.tenant_id);
      const unknownByCode: Record<string, number> = {};
      let fetched = 0;
      let transientFailures = 0;
      let firstTransient: unknown;
      let throttled = false;
      let next = 0;
      const fetchOne = async () => {
        while (next < rows.length && !throttled) {
          const messageSid = rows[next++];
          let message: { sid: string; status: string; errorCode: number | null };
          try {
            message = await sender.client.messages(messageSid).fetch();
          } catch (err) {
            if (isTransientTwilioError(err)) {
              transientFailures++;
              firstTransient ??= err;
              if (twilioErrorOf(err)?.status === 429) throttled = true;
              continue;
            }
            // Not transient, so Twilio answered: a 4xx with its code (the status if it gave none).
            const refusal = twilioErrorOf(err);
            const code = refusal?.code ?? refusal?.status ?? 0;
            await recordDeliveryStatus(db, { messageSid, tenantId: campaign.tenant_id, status: UNKNOWN_OUTCOME, errorCode: code });
            unknownByCode[code] = (unknownByCode[code] ?? 0) + 1;
            continue;
          }
          await recordDeliveryStatus(db, { messageSid: message.sid, tenantId: campaign.tenant_id, status: message.status, errorCode: message.errorCode });
          fetched++;
        }
      };
      await Promise.all(Array.from({ length: 8 }, fetchOne));
      log.info({ campaignId: input.campaignId, asked: rows.length, fetched, unknownByCode, transientFailures }, 'fetched delivery statuses whose callbacks never came');
      if (Object.keys(unknownByCode).length) log.warn({ campaignId: input.campaignId, unknownByCode }, 'Twilio refused to tell some messages’ status for good: recorded as unknown');
      if (transientFailures) throw firstTransient;
      return rows.length;
    },

    /** Sent messages vs those settled: a final status (callback or refresh), or an unknown outcome. */
    async countDeliveries(campaignId: string): Promise<DeliveryCounts> {
      const row = await db('outbox as o')
        .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
        .where({ 'o.campaign_id': campaignId, 'o.status': 'sent' })
        .select(db.raw('count(*)::int AS sent, count(*) FILTER (WHERE d.status = ANY(?))::int AS final, count(*) FILTER (WHERE d.status = ?)::int AS unknown', [[...FINAL_STATUSES], UNKNOWN_OUTCOME]))
        .first<{ sent: number; final: number; unknown: number }>();
      return { sent: row.sent, final: row.final, unknown: row.unknown, outstanding: row.sent - row.final - row.unknown };
    },
  };
}

export type CampaignSendActivities = ReturnType<typeof createCampaignSendActivities>;

/** Sent messages of a campaign, sent before `sentBefore`, that are not settled yet (their callbacks got lost). */
export function outstandingMessageSids(db: Knex, q: { campaignId: string; sentBefore: Date; limit: number }): Promise<string[]> {
  return db('outbox as o')
    .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
    .where({ 'o.campaign_id': q.campaignId, 'o.status': 'sent' })
    .andWhere('o.sent_at', '<', q.sentBefore)
    .andWhere((w) => void w.whereNull('d.status').orWhereNotIn('d.status', [...SETTLED_STATUSES]))
    .orderBy('o.id')
    .limit(q.limit)
    .pluck<string[]>('o.message_sid');
}
