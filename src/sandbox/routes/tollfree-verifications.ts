import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams } from '../context';
import { iso8601, newSid } from '../ids';
import type { TollfreeVerification } from '../registration-state';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import { v1Page } from '../v1-page';
import type { Vetting } from '../vetting';
import { formFlag, formList, formText } from '../form-values';

const HOST = 'messaging.twilio.com';
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The submitted fields: request parameter, JSON name, and whether it is a list or a flag. */
const FIELDS: Array<[param: string, json: string, kind?: 'list' | 'flag']> = [
  ['BusinessName', 'business_name'],
  ['BusinessWebsite', 'business_website'],
  ['NotificationEmail', 'notification_email'],
  ['UseCaseCategories', 'use_case_categories', 'list'],
  ['UseCaseSummary', 'use_case_summary'],
  ['ProductionMessageSample', 'production_message_sample'],
  ['OptInImageUrls', 'opt_in_image_urls', 'list'],
  ['OptInType', 'opt_in_type'],
  ['MessageVolume', 'message_volume'],
  ['CustomerProfileSid', 'customer_profile_sid'],
  ['BusinessStreetAddress', 'business_street_address'],
  ['BusinessStreetAddress2', 'business_street_address2'],
  ['BusinessCity', 'business_city'],
  ['BusinessStateProvinceRegion', 'business_state_province_region'],
  ['BusinessPostalCode', 'business_postal_code'],
  ['BusinessCountry', 'business_country'],
  ['AdditionalInformation', 'additional_information'],
  ['BusinessContactFirstName', 'business_contact_first_name'],
  ['BusinessContactLastName', 'business_contact_last_name'],
  ['BusinessContactEmail', 'business_contact_email'],
  ['BusinessContactPhone', 'business_contact_phone'],
  ['ExternalReferenceId', 'external_reference_id'],
  ['BusinessRegistrationNumber', 'business_registration_number'],
  ['BusinessRegistrationAuthority', 'business_registration_authority'],
  ['BusinessRegistrationCountry', 'business_registration_country'],
  ['BusinessType', 'business_type'],
  ['BusinessRegistrationPhoneNumber', 'business_registration_phone_number'],
  ['DoingBusinessAs', 'doing_business_as'],
  ['OptInConfirmationMessage', 'opt_in_confirmation_message'],
  ['HelpMessageSample', 'help_message_sample'],
  ['PrivacyPolicyUrl', 'privacy_policy_url'],
  ['TermsAndConditionsUrl', 'terms_and_conditions_url'],
  ['AgeGatedContent', 'age_gated_content', 'flag'],
  ['OptInKeywords', 'opt_in_keywords', 'list'],
  ['VettingProvider', 'vetting_provider'],
  ['VettingId', 'vetting_id'],
];

