/**
 * What the campaign send's activities take and answer, as the workflow sees them: ids and
 * counts only. The outbox row is the unit of truth: pending → sending → sent(sid) |
 * failed(code), or dropped(reason) before any send.
 */
export type DropReason = 'invalid' | 'duplicate' | 'suppressed' | 'country' | 'no_consent' | 'landline' | 'quiet_hours' | 'merge_field' | 'canceled';

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
  /** Rows still to send (pending), deferred ones included, counted up to 1,000: 0 means none are left. */
  pending: number;
  /** When the earliest deferred row may go (quiet hours), if any. */
  nextNotBeforeIso?: string;
  canceled: boolean;
  /** Why nothing more went out: the tenant is under review or suspended (the monitor's ladder), or the sender's daily cap is reached. */
  held?: string;
  /** The campaign's totals so far, from the counters its outbox keeps (a retried attempt's work included). */
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
