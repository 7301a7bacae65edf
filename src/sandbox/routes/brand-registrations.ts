import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams } from '../context';
import { iso8601, newSid } from '../ids';
import type { BrandRegistration, BrandType, TrustHubBundle } from '../registration-state';
import { A2P_TRUST_PRODUCT_POLICY, SOLE_PROPRIETOR_TRUST_PRODUCT_POLICY, STARTER_PROFILE_POLICY } from '../trusthub-policies';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import { v1Page } from '../v1-page';
import type { Vetting } from '../vetting';
import { usableAccounts } from './trusthub-bundles';
import { formFlag } from '../form-values';

const HOST = 'messaging.twilio.com';
const BRAND_TYPES: readonly BrandType[] = ['STANDARD', 'LOW_VOLUME_STANDARD', 'SOLE_PROPRIETOR'];

export function brandJson(b: BrandRegistration) {
  const url = `https://${HOST}/v1/a2p/BrandRegistrations/${b.sid}`;
  return {
    sid: b.sid,
    account_sid: b.accountSid,
    customer_profile_bundle_sid: b.customerProfileBundleSid,
    a2p_profile_bundle_sid: b.a2pProfileBundleSid,
    date_created: iso8601(b.dateCreated),
    date_updated: iso8601(b.dateUpdated),
    brand_type: b.brandType,
    status: b.status,
    tcr_id: b.tcrId,
    failure_reason: b.status === 'FAILED' ? b.errors.map((e) => e.description).join(' ') : null,
    errors: b.errors,
    url,
    brand_score: b.brandScore,
    brand_feedback: b.brandFeedback,
    // Absent until TCR has said anything (Twilio shows null; the contract's enum admits no null).
    ...(b.identityStatus ? { identity_status: b.identityStatus } : {}),
    russell_3000: false,
    government_entity: false,
    tax_exempt_status: null,
    skip_automatic_sec_vet: b.skipAutomaticSecVet,
    mock: b.mock,
    links: { brand_vettings: `${url}/Vettings`, brand_registration_otps: `${url}/SmsOtp` },
  };
}

/**
 * Messaging v1 a2p/BrandRegistrations: a brand registered with The Campaign Registry from a
 * customer profile and an A2P trust product. Creating twice creates two brands (as on
 * Twilio); a FAILED brand is resubmitted by an empty update; a sole proprietor's OTP text is
 * re-sent through SmsOtp. Verdicts: vetting.ts and the README's magic EINs.
 */
export function brandRegistrationRoutes(ctx: SandboxContext, vetting: Vetting): Router {
  const router = Router();
  const state = ctx.store.registrations;

  const bundle = (sid: string | undefined, name: string, res: Response, kind: TrustHubBundle['kind']): TrustHubBundle => {
    if (!sid) throw twilioErrors.missingParameter(name);
    const b = state.bundles.get(sid);
    if (!b || b.kind !== kind || !usableAccounts(ctx, res).includes(b.accountSid)) throw twilioErrors.invalidParameter(name, sid);
    if (b.status === 'draft' || b.status === 'twilio-rejected')
      throw new TwilioApiError(400, 20001, `${name} ${sid} is ${b.status}: submit it for review (Status=pending-review) and keep it compliant first.`);
    return b;
  };

  const own = (req: Request, res: Response, param = 'sid') => {
    const sid = req.params[param] as string;
    const brand = state.brands.get(sid);
    if (!brand || brand.accountSid !== authenticatedAccount(res).sid) throw twilioErrors.notFound(`/a2p/BrandRegistrations/${sid}`);
    return brand;
  };

  router.post('/v1/a2p/BrandRegistrations', (req, res) => {
    const body = formParams(req);
    const brandType = (body.BrandType ?? 'STANDARD') as BrandType;
    if (!BRAND_TYPES.includes(brandType)) throw twilioErrors.invalidParameter('BrandType', brandType);
    const profile = bundle(body.CustomerProfileBundleSid, 'CustomerProfileBundleSid', res, 'customer-profile');
    const a2p = bundle(body.A2PProfileBundleSid, 'A2PProfileBundleSid', res, 'trust-product');
    const soleProprietorBundles = profile.policySid === STARTER_PROFILE_POLICY && a2p.policySid === SOLE_PROPRIETOR_TRUST_PRODUCT_POLICY;
    const standardBundles = profile.policySid !== STARTER_PROFILE_POLICY && a2p.policySid === A2P_TRUST_PRODUCT_POLICY;
    if (brandType === 'SOLE_PROPRIETOR' ? !soleProprietorBundles : !standardBundles) {
      throw new TwilioApiError(
        400,
        20001,
        `A ${brandType} brand needs ${brandType === 'SOLE_PROPRIETOR' ? 'a starter customer profile and a sole proprietor' : 'a business customer profile and an A2P'} trust product.`,
      );
    }
    const now = iso8601(new Date());
    const brand: BrandRegistration = {
      sid: newSid('BN'),
      accountSid: authenticatedAccount(res).sid,
      customerProfileBundleSid: profile.sid,
      a2pProfileBundleSid: a2p.sid,
      brandType,
      mock: formFlag(body.Mock),
      skipAutomaticSecVet: formFlag(body.SkipAutomaticSecVet) || brandType === 'LOW_VOLUME_STANDARD',
      status: 'PENDING',
      tcrId: null,
      brandScore: null,
      brandFeedback: null,
      errors: [],
      attempts: 0,
      dateCreated: now,
      dateUpdated: now,
    };
    state.brands.set(brand.sid, brand);
    vetting.submitBrand(brand);
    res.status(201).json(brandJson(brand));
  });

  router.get('/v1/a2p/BrandRegistrations', (req, res) => {
    const mine = [...state.brands.values()].filter((b) => b.accountSid === authenticatedAccount(res).sid);
    res.json(v1Page(req, HOST, 'data', mine.map(brandJson)));
  });

  router.get('/v1/a2p/BrandRegistrations/:sid', (req, res) => void res.json(brandJson(own(req, res))));

  /** An update resubmits a FAILED brand once its profile data has been corrected (Twilio answers 202). */
  router.post('/v1/a2p/BrandRegistrations/:sid', (req, res) => {
    const brand = own(req, res);
    if (brand.status !== 'FAILED') throw new TwilioApiError(400, 20001, `Only a FAILED brand can be resubmitted; this one is ${brand.status}.`);
    vetting.submitBrand(brand);
    res.status(202).json(brandJson(brand));
  });

  router.post('/v1/a2p/BrandRegistrations/:brandSid/SmsOtp', (req, res) => {
    const brand = own(req, res, 'brandSid');
    if (brand.brandType !== 'SOLE_PROPRIETOR' || !brand.otp)
      throw new TwilioApiError(400, 20001, 'Only a registered sole proprietor brand awaiting verification gets an OTP.');
    vetting.resendOtp(brand);
    res.status(201).json({ account_sid: brand.accountSid, brand_registration_sid: brand.sid });
  });

  return router;
}