function detailsFrom(body: Record<string, unknown>, into: TollfreeVerification['details'] = {}) {
  for (const [param, json, kind] of FIELDS) {
    const v = body[param];
    if (v === undefined) continue;
    into[json] = kind === 'list' ? formList(v) : kind === 'flag' ? formFlag(v) : formText(v);
  }
  if (typeof into.notification_email === 'string' && !EMAIL.test(into.notification_email))
    throw twilioErrors.invalidParameter('NotificationEmail', into.notification_email);
  if (Array.isArray(into.opt_in_image_urls) && !into.opt_in_image_urls.every((u) => /^https?:\/\//.test(u)))
    throw twilioErrors.invalidParameter('OptInImageUrls', into.opt_in_image_urls.join(','));
  return into;
}

function verificationJson(v: TollfreeVerification) {
  const url = `https://${HOST}/v1/Tollfree/Verifications/${v.sid}`;
  return {
    sid: v.sid,
    account_sid: v.accountSid,
    date_created: iso8601(v.dateCreated),
    date_updated: iso8601(v.dateUpdated),
    regulated_item_sid: null,
    trust_product_sid: null,
    ...v.details,
    tollfree_phone_number_sid: v.tollfreePhoneNumberSid,
    tollfree_phone_number: v.tollfreePhoneNumber,
    status: v.status,
    url,
    rejection_reason: v.rejection?.reason ?? null,
    error_code: v.rejection?.errorCode ?? null,
    edit_allowed: v.rejection ? v.rejection.editAllowed : null,
    edit_expiration: v.rejection?.editAllowed ? v.rejection.editExpiration : null,
    rejection_reasons: v.rejection ? [{ code: v.rejection.errorCode, reason: v.rejection.reason }] : null,
    resource_links: {
      customer_profile: v.details.customer_profile_sid ? `https://trusthub.twilio.com/v1/CustomerProfiles/${String(v.details.customer_profile_sid)}` : null,
    },
  };
}

/**
 * Messaging v1 Tollfree/Verifications: a toll-free number's verification, PENDING_REVIEW →
 * IN_REVIEW → TWILIO_APPROVED or TWILIO_REJECTED (`sandbox-reject-<code>` in the submitted
 * text picks a rejection). A rejected verification may be edited and resubmitted within its
 * edit window unless the rejection is final; creating twice creates two.
 */
export function tollfreeVerificationRoutes(ctx: SandboxContext, vetting: Vetting): Router {
  const router = Router();
  const state = ctx.store.registrations;

  const own = (req: Request, res: Response) => {
    const v = state.tollfree.get(req.params.sid as string);
    if (!v || v.accountSid !== authenticatedAccount(res).sid) throw twilioErrors.notFound(`/Tollfree/Verifications/${String(req.params.sid)}`);
    return v;
  };

  router.post('/v1/Tollfree/Verifications', (req, res) => {
    const account = authenticatedAccount(res);
    const body = formParams(req) as Record<string, unknown>;
    const required = [
      'BusinessName',
      'BusinessWebsite',
      'NotificationEmail',
      'UseCaseCategories',
      'UseCaseSummary',
      'ProductionMessageSample',
      'OptInImageUrls',
      'OptInType',
      'MessageVolume',
      'TollfreePhoneNumberSid',
    ];
    for (const name of required) if (body[name] === undefined || body[name] === '') throw twilioErrors.missingParameter(name);
    const numberSid = formText(body.TollfreePhoneNumberSid);
    const number = ctx.store.numbers.get(numberSid);
    if (!number || number.accountSid !== account.sid) throw twilioErrors.invalidParameter('TollfreePhoneNumberSid', numberSid);
    if (!TOLL_FREE.test(number.phoneNumber)) throw new TwilioApiError(400, 20001, `Phone number ${number.phoneNumber} is not a toll-free number.`);
    const now = iso8601(new Date());
    const verification: TollfreeVerification = {
      sid: newSid('HH'),
      accountSid: account.sid,
      tollfreePhoneNumberSid: number.sid,
      tollfreePhoneNumber: number.phoneNumber,
      status: 'PENDING_REVIEW',
      details: detailsFrom(body),
      rejection: null,
      dateCreated: now,
      dateUpdated: now,
    };
    state.tollfree.set(verification.sid, verification);
    vetting.submitTollfree(verification);
    res.status(201).json(verificationJson(verification));
  });

  router.get('/v1/Tollfree/Verifications', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const mine = [...state.tollfree.values()].filter(
      (v) =>
        v.accountSid === authenticatedAccount(res).sid &&
        (!q.TollfreePhoneNumberSid || v.tollfreePhoneNumberSid === q.TollfreePhoneNumberSid) &&
        (!q.Status || v.status === q.Status) &&
        (!q.ExternalReferenceId || v.details.external_reference_id === q.ExternalReferenceId),
    );
    res.json(v1Page(req, HOST, 'verifications', mine.map(verificationJson)));
  });

  router.get('/v1/Tollfree/Verifications/:sid', (req, res) => void res.json(verificationJson(own(req, res))));

  /** An edit of a rejected verification, inside its edit window, goes back to review (Twilio answers 202). */
  router.post('/v1/Tollfree/Verifications/:sid', (req, res) => {
    const v = own(req, res);
    const editable = v.status === 'TWILIO_REJECTED' && v.rejection?.editAllowed && Date.parse(v.rejection.editExpiration) > Date.now();
    if (!editable)
      throw new TwilioApiError(
        400,
        20001,
        `This verification is ${v.status}${v.status === 'TWILIO_REJECTED' ? ' and may no longer be edited' : ''}; only a rejected one inside its edit window can be edited.`,
      );
    detailsFrom(formParams(req), v.details);
    vetting.submitTollfree(v);
    res.status(202).json(verificationJson(v));
  });

  router.delete('/v1/Tollfree/Verifications/:sid', (req, res) => {
    state.tollfree.delete(own(req, res).sid);
    ctx.store.changed();
    res.status(204).end();
  });

  return router;
}
