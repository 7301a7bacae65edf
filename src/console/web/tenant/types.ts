/**
 * The answers of the /v1 routes the tenant pages read, as far as the pages use them. Written out
 * here because the server's own types live in modules that pull in Node and Temporal.
 */

export type LifecycleStep = 'kyc' | 'kyc_review' | 'verification' | 'sandbox' | 'review' | 'provisioning' | 'number' | 'registration' | 'active' | 'rejected';

/** GET /v1/tenants/:id (the lifecycle's tenantState query). */
export interface TenantState {
  tenantId: string;
  step: LifecycleStep;
  suspended: boolean;
  history: Array<{ step: LifecycleStep; at: string; note?: string }>;
  openRequirements: string[];
  reasons: string[];
  kyc?: { score: number; level: string };
  verification: { sentTo?: string; attemptsLeft: number; expiresAt?: string; resendAvailableAt?: string; verified: boolean };
  sandbox: { successfulSends: number; required: number };
  review?: { caseId: string; kind: string; openedAt: string };
  phoneNumber?: string;
  registration?: { phase: string; reasons: Array<{ code?: number; description: string }>; openRequirements: string[] };
  fault?: { activity: string; since: string; failures: number; nextAttemptAt: string };
}

export type Verdict = 'block' | 'review' | 'warn';

export interface Finding {
  code: string;
  category: string;
  verdict: Verdict;
  reason: string;
  source: { publisher: string; title: string; url: string };
  span: { start: number; end: number; text: string } | null;
  suggestedFix: string;
}

export interface SegmentEstimate {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  unicodeCharacters: string[];
}

/** POST /v1/scan. */
export interface ScanAnswer {
  findings: Finding[];
  blocked: boolean;
  segments: SegmentEstimate;
  bodyAsSent: string;
  bodyAsSentSegments: SegmentEstimate;
  costEstimateUsd?: number;
}

export type MessageType = 'transactional' | 'marketing' | 'conversational';

export interface CampaignSummary {
  id: string;
  name: string;
  messageType: MessageType;
  status: string;
  contentReview: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** GET /v1/campaigns/:id (body and scan are null for a viewer). */
export interface Campaign {
  id: string;
  name: string;
  body: string | null;
  messageType: MessageType;
  audienceTag: string | null;
  status: string;
  refusalReason: string | null;
  scan: { findings: Finding[]; blocked: boolean; segments: SegmentEstimate } | null;
  contentReview: { status: string; decidedBy: string | null; decidedAt: string | null; reason: string | null } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: {
    phase: string;
    queued: number;
    dropped: number;
    sent: number;
    failed: number;
    final: number;
    held?: string;
    reason?: string;
    nextBatchAtMs?: number;
  } | null;
}

/** POST /v1/campaigns. */
export interface CreatedCampaign extends Campaign {
  bodyAsSent: string;
  audience: { contacts: number; optOutFooters: number; segments: number; costEstimateUsd: number };
}

/** GET /v1/campaigns/:id/report (JSON), as the API computes it. */
export type { CampaignReport } from '../../../api/campaign-report-view';

/** GET /v1/notifications: a reply routed to one of the tenant's users. */
export interface ReplyNotification {
  id: string | number;
  user: string;
  from: string;
  body: string;
  receivedAt: string;
  contactId: string | null;
  contactName: string | null;
  campaignId: string | null;
  optOutRequest: { id: string; status: string } | null;
}

/** GET /v1/reports/daily. */
export interface DailyReport {
  date: string;
  timeZone: string;
  complianceState: string;
  sends: number;
  segments: number;
  deliveries: number;
  undelivered: number;
  failed: number;
  refused: number;
  replies: number;
  optOuts: number;
  optIns: number;
  campaignsStarted: Array<{ id: string; name: string; status: string }>;
}
