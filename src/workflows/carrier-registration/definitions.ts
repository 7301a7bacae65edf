import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RegisteredThroughput } from '../../domain/registered-throughput';
import { RegistrationStateAttribute, TenantIdAttribute } from '../search-attributes';

/**
 * The carrier registration's messages and the shapes its activities answer with. The API and
 * the activities import these; nothing here runs I/O, so it is safe on both sides.
 */

/** One registration per tenant: found by this id. */
export const registrationWorkflowId = (tenantId: string) => `carrier-registration/${tenantId}`;

export type RegistrationKind = '10dlc' | 'tollfree';
export type BrandType = 'STANDARD' | 'LOW_VOLUME_STANDARD' | 'SOLE_PROPRIETOR';

/** The business facts a registration needs beyond the KYC the tenant already gave (stored with the registration). */
export interface RegistrationBusiness {
  /** Standard brands: the EIN (dashes allowed). */
  ein?: string;
  /** Overrides the tenant's business name (a correction of a name that does not match the EIN). */
  legalName?: string;
  /** Trust Hub's business_type, e.g. `Limited Liability Corporation`. */
  businessType?: string;
  /** Trust Hub's business_industry, e.g. `HEALTHCARE`. */
  industry?: string;
  /** The A2P profile's company_type. */
  companyType?: 'private' | 'public' | 'non-profit' | 'government';
  address: { street: string; city: string; region: string; postalCode: string; isoCountry: string };
  representative: { firstName: string; lastName: string; email: string; phone: string; title: string };
  /** Sole proprietors: the mobile that gets the OTP text. */
  mobile?: string;
}

/** The campaign's (or toll-free verification's) text; unset parts come from the KYC submission. */
export interface CampaignContent {
  description?: string;
  messageFlow?: string;
  samples?: string[];
}

export interface RegistrationDetails {
  business: RegistrationBusiness;
  campaign?: CampaignContent;
}

/** A submission the workflow waits on. */
export type SubmissionKind = 'customerProfile' | 'trustProduct' | 'brand' | 'campaign' | 'tollfree';

export interface RegistrationReason {
  code?: number;
  description: string;
}

/** Twilio's word on one submission, as readRegistrationStatus answers. */
export interface SubmissionVerdict {
  kind: SubmissionKind;
  sid: string;
  outcome: 'pending' | 'awaiting_otp' | 'approved' | 'failed';
  twilioStatus: string;
  reasons: RegistrationReason[];
  /** A failure the tenant may correct and resubmit (false: final). */
  correctable: boolean;
  /** Approved campaigns: the throughput class Twilio gave (rate_limits). */
  rateLimits?: Record<string, unknown>;
}

/** The RegistrationState search attribute's values and the state's `phase`. */
export type RegistrationPhase =
  | 'starting'
  | 'profile_review'
  | 'brand_review'
  | 'brand_otp'
  | 'campaign_review'
  | 'tollfree_review'
  | 'profile_failed'
  | 'brand_failed'
  | 'campaign_failed'
  | 'tollfree_failed'
  | 'approved'
  | 'rejected'
  | 'timed_out';

/** The step a failure is corrected at. */
export type CorrectableStep = 'profile' | 'brand' | 'campaign' | 'tollfree';

export interface RegistrationTimings {
  /** First wait between two status reads; doubles each time. */
  pollInitialMs: number;
  /** The longest wait between two status reads. */
  pollMaxMs: number;
  /** How long a submission may stay undecided (capped at 30 days). */
  giveUpAfterMs: number;
  /** One activity attempt's time limit. */
  activityTimeoutMs: number;
}

export const MAX_VERDICT_WAIT_MS = 30 * 24 * 3600_000;

/** Patch: at approval the registered class sets the senders' MPS and daily cap (an activity before `approved`). */
export const REGISTRATION_THROUGHPUT_PATCH = 'registration-throughput';

export interface CarrierRegistrationInput {
  tenantId: string;
  kind: RegistrationKind;
  /** 10DLC only. */
  brandType?: BrandType;
  timings: RegistrationTimings;
}

export interface RegistrationHistoryEntry {
  phase: RegistrationPhase;
  at: string;
  note?: string;
}

export interface CarrierRegistrationState {
  tenantId: string;
  kind: RegistrationKind;
  brandType?: BrandType;
  phase: RegistrationPhase;
  /** Twilio's last word on each submission. */
  submissions: Partial<Record<SubmissionKind, Pick<SubmissionVerdict, 'sid' | 'outcome' | 'twilioStatus'>>>;
  /** Why the registration stands where it does (Twilio's reasons, a refusal). */
  reasons: RegistrationReason[];
  /** What the tenant must do next, in words. */
  openRequirements: string[];
  rateLimits?: Record<string, unknown>;
  /** Approved: the sending limits the class gave the tenant's numbers (registration-throughput). */
  throughput?: RegisteredThroughput;
  history: RegistrationHistoryEntry[];
}

/** A correction after a failure: only the parts the failed step reads. */
export interface RegistrationCorrection {
  business?: Partial<Pick<RegistrationBusiness, 'ein' | 'legalName' | 'businessType' | 'mobile'>>;
  campaign?: CampaignContent;
}

/**
 * Activity failure types the workflow reads as a refusal of the submission (the tenant
 * corrects and resubmits) rather than a fault: Twilio answered 4xx, or clearsend's own
 * compliance judgement blocked a sample before anything was sent.
 */
export const RegistrationRefusal = {
  TwilioRefused: 'RegistrationRefusedByTwilio',
  SampleBlocked: 'CampaignSampleBlocked',
  DetailsMissing: 'RegistrationDetailsMissing',
  NumberUnfit: 'RegistrationNumberUnfit',
} as const;
export const isRegistrationRefusal = (type: string | undefined | null) => Object.values(RegistrationRefusal).includes(type as never);

export const registrationStateQuery = defineQuery<CarrierRegistrationState>('registrationState');
/** After a failure: the validator refuses a correction that does not fit before anything is sent. */
export const resubmitRegistrationUpdate = defineUpdate<CarrierRegistrationState, [RegistrationCorrection]>('resubmitRegistration');
/** A sole proprietor says the OTP was answered: the brand is read now instead of at the next poll. */
export const registrationOtpAnsweredUpdate = defineUpdate<CarrierRegistrationState, []>('registrationOtpAnswered');
/** Twilio posted a status change of one of the registration's submissions (a Trust Hub bundle's StatusCallback): read it now rather than at the next poll. */
export const registrationStatusChangedSignal = defineSignal('registrationStatusChanged');
/** A sole proprietor asks Twilio to text the OTP again. */
export const resendRegistrationOtpUpdate = defineUpdate<CarrierRegistrationState, []>('resendRegistrationOtp');

/** How a tenant's registration is started: its id, its TenantId, a readable summary. */
export function startRegistrationOptions(input: CarrierRegistrationInput, taskQueue: string) {
  return {
    workflowId: registrationWorkflowId(input.tenantId),
    taskQueue,
    args: [input] as [CarrierRegistrationInput],
    typedSearchAttributes: [
      { key: TenantIdAttribute, value: input.tenantId },
      { key: RegistrationStateAttribute, value: 'starting' },
    ],
    staticSummary: `Carrier registration (${input.kind === 'tollfree' ? 'toll-free verification' : `10DLC, ${input.brandType ?? 'STANDARD'}`})`,
    staticDetails: `Tenant ${input.tenantId}`,
  };
}
