import { numberTimeZones } from '../phone-time-zones';
import { SendLanes } from './send-lanes';
import { sendRow, type RowSending } from './send-row';
import { asError, heartbeat } from './shared';
import type { RelayBatchResult } from './types';
import { deferClaimedRow, dropClaimedRow, giveBackClaims, writeOutgoingBodies, type ClaimedRecipient, type OutgoingRow } from '../../db/outbox-claims';
import { markOutboxFailed, markOutboxSent, type AcceptedMessage } from '../../db/outbox-outcomes';
import { claimSendSlots } from '../../db/sender-pacing';
import type { ContactFields } from '../../domain/contact-fields';
import { templateMessage, type MessageTemplate, type RefusedValue } from '../../domain/message-template';
import { carriesOptOutLanguage, needsOptOutFooter, shapeOutgoingBody, type MessageType } from '../../domain/message-shaping';
import { quietHoursVerdict } from '../../domain/quiet-hours';
import { estimateSegments } from '../../domain/segments';

/** A body the relay may send, with what it costs and whether it tells the recipient how to opt out. */
interface BodyVariant {
  body: string;
  segments: number;
  optOutNotice: boolean;
}

/** The two bodies a row can go with; which one is decided per recipient when it is claimed. */
export interface BodyVariants {
  withFooter: BodyVariant;
  withoutFooter: BodyVariant;
}

export function bodyVariants(campaignBody: string, brandName: string): BodyVariants {
  const variant = (withOptOutFooter: boolean): BodyVariant => {
    const shaped = shapeOutgoingBody(campaignBody, { brandName, withOptOutFooter });
    return { body: shaped.body, segments: estimateSegments(shaped.body).segments, optOutNotice: carriesOptOutLanguage(shaped.body) };
  };
  return { withFooter: variant(true), withoutFooter: variant(false) };
}

/**
 * Where a page's bodies come from: a plain campaign's two variants, the same for every row (and
 * sealed once per batch), or a template filled per recipient from the contact's values as they
 * are when the row is claimed (each value judged; a contact whose values do not fill it is dropped).
 */
export type PageBodies =
  | { kind: 'plain'; variants: BodyVariants; sealed: { withFooter: string; withoutFooter: string } }
  | {
      kind: 'template';
      template: MessageTemplate;
      brandName: string;
      refuse: (field: string, value: string) => RefusedValue | null;
      /** The claimed rows' contacts' merge values, by contact id (an erased contact has none). */
      valuesOf: (contactIds: string[]) => Promise<Map<string, ContactFields>>;
      seal: (body: string) => string;
    };

/** What every page of one relay batch is sent with. */
export interface PageSending extends RowSending {
  tenantId: string;
  messageType: MessageType;
  bodies: PageBodies;
  footerIntervalMs: number;
  sendBy: Date;
  sendingWindow: { startHour: number; endHour: number };
  clock: () => Date;
  msPerSegment: number;
  concurrency: number;
}

/**
 * One claimed page: quiet hours judged per recipient (deferred, or dropped past the send-by
 * time), each row's body written, slots booked from the sender's pacing, and the rows sent
 * by `concurrency` workers, counted in `result`. Rows never handed to Twilio go back. Throws
 * when Twilio kept failing or the database failed mid-row (the retry reconciles). `stop`: the
 * page's send window closed before a single row went, so the batch should end.
 */
