import { randomBytes } from 'node:crypto';
import type { SandboxContext } from './context';
import { formText } from './form-values';
import { iso8601 } from './ids';
import {
  brandVerdict,
  goesToManualReview,
  MANUAL_REVIEW_FACTOR,
  profileRejected,
  registrationError,
  rejectionTokens,
  tollfreeEditAllowed,
  CAMPAIGN_REJECTIONS,
  TOLLFREE_REJECTIONS,
  type BrandFacts,
} from './registration-magic';
import type { A2pCampaign, BrandRegistration, TollfreeVerification, TrustHubBundle } from './registration-state';
import { bundleFacts, evaluateBundle } from './trusthub-policies';
import { postSignedWebhook } from './webhooks';

export interface VettingTimings {
  /** How long a review takes, from submission to verdict (Twilio: minutes to weeks). */
  vettingMs: number;
  /** How long a sole proprietor's OTP stays valid (Twilio: 24 hours). */
  otpTtlMs: number;
}

const EDIT_WINDOW_MS = 7 * 24 * 3600_000;
const tcrId = (prefix: string) => `${prefix}${randomBytes(4).toString('hex').toUpperCase().slice(0, 6)}`;

/**
 * The reviewers behind Trust Hub, The Campaign Registry and toll-free verification: each
 * submission gets its verdict `vettingMs` later (halfway it shows as in review), decided
 * by the magic inputs of registration-magic.ts. Pending verdicts survive a restart.
 * Over 250 lines on purpose: one class holds the timers of every kind of review, so that a
 * restart re-arms them all in one place; the verdict rules themselves are in registration-magic.ts.
 */
export class Vetting {
  constructor(
    private readonly ctx: SandboxContext,
    readonly timings: VettingTimings,
  ) {}

  private get state() {
    return this.ctx.store.registrations;
  }

  private touch(item: { dateUpdated: string }) {
    item.dateUpdated = iso8601(new Date());
    this.ctx.store.changed();
  }

  /** Runs `midway` halfway to the verdict and `decide` at it, unless the item was resubmitted or deleted meanwhile. */
  private follow<T extends { sid: string; verdictAt?: number; dateUpdated: string }>(
    items: Map<string, T>,
    item: T,
    midway: (i: T) => void,
    decide: (i: T) => void,
  ) {
    const due = item.verdictAt;
    if (due === undefined) return;
    const current = () => {
      const now = items.get(item.sid);
      return now && now.verdictAt === due ? now : undefined;
    };
    const remaining = Math.max(due - Date.now(), 0);
    this.ctx.later(remaining / 2, () => {
      const i = current();
      if (i) midway(i);
    });
    this.ctx.later(remaining, () => {
      const i = current();
      if (!i) return;
      i.verdictAt = undefined;
      decide(i);
      this.touch(i);
    });
  }

  submitBundle(bundle: TrustHubBundle): void {
    bundle.status = 'pending-review';
    bundle.errors = [];
    bundle.verdictAt = Date.now() + this.timings.vettingMs;
    this.touch(bundle);
    this.notifyBundle(bundle);
    this.followBundle(bundle);
  }

  private followBundle(bundle: TrustHubBundle) {
    this.follow(
      this.state.bundles,
      bundle,
      (b) => {
        b.status = 'in-review';
        this.touch(b);
        this.notifyBundle(b);
      },
      (b) => {
        const ein = formText(bundleFacts(this.state, b.sid).business_registration_number);
        const compliant = evaluateBundle(this.state, b).status === 'compliant';
        if (!compliant || (b.kind === 'customer-profile' && profileRejected(ein))) {
          b.status = 'twilio-rejected';
          b.errors = [
            {
              error_code: 22217,
              description: 'The Business Registration Number could not be verified for the Business Name given.',
              url: 'https://www.twilio.com/docs/api/errors/22217',
              fields: ['business_registration_number'],
            },
          ];
        } else {
          b.status = 'twilio-approved';
          b.validUntil = iso8601(new Date(Date.now() + 365 * 24 * 3600_000));
        }
        this.notifyBundle(b);
      },
    );
  }

  /** Trust Hub calls a bundle's StatusCallback on each status change, signed with the account's token. */
  private notifyBundle(b: TrustHubBundle) {
    const account = this.ctx.store.accounts.get(b.accountSid);
    if (!b.statusCallback || !account || account.isTest || this.ctx.faults.dropsStatusCallback(account.sid)) return;
    const params: Record<string, string> = { AccountSid: b.accountSid, BundleSid: b.sid, Status: b.status };
    if (b.errors.length) params.FailureReason = b.errors.map((e) => e.description).join(' ');
    void postSignedWebhook(this.ctx.store, b.statusCallback, params, account.authToken, this.ctx.timings.webhook);
  }

  private brandFacts(brand: BrandRegistration): BrandFacts {
    const facts = { ...bundleFacts(this.state, brand.customerProfileBundleSid), ...bundleFacts(this.state, brand.a2pProfileBundleSid) };
    return { ein: formText(facts.business_registration_number), mobile: formText(facts.mobile_phone_number ?? facts.phone_number) };
  }

