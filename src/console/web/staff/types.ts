/** The staff API's answers, as the console's pages read them (see src/api/routes/compliance.ts and staff-*.ts). */

export interface ReviewCase {
  id: string;
  kind: string;
  status: string;
  summary: string;
  details: Record<string, unknown>;
  openedAt: string;
  remindersSent: number;
  decidedBy: string | null;
  decisionReason: string | null;
}

export interface QueuedReview extends ReviewCase {
  tenantId: string;
  businessName: string;
  step: string;
}

export interface Finding {
  code: string;
  category: string;
  verdict: 'block' | 'review' | 'warn';
  reason: string;
  span: { start: number; end: number; text: string } | null;
  suggestedFix: string;
}

export interface JudgedSample {
  body: string;
  blocked: boolean;
  findings: Finding[];
}

export interface RiskReason {
  code: string;
  points: number;
  reason: string;
}

export interface TenantSummary {
  id: string;
  businessName: string;
  status: string;
  step: string;
  sendingState: string;
  createdAt?: string;
  /** The tenant's lifecycle run (in the tenants list). */
  workflowId?: string;
}

export interface ReviewEvidence {
  tenant: TenantSummary;
  workflows: { lifecycle: string };
  cases: ReviewCase[];
  kyc: { answers: Record<string, unknown>; submittedAt: string; risk: { score: number | null; level: string | null; reasons: RiskReason[] } } | null;
  samples: JudgedSample[];
  verification: { verified: boolean; attemptsLeft: number } | null;
  sandbox: {
    sends: Array<{ to: string; status: string | null; errorCode: number | null; errorMessage: string | null; sentAt: string }>;
    successfulSends: number | null;
    required: number | null;
  };
  lifecycle: { step: string; suspended: boolean; reasons: string[]; openRequirements: string[] } | null;
}

export interface RateThresholds {
  approachingAbove: number;
  badAbove: number;
}

export interface LadderMoveRow {
  seq: number;
  from: string;
  to: string;
  why: string;
  actor: string;
  reason: string | null;
  at: string;
}

export interface RatePoint {
  hour: string;
  delivered: number;
  errors: number;
  optOuts: number;
  errorRate: number | null;
  optOutRate: number | null;
}

export interface TenantRates {
  from: string;
  thresholds: { errorRate: RateThresholds; optOutRate: RateThresholds; minVolume: number; windowsHours: number[] };
  points: RatePoint[];
  moves: LadderMoveRow[];
}

export interface CampaignRow {
  id: string;
  name: string;
  status: string;
  segments: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  sent: number;
  delivered: number;
  errors: number;
  optOuts: number;
  workflowId: string;
}

export interface TenantOverview {
  tenant: TenantSummary & { website: string | null; timeZone: string };
  workflows: { lifecycle: string; monitor: string };
  campaigns: CampaignRow[];
  openCases: Array<{ id: string; kind: string; summary: string; openedAt: string; remindersSent: number }>;
}

/** `GET /v1/compliance/tenants/:id/monitor` (absent while the tenant has no monitor). */
export interface MonitorStanding {
  state: string;
  evaluations: number;
  nextEvaluationAt?: string;
  moves: Array<{ from: string; to: string; why: string; by: string; reason: string; at: string }>;
}

export interface UsageDay {
  day: string;
  messages: number;
  segments: number;
  costEstimateUsd: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  actorKind: string;
  tenantId: string | null;
  action: string;
  reason: string | null;
  details: unknown;
}