export async function relayPage(page: PageSending, claimed: ClaimedRecipient[], result: RelayBatchResult): Promise<{ stop: boolean }> {
  const { db, abandoned, msPerSegment } = page;
  // Quiet hours, judged now in each recipient's zone: defer (or drop past the deadline).
  const now = page.clock();
  const sendable: ClaimedRecipient[] = [];
  for (const row of claimed) {
    const verdict = quietHoursVerdict(now, numberTimeZones(row.to_e164), page.sender.timeZone, page.sendingWindow);
    if (verdict.allowed) sendable.push(row);
    else if (verdict.opensAt! > page.sendBy) {
      await dropClaimedRow(
        db,
        row,
        'quiet_hours',
        `${verdict.zone} (from the ${verdict.zoneFrom}) opens ${verdict.opensAt!.toISOString()}, after the campaign's send-by time`,
      );
    } else {
      await deferClaimedRow(db, row, verdict.opensAt!);
      result.deferred++;
    }
  }
  if (!sendable.length) return { stop: false };

  // Each row's body, written before anything is sent: a retry, a crash's reconciliation
  // and the report all see the text Twilio gets. One statement for the page.
  // Judged at the claim, on the database's clock (the notices' too).
  const footers = sendable.map((row) =>
    needsOptOutFooter({ messageType: page.messageType, lastNoticeAt: row.last_notice_at, now: row.claimed_at, intervalMs: page.footerIntervalMs }),
  );
  const outgoing = await outgoingBodies(page, sendable, footers);
  if (!outgoing.length) return { stop: false };

  // Slots by segments: a row whose footer adds a segment takes two. Each row starts at its slot
  // and no sooner than the sender's actual send times allow (send-lanes.ts).
  const segmentsReserved = outgoing.reduce((sum, row) => sum + row.segments, 0);
  const lanesPerSecond = Math.max(1, Math.floor(page.sender.mps));
  const block = await claimSendSlots(db, page.sender.from, segmentsReserved, msPerSegment, lanesPerSecond, page.fence.leaseMs);
  const lanes = new SendLanes(
    db,
    block,
    outgoing.map((row) => row.segments),
    lanesPerSecond,
    msPerSegment,
    abandoned,
  );
  const doneBeforePage = result.sent + result.failed;
  let next = 0;
  let givenUp: Error | undefined;
  // A row's send window closed before it could go: the rest of the page is later still.
  let windowOver = false;
  let accepted: AcceptedMessage[] = [];
  const flushAccepted = async () => {
    const batch = accepted;
    accepted = [];
    await markOutboxSent(db, batch);
  };
  const worker = async () => {
    while (next < outgoing.length && givenUp === undefined && !windowOver && !abandoned.aborted) {
      const index = next++;
      const row = outgoing[index];
      try {
        await lanes.waitForTurn(index);
      } catch (err) {
        // The database failed us before the row went: it stays `sending`; the retry reconciles it.
        lanes.finish(index);
        givenUp = asError(err);
        break;
      }
      heartbeat({ sent: result.sent, failed: result.failed });
      try {
        const outcome = await sendRow(page, row).finally(() => lanes.finish(index));
        if (outcome.kind === 'sent') {
          accepted.push({ id: row.id, claim: row.claim, sid: outcome.sid, foundBy: outcome.foundBy });
          result.sent++;
          if (accepted.length >= 50) await flushAccepted();
        } else if (outcome.kind === 'failed') {
          await markOutboxFailed(db, page.tenantId, row, outcome);
          result.failed++;
        } else {
          // Not sent. Unless Twilio may have it, it goes back now; if it may, it stays
          // `sending` and the next attempt reconciles it once the lease is over.
          if (!outcome.mayExist) await giveBackClaims(db, [row]);
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
  await Promise.all(Array.from({ length: Math.min(page.concurrency, outgoing.length) }, worker));
  // Unrecorded, the block counts as sending until its lease is over: later pages wait longer, no more.
  await lanes.settle().catch(() => undefined);
  await flushAccepted();
  // Rows claimed but never handed to Twilio (given up, window over, or abandoned) go back.
  await giveBackClaims(db, outgoing.slice(next));
  if (givenUp !== undefined) throw givenUp;
  heartbeat({ sent: result.sent, failed: result.failed });
  // The page ran out of time before a single row went (sends here are slower than a
  // window allows): the rest waits for the next batch rather than being claimed again at
  // once, and again. A page that got some rows out goes on with a fresh claim.
  return { stop: windowOver && result.sent + result.failed === doneBeforePage };
}

/**
 * The page's rows with the bodies they go with, written on the rows (sealed) before anything is
 * sent. A template's row whose contact's values do not fill it is dropped (`merge_field`, with
 * why) and left out.
 */
async function outgoingBodies(page: PageSending, rows: ClaimedRecipient[], footers: boolean[]): Promise<OutgoingRow[]> {
  const { db, bodies } = page;
  const outgoing: OutgoingRow[] = [];
  const written: Array<{ id: string; claim: number; variant: string }> = [];
  const variants: Array<{ variant: string; body: string; segments: number; optOutNotice: boolean }> = [];
  if (bodies.kind === 'plain') {
    rows.forEach((row, i) => {
      const v = footers[i] ? bodies.variants.withFooter : bodies.variants.withoutFooter;
      outgoing.push({ id: row.id, to_e164: row.to_e164, claimed_at: row.claimed_at, claim: row.claim, body: v.body, segments: v.segments });
      written.push({ id: row.id, claim: row.claim, variant: footers[i] ? 'footer' : 'plain' });
    });
    variants.push(
      { variant: 'footer', ...bodies.variants.withFooter, body: bodies.sealed.withFooter },
      { variant: 'plain', ...bodies.variants.withoutFooter, body: bodies.sealed.withoutFooter },
    );
  } else {
    const values = await bodies.valuesOf([...new Set(rows.flatMap((r) => (r.contact_id ? [r.contact_id] : [])))]);
    for (const [i, row] of rows.entries()) {
      const message = templateMessage(bodies.template, (row.contact_id && values.get(row.contact_id)) || {}, bodies.refuse, {
        brandName: bodies.brandName,
        withOptOutFooter: footers[i],
      });
      if (!message.sendable) {
        await dropClaimedRow(db, row, 'merge_field', message.why);
        continue;
      }
      const segments = message.segments.segments;
      outgoing.push({ id: row.id, to_e164: row.to_e164, claimed_at: row.claimed_at, claim: row.claim, body: message.bodyAsSent, segments });
      written.push({ id: row.id, claim: row.claim, variant: row.id });
      variants.push({ variant: row.id, body: bodies.seal(message.bodyAsSent), segments, optOutNotice: carriesOptOutLanguage(message.bodyAsSent) });
    }
  }
  if (outgoing.length) await writeOutgoingBodies(db, written, variants);
  return outgoing;
}
