import type { ActivityDeps } from '../deps';
import { senderOf } from './sender';
import { campaignOf } from './shared';
import type { DeliveryCounts } from './types';
import { recordDeliveryStatus } from '../../db/delivery-statuses';
import { deliveryTally, outstandingMessageSids } from '../../db/outbox-tallies';
import { UNKNOWN_OUTCOME } from '../../domain/delivery-status';
import { isTransientTwilioError, twilioErrorOf } from '../../twilio/errors';

/** After the relay: waiting for every sent message's delivery status. */
export function createCampaignDeliveryActivities({ db, twilio, clock, log }: ActivityDeps) {
  return {
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
      const campaign = await campaignOf(db, input.campaignId);
      const rows = await outstandingMessageSids(db, {
        campaignId: input.campaignId,
        sentBefore: new Date(clock().getTime() - input.olderThanMs),
        limit: input.limit,
      });
      if (!rows.length) return 0;
      const sender = await senderOf({ db, twilio }, campaign.tenant_id);
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
      log.info(
        { campaignId: input.campaignId, asked: rows.length, fetched, unknownByCode, transientFailures },
        'fetched delivery statuses whose callbacks never came',
      );
      if (Object.keys(unknownByCode).length)
        log.warn({ campaignId: input.campaignId, unknownByCode }, 'Twilio refused to tell some messages’ status for good: recorded as unknown');
      if (transientFailures) throw firstTransient;
      return rows.length;
    },

    /** Sent messages vs those settled: a final status (callback or refresh), or an unknown outcome. */
    async countDeliveries(campaignId: string): Promise<DeliveryCounts> {
      const row = await deliveryTally(db, campaignId);
      return { sent: row.sent, final: row.final, unknown: row.unknown, outstanding: row.sent - row.final - row.unknown };
    },
  };
}