  submitBrand(brand: BrandRegistration): void {
    brand.status = 'PENDING';
    brand.attempts += 1;
    brand.errors = [];
    brand.brandFeedback = null;
    const manual = goesToManualReview(this.brandFacts(brand));
    brand.verdictAt = Date.now() + this.timings.vettingMs * (manual ? MANUAL_REVIEW_FACTOR : 1);
    this.touch(brand);
    this.followBrand(brand);
  }

  private followBrand(brand: BrandRegistration) {
    this.follow(
      this.state.brands,
      brand,
      (b) => {
        if (goesToManualReview(this.brandFacts(b))) {
          b.status = 'IN_REVIEW';
          this.touch(b);
        }
      },
      (b) => {
        const verdict = brandVerdict(b.brandType, b.brandType === 'STANDARD' && !b.skipAutomaticSecVet, this.brandFacts(b), b.attempts);
        if (verdict.outcome === 'failed') {
          b.status = 'FAILED';
          b.identityStatus = 'UNVERIFIED';
          b.errors = verdict.codes.map(registrationError);
          b.brandFeedback = verdict.feedback;
          return;
        }
        b.status = 'APPROVED';
        b.tcrId = tcrId('B');
        if (verdict.outcome === 'otp') {
          // Registered with TCR; the owner must answer the OTP text before campaigns can run.
          b.identityStatus = 'UNVERIFIED';
          b.otp = { mobile: verdict.mobile, sentAt: [iso8601(new Date())], expiresAt: Date.now() + this.timings.otpTtlMs };
          return;
        }
        b.identityStatus = verdict.identity;
        b.brandScore = verdict.score;
      },
    );
  }

  /** Twilio re-sends the OTP text (BrandRegistrations/{sid}/SmsOtp); a new code, a new 24 hours. */
  resendOtp(brand: BrandRegistration): void {
    if (!brand.otp) return;
    brand.otp.sentAt.push(iso8601(new Date()));
    brand.otp.expiresAt = Date.now() + this.timings.otpTtlMs;
    brand.errors = [];
    this.touch(brand);
  }

  /** The owner's handset answers the OTP text: YES in time verifies the brand; too late records 30752. */
  answerOtp(brand: BrandRegistration, reply: string): 'verified' | 'expired' | 'ignored' {
    if (!brand.otp || reply.trim().toUpperCase() !== 'YES') return 'ignored';
    if (Date.now() > brand.otp.expiresAt) {
      brand.errors = [registrationError(30752)];
      this.touch(brand);
      return 'expired';
    }
    brand.identityStatus = 'VERIFIED';
    brand.otp = undefined;
    brand.errors = [];
    this.touch(brand);
    return 'verified';
  }

  submitCampaign(campaign: A2pCampaign): void {
    campaign.status = 'IN_PROGRESS';
    campaign.errors = [];
    campaign.verdictAt = Date.now() + this.timings.vettingMs;
    this.touch(campaign);
    this.follow(
      this.state.campaigns,
      campaign,
      () => undefined,
      (c) => this.decideCampaign(c),
    );
  }

  private decideCampaign(c: A2pCampaign) {
    const brand = this.state.brands.get(c.brandRegistrationSid);
    const text = [c.description, c.messageFlow, ...c.messageSamples].join('\n');
    const codes = brand?.brandType === 'SOLE_PROPRIETOR' && brand.identityStatus !== 'VERIFIED' ? [30991] : rejectionTokens(text, CAMPAIGN_REJECTIONS);
    if (codes.length) {
      c.status = 'FAILED';
      c.errors = codes.map(registrationError);
    } else {
      c.status = 'VERIFIED';
      c.campaignId = tcrId('C');
    }
  }

  submitTollfree(v: TollfreeVerification): void {
    v.status = 'PENDING_REVIEW';
    v.rejection = null;
    v.verdictAt = Date.now() + this.timings.vettingMs;
    this.touch(v);
    this.followTollfree(v);
  }

  private followTollfree(v: TollfreeVerification) {
    this.follow(
      this.state.tollfree,
      v,
      (t) => {
        t.status = 'IN_REVIEW';
        this.touch(t);
      },
      (t) => {
        const text = Object.values(t.details)
          .flat()
          .filter((x) => typeof x === 'string')
          .join('\n');
        const [code] = rejectionTokens(text, TOLLFREE_REJECTIONS);
        if (code === undefined) {
          t.status = 'TWILIO_APPROVED';
          return;
        }
        t.status = 'TWILIO_REJECTED';
        const editAllowed = tollfreeEditAllowed(code);
        t.rejection = {
          errorCode: code,
          reason: registrationError(code).description,
          editAllowed,
          editExpiration: iso8601(new Date(Date.now() + EDIT_WINDOW_MS)),
        };
      },
    );
  }

  /** After a restart: every review that was under way continues toward its verdict. */
  resume(): void {
    for (const b of this.state.bundles.values()) this.followBundle(b);
    for (const b of this.state.brands.values()) this.followBrand(b);
    for (const c of this.state.campaigns.values())
      this.follow(
        this.state.campaigns,
        c,
        () => undefined,
        (x) => this.decideCampaign(x),
      );
    for (const t of this.state.tollfree.values()) this.followTollfree(t);
  }
}
