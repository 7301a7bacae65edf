/**
 * Carrier registration as Twilio keeps it (Trust Hub bundles and what they hold, A2P brands
 * and campaigns, toll-free verifications). All of it is durable: it is saved with the rest of
 * the sandbox's state, and a review still under way when the sandbox stops finishes after a
 * restart (`verdictAt` says when).
 */

/** One entry of a resource's `errors` list, as Twilio writes them for brands and campaigns. */
export interface RegistrationError {
  error_code: number;
  description: string;
  url: string;
  fields: string[];
}

interface Owned {
  sid: string;
  accountSid: string;
  dateCreated: string;
  dateUpdated: string;
}

/** A review that ends at `verdictAt` (ms since the epoch); absent once decided. */
interface UnderReview {
  verdictAt?: number;
}

export type BundleKind = 'customer-profile' | 'trust-product';
export type BundleStatus = 'draft' | 'pending-review' | 'in-review' | 'twilio-rejected' | 'twilio-approved';

/** A CustomerProfile or a TrustProduct: the same resource shape under two paths. */
export interface TrustHubBundle extends Owned, UnderReview {
  kind: BundleKind;
  friendlyName: string;
  email: string;
  policySid: string;
  statusCallback: string | null;
  status: BundleStatus;
  validUntil: string | null;
  errors: RegistrationError[];
}

export interface EntityAssignment {
  sid: string;
  bundleSid: string;
  accountSid: string;
  objectSid: string;
  dateCreated: string;
}

export interface BundleEvaluation {
  sid: string;
  bundleSid: string;
  accountSid: string;
  policySid: string;
  status: 'compliant' | 'noncompliant';
  results: unknown[];
  dateCreated: string;
}

/** An EndUser or a SupportingDocument: typed attributes a bundle is assembled from. */
export interface TrustHubItem extends Owned {
  friendlyName: string;
  type: string;
  attributes: Record<string, unknown>;
}

export interface SandboxAddress extends Owned {
  customerName: string;
  friendlyName: string;
  street: string;
  streetSecondary: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  emergencyEnabled: boolean;
}

export type BrandType = 'STANDARD' | 'LOW_VOLUME_STANDARD' | 'SOLE_PROPRIETOR';
export type BrandStatus = 'PENDING' | 'IN_REVIEW' | 'APPROVED' | 'FAILED';

export interface BrandRegistration extends Owned, UnderReview {
  customerProfileBundleSid: string;
  a2pProfileBundleSid: string;
  brandType: BrandType;
  mock: boolean;
  skipAutomaticSecVet: boolean;
  status: BrandStatus;
  identityStatus?: 'SELF_DECLARED' | 'UNVERIFIED' | 'VERIFIED' | 'VETTED_VERIFIED';
  tcrId: string | null;
  brandScore: number | null;
  brandFeedback: string[] | null;
  errors: RegistrationError[];
  /** Submissions so far (a resubmitted brand is vetted again). */
  attempts: number;
  /** Sole proprietor: the one-time password Twilio texted to the owner's mobile, awaiting YES. */
  otp?: { mobile: string; sentAt: string[]; expiresAt: number };
}

export type CampaignStatus = 'IN_PROGRESS' | 'VERIFIED' | 'FAILED';

export interface A2pCampaign extends Owned, UnderReview {
  messagingServiceSid: string;
  brandRegistrationSid: string;
  usecase: string;
  description: string;
  messageFlow: string;
  messageSamples: string[];
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  subscriberOptIn: boolean;
  ageGated: boolean;
  directLending: boolean;
  optInMessage: string | null;
  optOutMessage: string | null;
  helpMessage: string | null;
  optInKeywords: string[];
  optOutKeywords: string[];
  helpKeywords: string[];
  privacyPolicyUrl: string | null;
  termsAndConditionsUrl: string | null;
  status: CampaignStatus;
  campaignId: string | null;
  errors: RegistrationError[];
}

export type TollfreeStatus = 'PENDING_REVIEW' | 'IN_REVIEW' | 'TWILIO_APPROVED' | 'TWILIO_REJECTED';

export interface TollfreeVerification extends Owned, UnderReview {
  tollfreePhoneNumberSid: string;
  tollfreePhoneNumber: string;
  status: TollfreeStatus;
  /** The submitted business and use-case fields, under their JSON names. */
  details: Record<string, string | boolean | string[]>;
  rejection: { errorCode: number; reason: string; editAllowed: boolean; editExpiration: string } | null;
}

export interface RegistrationSnapshot {
  bundles: TrustHubBundle[];
  assignments: EntityAssignment[];
  evaluations: BundleEvaluation[];
  endUsers: TrustHubItem[];
  documents: TrustHubItem[];
  addresses: SandboxAddress[];
  brands: BrandRegistration[];
  campaigns: A2pCampaign[];
  tollfree: TollfreeVerification[];
}

export class RegistrationState {
  readonly bundles = new Map<string, TrustHubBundle>();
  readonly assignments = new Map<string, EntityAssignment>();
  readonly evaluations = new Map<string, BundleEvaluation>();
  readonly endUsers = new Map<string, TrustHubItem>();
  readonly documents = new Map<string, TrustHubItem>();
  readonly addresses = new Map<string, SandboxAddress>();
  readonly brands = new Map<string, BrandRegistration>();
  readonly campaigns = new Map<string, A2pCampaign>();
  readonly tollfree = new Map<string, TollfreeVerification>();

  private maps() {
    return {
      bundles: this.bundles,
      assignments: this.assignments,
      evaluations: this.evaluations,
      endUsers: this.endUsers,
      documents: this.documents,
      addresses: this.addresses,
      brands: this.brands,
      campaigns: this.campaigns,
      tollfree: this.tollfree,
    } as const;
  }

  snapshot(): RegistrationSnapshot {
    const snapshot: Record<string, unknown[]> = {};
    for (const [name, map] of Object.entries(this.maps())) snapshot[name] = [...(map as Map<string, unknown>).values()];
    return snapshot as unknown as RegistrationSnapshot;
  }

  restore(snapshot: Partial<RegistrationSnapshot> | undefined): void {
    if (!snapshot) return;
    for (const [name, map] of Object.entries(this.maps())) {
      for (const item of (snapshot[name as keyof RegistrationSnapshot] ?? []) as Array<{ sid: string }>) (map as Map<string, unknown>).set(item.sid, item);
    }
  }

  assignmentsOf(bundleSid: string): EntityAssignment[] {
    return [...this.assignments.values()].filter((a) => a.bundleSid === bundleSid);
  }
}
