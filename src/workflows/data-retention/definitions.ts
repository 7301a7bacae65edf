import { defineQuery } from '@temporalio/workflow';

/** The data retention workflow's contract; the API, `npm start` and tests import it. */

/** One per platform: `npm start` ensures it runs (src/ops/ensure-retention.ts). */
export const DATA_RETENTION_WORKFLOW_ID = 'data-retention';

/** A day as production counts it; tests pass a shorter one so a 7-day retention lasts seconds. */
export const DAY_MS = 86_400_000;

export interface RetentionTotals {
  tenants: number;
  outboundPurged: number;
  inboundPurged: number;
  /** Finished campaigns whose text was purged (absent from passes carried from before it was counted). */
  campaignsPurged?: number;
  /** Old messages with a body found by listing the subaccounts' messages at Twilio, queued for redaction. */
  twilioFound?: number;
  twilioRedacted: number;
  twilioFailures: number;
}

export interface RetentionPass {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  totals: RetentionTotals;
}

export interface DataRetentionInput {
  /** Between passes: an hour in production, a second in tests. */
  intervalMs: number;
  /** How long a retention day lasts (default a real day). */
  dayMs?: number;
  /** Only these tenants (tests share one database). Unset: every tenant. */
  onlyTenantIds?: string[];
  /** Rows purged per page (default 500) and Twilio messages redacted per page (default 50); tests make them small. */
  pageSizes?: { purge?: number; redact?: number; /** Twilio messages listed per page (default 1000, Twilio's most). */ list?: number };
  /**
   * How long an activity may go without a heartbeat before Temporal tries it again elsewhere
   * (default a minute): how soon a pass resumes after its worker died. Tests shorten it.
   */
  heartbeatTimeoutMs?: number;
  /** Passes per workflow run before continue-as-new (the server may suggest it sooner). */
  passesPerRun?: number;
  /** Carried across continue-as-new: the pass under way resumes after the last tenant it finished. */
  carried?: { passes: number; lastPass?: RetentionPass; current?: RetentionPass & { afterTenantId: string } };
}

export interface DataRetentionState {
  passes: number;
  lastPass?: RetentionPass;
  current?: RetentionPass;
  nextPassAt?: string;
}

export const dataRetentionStateQuery = defineQuery<DataRetentionState>('dataRetentionState');

/** How the platform's retention workflow is started, wherever from. */
export function startDataRetentionOptions(input: DataRetentionInput, workflowId = DATA_RETENTION_WORKFLOW_ID) {
  return {
    workflowId,
    args: [input] as [DataRetentionInput],
    staticSummary:
      'Data retention: purges message and reply bodies (and finished campaigns’ text) past each tenant’s retention period and redacts them at Twilio',
  };
}
