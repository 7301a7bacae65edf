import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams, ownedBy } from '../context';
import { iso8601, newSid } from '../ids';
import { rateLimitsJson, throughputClass } from '../registration-magic';
import type { A2pCampaign, BrandRegistration } from '../registration-state';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import { v1Page } from '../v1-page';
import type { Vetting } from '../vetting';
import { formFlag, formList, formText } from '../form-values';

const HOST = 'messaging.twilio.com';

/** Twilio's A2P campaign use cases (Usa2p/Usecases), by the brand types that may register them. */
const STANDARD_USECASES: Array<[code: string, name: string, postApprovalRequired: boolean]> = [
  ['2FA', 'Two-Factor authentication (2FA)', false],
  ['ACCOUNT_NOTIFICATION', 'Account Notification', false],
  ['CUSTOMER_CARE', 'Customer Care', false],
  ['DELIVERY_NOTIFICATION', 'Delivery Notification', false],
  ['FRAUD_ALERT', 'Fraud Alert Messaging', false],
  ['HIGHER_EDUCATION', 'Higher Education', false],
  ['LOW_VOLUME', 'Low Volume Mixed', false],
  ['MARKETING', 'Marketing', false],
  ['MIXED', 'Mixed', false],
  ['POLLING_VOTING', 'Polling and voting', false],
  ['PUBLIC_SERVICE_ANNOUNCEMENT', 'Public Service Announcement', false],
  ['SECURITY_ALERT', 'Security Alert', false],
  ['CHARITY', 'Charity', false],
  ['AGENTS_FRANCHISES', 'Agents and Franchises', true],
  ['EMERGENCY', 'Emergency', true],
  ['K12_EDUCATION', 'K-12 Education', true],
  ['PROXY', 'Proxy', true],
  ['SOCIAL', 'Social', true],
  ['SWEEPSTAKE', 'Sweepstake', true],
];
const SOLE_PROPRIETOR_USECASES: typeof STANDARD_USECASES = [['SOLE_PROPRIETOR', 'Sole Proprietor', false]];
const usecasesFor = (brand: BrandRegistration | undefined) => (brand?.brandType === 'SOLE_PROPRIETOR' ? SOLE_PROPRIETOR_USECASES : STANDARD_USECASES);

/** Messaging Service use cases (Services/Usecases). */
const SERVICE_USECASES = ['notifications', 'marketing', 'verification', 'discussion', 'poll', 'undeclared'].map((usecase) => ({
  usecase,
  description: usecase,
  purpose: usecase,
}));

const between = (name: string, value: string | undefined, min: number, max: number) => {
  if (value === undefined || value.length < min || value.length > max) throw new TwilioApiError(400, 21727, `${name} must be ${min} to ${max} characters.`);
  return value;
};

/** What the create and the update both take, checked as Twilio documents each field. */
function campaignContent(body: Record<string, unknown>) {
  const str = (k: string) => (body[k] === undefined ? undefined : formText(body[k]));
  const samples = formList(body.MessageSamples);
  if (samples.length < 2 || samples.length > 5) throw new TwilioApiError(400, 21727, 'MessageSamples must hold 2 to 5 samples.');
  samples.forEach((s, i) => between(`MessageSamples[${i}]`, s, 20, 1024));
  for (const flag of ['HasEmbeddedLinks', 'HasEmbeddedPhone']) if (body[flag] === undefined) throw twilioErrors.missingParameter(flag);
  return {
    description: between('Description', str('Description'), 40, 4096),
    messageFlow: between('MessageFlow', str('MessageFlow'), 40, 2048),
    messageSamples: samples,
    hasEmbeddedLinks: formFlag(body.HasEmbeddedLinks),
    hasEmbeddedPhone: formFlag(body.HasEmbeddedPhone),
    ageGated: formFlag(body.AgeGated),
    directLending: formFlag(body.DirectLending),
    // Optional on both: an edit that leaves them out keeps them.
    ...(body.PrivacyPolicyUrl !== undefined ? { privacyPolicyUrl: formText(body.PrivacyPolicyUrl) } : {}),
    ...(body.TermsAndConditionsUrl !== undefined ? { termsAndConditionsUrl: formText(body.TermsAndConditionsUrl) } : {}),
  };
}

/**
 * Messaging v1 Services/{sid}/Compliance/Usa2p (UsAppToPerson: an A2P 10DLC campaign on a
 * Messaging Service) and the use-case lists. A campaign needs an APPROVED brand (21717) and a
 * use case that brand may register (21720); TCR's verdict comes later (vetting.ts).
 */
