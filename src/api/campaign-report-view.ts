// The report's shape alone, without imports, so the browser console (its tsconfig has DOM types,
// no node types) can take it type-only; src/api/campaign-report.ts computes it.

/**
 * A campaign's outcome, from PostgreSQL alone: what happened to every recipient (dropped
 * with a reason, refused by Twilio with a code, or sent and then delivered / undelivered /
 * failed as the status callbacks said, or unknown when Twilio would not tell). The numbers
 * add up: recipients = dropped + pending + sending + sent + refused.
 */
export interface CampaignReport {
  campaignId: string;
  status: string;
  recipients: number;
  dropped: { total: number; byReason: Record<string, number> };
  pending: number;
  sending: number;
  /** Refused by Twilio at send time (21610, 21211, …), by error code. */
  refused: { total: number; byErrorCode: Record<string, number> };
  sent: number;
  delivery: {
    delivered: number;
    undelivered: number;
    failed: number;
    /**
     * Sent, but Twilio refused for good to tell what became of them, by the code it answered
     * (20404: Twilio no longer has the message, e.g. it was deleted there). Not awaited any more.
     */
    unknown: number;
    unknownByErrorCode: Record<string, number>;
    awaiting: number;
    failedByErrorCode: Record<string, number>;
  };
  /** Replies attributed to this campaign: it was the last campaign to message their sender. */
  replies: number;
  /**
   * Attributed replies that opted out (keywords, confident free text, confirmed requests), per
   * message sent; `openRequests`: possible opt-outs still waiting for the tenant to decide.
   */
  optOuts: { total: number; sent: number; rate: number | null; openRequests: number };
  encoding: string;
  /** The body as written; what was sent may be longer (brand prefix, opt-out footer). */
  segmentsPerMessage: number;
  /** Segments of the bodies actually sent, each row's own. */
  segmentsSent: number;
  /** Sent messages that carried the opt-out footer clearsend added or the body's own opt-out language. */
  sentWithOptOutNotice: number;
  costEstimateUsd: number;
}
