import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { reconcileSending } from './reconcile';
import { bodyVariants, relayPage, type PageSending } from './relay-page';
import { senderOf } from './sender';
import { campaignOf, heartbeat, pause, PAGE } from './shared';
import type { RelayBatchInput, RelayBatchResult } from './types';
import { campaignStanding } from '../../db/campaigns';
import { claimOutboxPage } from '../../db/outbox-claims';
import { relayTally } from '../../db/outbox-tallies';
import { senderDayUsage } from '../../db/sender-limits';
import { pacingBacklogMs } from '../../db/sender-pacing';
import { sendFence } from '../../domain/send-fence';
import { DEFAULT_TWILIO_REQUEST_TIMEOUT_MS } from '../../twilio/client-factory';
import { dataKeysFor } from '../../crypto/data-keys';
import type { EncryptedField } from '../../crypto/envelope';
import type { CampaignRow } from '../../db/campaigns';
import { complianceContextOf } from '../../db/compliance-context';
import { contactMergeValuesOf } from '../../db/contact-merge-values';
import { fieldValueJudge, fixedText, parseTemplate } from '../../domain/message-template';

/** The relay: the campaign's outbox to Twilio, a batch at a time, at the sender's pace. */
export function createCampaignRelayActivities({ db, twilio, config, clock, log }: ActivityDeps) {
  const statusCallbackUrl = `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`;
  const sendingWindow = { startHour: config.SENDING_WINDOW_START_HOUR, endHour: config.SENDING_WINDOW_END_HOUR };
  const keys = dataKeysFor(db, config);

  /**
   * A batch's bodies, and the segments a row may take at most, which sizes its pages (rows per
   * second of the sender, the daily cap's room). A plain campaign's two variants are sealed once
   * per batch: every row of a page that gets one stores the same ciphertext. A template's rows
   * vary with their contacts' values: its fixed text (fields as their fallbacks) with the footer,
   * plus one segment, stands in for their size; a page whose rows run longer books more slots
   * and gives back what its send window cannot fit, unsent.
   */
  const pageBodies = async (campaign: CampaignRow, campaignBody: string, brandName: string, seal: (field: EncryptedField, plaintext: string) => string) => {
    if (!campaign.merge_fields.length) {
      const variants = bodyVariants(campaignBody, brandName);
      const sealed = { withFooter: seal('outbox.body', variants.withFooter.body), withoutFooter: seal('outbox.body', variants.withoutFooter.body) };
      return { bodies: { kind: 'plain', variants, sealed } as const, maxSegments: Math.max(variants.withFooter.segments, variants.withoutFooter.segments) };
    }
    const parsed = parseTemplate(campaignBody);
    // Parsed when the campaign was made; one that no longer does cannot be sent, and says so.
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(`campaign ${campaign.id}'s template no longer parses: ${parsed.problems[0].message}`);
    const sized = bodyVariants(fixedText(parsed.template), brandName).withFooter.segments + 1;
    const refuse = fieldValueJudge(await complianceContextOf(db, campaign.tenant_id));
    const valuesOf = (contactIds: string[]) => contactMergeValuesOf(db, keys, campaign.tenant_id, contactIds);
    return {
      bodies: { kind: 'template', template: parsed.template, brandName, refuse, valuesOf, seal: (body: string) => seal('outbox.body', body) } as const,
      maxSegments: sized,
    };
  };

  return {
    /**
     * One relay batch: up to `batchSize` messages, in pages claimed with FOR UPDATE SKIP
     * LOCKED, each sent at a slot from the sender's shared pacing. First reconciles what a
     * dead attempt left in `sending`, so no row is sent twice and none is skipped.
     */
    async relayBatch(input: RelayBatchInput): Promise<RelayBatchResult> {
      const campaign = await campaignOf(db, input.campaignId);
      // Every claim's fence comes from the lease the reconciler waits out (the same input for
      // every attempt of the campaign): no send starts late enough to land after it.
      const fence = sendFence(input.claimLeaseMs, DEFAULT_TWILIO_REQUEST_TIMEOUT_MS);
      const sender = await senderOf({ db, twilio }, campaign.tenant_id, fence.requestTimeoutMs);
      const result: RelayBatchResult = {
        sent: 0,
        failed: 0,
        deferred: 0,
        reconciled: 0,
        pending: 0,
        canceled: false,
        totalSent: 0,
        totalFailed: 0,
        totalReconciled: 0,
      };
      result.reconciled = await reconcileSending(db, log, input.campaignId, sender, input.claimLeaseMs, (stored) =>
        keys.open(campaign.tenant_id, 'outbox.body', stored),
      );
      // Bodies are opened here, in the activity: the workflow only ever holds the campaign's id.
      const campaignBody = await keys.open(campaign.tenant_id, 'campaigns.body', campaign.body);
      const seal = await keys.sealerFor(campaign.tenant_id);
      const { bodies, maxSegments } = await pageBodies(campaign, campaignBody, sender.brandName, seal);

      // Set when Temporal gives up on this attempt (e.g. its heartbeats stopped reaching the
      // server): stop claiming, so a retry never runs beside a zombie for long.
      const abandoned = Context.current().cancellationSignal;
      const page: PageSending = {
        db,
        sender,
        fence,
        abandoned,
        statusCallbackUrl,
        tenantId: campaign.tenant_id,
        messageType: campaign.message_type,
        bodies,
        footerIntervalMs: config.OPT_OUT_FOOTER_INTERVAL_SECONDS * 1000,
        sendBy: new Date(input.sendByIso),
        sendingWindow,
        clock,
        msPerSegment: 1000 / sender.mps,
        concurrency: Math.max(1, Math.min(config.RELAY_CONCURRENCY, Math.ceil(sender.mps / 2))),
      };
      // Every concurrent send of a page may wait on the signal at once (a pause, a retry's back-off):
      // more listeners than Node's leak warning expects (10), and each is removed when its wait ends.
      setMaxListeners(Math.max(10, 2 * page.concurrency + 4), abandoned);
      // Keyset paging: claims continue after the last claimed id. Ordered by id alone, the
      // planner walks the primary key past every row of the campaign already sent (its
      // statistics cannot see that those come first), which made a million-recipient relay
      // quadratic. Rows left behind the cursor (put back after a dead attempt, or deferred
      // until quiet hours end) are found by one pass from the start before a batch ends.
      let afterId = input.afterId ?? '0';
      let fromStart = afterId === '0';
      let capResetsAt: Date | undefined;
      while (result.sent + result.failed < input.batchSize && !abandoned.aborted) {
        const standing = await campaignStanding(db, input.campaignId);
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
        const backlogMs = await pacingBacklogMs(db, sender.from);
        if (backlogMs > fence.pageSpanMs) {
          heartbeat({ sent: result.sent, failed: result.failed });
          await pause(Math.min(backlogMs - fence.pageSpanMs, 1_000), abandoned);
          continue;
        }
        // The sender's daily cap (its registration's T-Mobile limit, in segments per Pacific
        // day): a page claims no more rows than the day has room for, and none once it is full.
        let dayRoom = PAGE;
        if (sender.dailyCap !== null) {
          const day = await senderDayUsage(db, sender.from);
          dayRoom = Math.floor((sender.dailyCap - day.segments) / maxSegments);
          if (dayRoom < 1) {
            result.held = `the sender's daily cap of ${sender.dailyCap} segments is reached; sending resumes at ${day.resetsAt.toISOString()} (midnight Pacific)`;
            capResetsAt = day.resetsAt;
            break;
          }
        }
        const pageSize = Math.max(
          1,
          Math.min(
            PAGE,
            dayRoom,
            input.batchSize - result.sent - result.failed,
            Math.floor((sender.mps * Math.min(5_000, fence.pageSpanMs)) / 1000 / maxSegments),
          ),
        );
        const claimed = await claimOutboxPage(db, { campaignId: input.campaignId, from: sender.from, afterId, limit: pageSize });
        if (!claimed.length) {
          if (fromStart) break;
          afterId = '0';
          fromStart = true;
          continue;
        }
        claimed.sort((a, b) => Number(a.id) - Number(b.id));
        afterId = claimed[claimed.length - 1].id;
        result.lastClaimedId = afterId;
        if ((await relayPage(page, claimed, result)).stop) break;
      }

      const tally = await relayTally(db, input.campaignId);
      result.pending = tally.pending;
      result.totalSent = tally.sent;
      result.totalFailed = tally.failed;
      result.totalReconciled = tally.reconciled;
      result.totalReconciledFound = tally.found;
      result.totalReconciledNotFound = tally.notFound;
      if (tally.next && tally.next > clock()) result.nextNotBeforeIso = tally.next.toISOString();
      // Capped for the day: nothing more goes before the next one begins.
      if (capResetsAt) result.nextNotBeforeIso = capResetsAt.toISOString();
      return result;
    },
  };
}