export function a2pCampaignRoutes(ctx: SandboxContext, vetting: Vetting): Router {
  const router = Router();
  const state = ctx.store.registrations;
  const service = (req: Request, res: Response) =>
    ownedBy(ctx.store.messagingServices, authenticatedAccount(res).sid, req.params.serviceSid as string, 'Services');

  const json = (c: A2pCampaign) => {
    const brand = state.brands.get(c.brandRegistrationSid);
    return {
      sid: c.sid,
      account_sid: c.accountSid,
      brand_registration_sid: c.brandRegistrationSid,
      messaging_service_sid: c.messagingServiceSid,
      description: c.description,
      message_samples: c.messageSamples,
      us_app_to_person_usecase: c.usecase,
      has_embedded_links: c.hasEmbeddedLinks,
      has_embedded_phone: c.hasEmbeddedPhone,
      subscriber_opt_in: c.subscriberOptIn,
      age_gated: c.ageGated,
      direct_lending: c.directLending,
      campaign_status: c.status,
      campaign_id: c.campaignId,
      is_externally_registered: false,
      rate_limits: brand?.status === 'APPROVED' ? rateLimitsJson(throughputClass(brand.brandType, brand.brandScore)) : null,
      message_flow: c.messageFlow,
      opt_in_message: c.optInMessage,
      opt_out_message: c.optOutMessage,
      help_message: c.helpMessage,
      opt_in_keywords: c.optInKeywords,
      opt_out_keywords: c.optOutKeywords,
      help_keywords: c.helpKeywords,
      date_created: iso8601(c.dateCreated),
      date_updated: iso8601(c.dateUpdated),
      url: `https://${HOST}/v1/Services/${c.messagingServiceSid}/Compliance/Usa2p/${c.sid}`,
      mock: brand?.mock ?? false,
      errors: c.errors,
      privacy_policy_url: c.privacyPolicyUrl,
      terms_and_conditions_url: c.termsAndConditionsUrl,
    };
  };

  router.get('/v1/Services/Usecases', (_req, res) => void res.json({ usecases: SERVICE_USECASES }));

  router.get('/v1/Services/:serviceSid/Compliance/Usa2p/Usecases', (req, res) => {
    service(req, res);
    const sid = (req.query as Record<string, string | undefined>).BrandRegistrationSid;
    const brand = sid ? state.brands.get(sid) : undefined;
    if (sid && (!brand || brand.accountSid !== authenticatedAccount(res).sid)) throw twilioErrors.notFound(`/a2p/BrandRegistrations/${sid}`);
    res.json({ us_app_to_person_usecases: usecasesFor(brand).map(([code, name, post]) => ({ code, name, description: name, post_approval_required: post })) });
  });

  router.post('/v1/Services/:serviceSid/Compliance/Usa2p', (req, res) => {
    const s = service(req, res);
    const body = formParams(req) as Record<string, unknown>;
    const brandSid = formText(body.BrandRegistrationSid);
    const brand = state.brands.get(brandSid);
    if (!brand || brand.accountSid !== s.accountSid || brand.status !== 'APPROVED') {
      throw new TwilioApiError(400, 21717, `The Brand Registration SID ${brandSid} is not registered (APPROVED) or not valid for this use case.`);
    }
    const usecase = formText(body.UsAppToPersonUsecase);
    if (!usecasesFor(brand).some(([code]) => code === usecase)) throw new TwilioApiError(400, 21720, `The A2P use case ${usecase} is invalid for this brand.`);
    const message = (k: string) => (body[k] === undefined ? null : between(k, formText(body[k]), 20, 320));
    const keywords = (k: string) => formList(body[k]);
    if (keywords('OptInKeywords').length && body.OptInMessage === undefined) throw twilioErrors.missingParameter('OptInMessage');
    const now = iso8601(new Date());
    const campaign: A2pCampaign = {
      sid: newSid('QE'),
      accountSid: s.accountSid,
      messagingServiceSid: s.sid,
      brandRegistrationSid: brand.sid,
      usecase,
      privacyPolicyUrl: null,
      termsAndConditionsUrl: null,
      ...campaignContent(body),
      subscriberOptIn: formFlag(body.SubscriberOptIn),
      optInMessage: message('OptInMessage'),
      optOutMessage: message('OptOutMessage'),
      helpMessage: message('HelpMessage'),
      optInKeywords: keywords('OptInKeywords'),
      optOutKeywords: keywords('OptOutKeywords').length ? keywords('OptOutKeywords') : ['STOP'],
      helpKeywords: keywords('HelpKeywords').length ? keywords('HelpKeywords') : ['HELP'],
      status: 'IN_PROGRESS',
      campaignId: null,
      errors: [],
      dateCreated: now,
      dateUpdated: now,
    };
    state.campaigns.set(campaign.sid, campaign);
    vetting.submitCampaign(campaign);
    res.status(201).json(json(campaign));
  });

  router.get('/v1/Services/:serviceSid/Compliance/Usa2p', (req, res) => {
    const sid = service(req, res).sid;
    res.json(v1Page(req, HOST, 'compliance', [...state.campaigns.values()].filter((c) => c.messagingServiceSid === sid).map(json)));
  });

  const campaignOf = (req: Request, res: Response) => {
    const c = state.campaigns.get(req.params.sid as string);
    if (!c || c.messagingServiceSid !== service(req, res).sid) throw twilioErrors.notFound(`/Compliance/Usa2p/${String(req.params.sid)}`);
    return c;
  };

  router.get('/v1/Services/:serviceSid/Compliance/Usa2p/:sid', (req, res) => void res.json(json(campaignOf(req, res))));

  /** An edit resubmits the campaign for vetting (Twilio: edit a FAILED campaign and resubmit). */
  router.post('/v1/Services/:serviceSid/Compliance/Usa2p/:sid', (req, res) => {
    const campaign = campaignOf(req, res);
    if (campaign.status === 'IN_PROGRESS') throw new TwilioApiError(400, 20001, 'A campaign under review cannot be edited.');
    Object.assign(campaign, campaignContent(formParams(req) as Record<string, unknown>));
    vetting.submitCampaign(campaign);
    res.json(json(campaign));
  });

  router.delete('/v1/Services/:serviceSid/Compliance/Usa2p/:sid', (req, res) => {
    state.campaigns.delete(campaignOf(req, res).sid);
    ctx.store.changed();
    res.status(204).end();
  });

  return router;
}
