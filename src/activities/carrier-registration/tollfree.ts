import { ApplicationFailure } from '@temporalio/common';
import type { TollfreeVerificationListInstanceCreateOptions, TollfreeVerificationOptInType } from 'twilio/lib/rest/messaging/v1/tollfreeVerification';
import type { ActivityDeps } from '../deps';
import type { OptInMethod, UseCase } from '../../domain/kyc-risk';
import { isTollFreeNumber } from '../../domain/toll-free';
import { RegistrationRefusal } from '../../workflows/carrier-registration/definitions';
import { judgedCampaignText } from './campaign-text';
import { tenantNumber } from './messaging';
import { callRegistration, recordRegistrationMade, registrationContext, required, type RegistrationContext } from './shared';

const OPT_IN_TYPE: Record<OptInMethod, TollfreeVerificationOptInType> = {
  web_form: 'WEB_FORM',
  paper_form: 'PAPER_FORM',
  keyword: 'VIA_TEXT',
  point_of_sale: 'PAPER_FORM',
  existing_customer: 'VERBAL',
  verbal: 'VERBAL',
  purchased_list: 'VERBAL',
};
const USE_CASE_CATEGORY: Partial<Record<UseCase, string>> = {
  appointment_reminders: 'ACCOUNT_NOTIFICATIONS',
  account_notifications: 'ACCOUNT_NOTIFICATIONS',
  delivery_notifications: 'DELIVERY_NOTIFICATIONS',
  marketing: 'MARKETING',
  customer_care: 'CUSTOMER_CARE',
  two_factor: 'TWO_FACTOR_AUTHENTICATION',
  polling: 'POLLING_AND_VOTING',
  public_service: 'PUBLIC_SERVICE_ANNOUNCEMENT',
};
/** Twilio's MessageVolume values: the smallest at or above the tenant's monthly volume. */
const VOLUMES = [10, 100, 1_000, 10_000, 100_000, 250_000, 500_000, 750_000, 1_000_000, 5_000_000];
const messageVolume = (monthly: number) => {
  const v = VOLUMES.find((x) => x >= monthly);
  return v === undefined ? '10,000,000+' : v.toLocaleString('en-US');
};

/** What a toll-free verification says about the tenant; an edit sends the same fields. */
export function tollfreeFields(ctx: RegistrationContext) {
  const kyc = required(ctx.kyc, 'a KYC submission');
  const text = judgedCampaignText(ctx);
  const { address: a, representative: r } = ctx.registration.details.business;
  const website = required(ctx.tenant.website ?? kyc.website, 'the business website');
  return {
    businessName: ctx.registration.details.business.legalName ?? ctx.tenant.business_name,
    businessWebsite: website,
    notificationEmail: ctx.tenant.contact_email,
    useCaseCategories: [USE_CASE_CATEGORY[kyc.useCase] ?? 'ACCOUNT_NOTIFICATIONS'],
    useCaseSummary: text.description,
    productionMessageSample: text.samples[0],
    optInImageUrls: [website],
    optInType: OPT_IN_TYPE[kyc.optInMethod],
    messageVolume: messageVolume(kyc.expectedMonthlyVolume),
    additionalInformation: text.messageFlow,
    businessStreetAddress: a.street,
    businessCity: a.city,
    businessStateProvinceRegion: a.region,
    businessPostalCode: a.postalCode,
    businessCountry: a.isoCountry,
    businessContactFirstName: r.firstName,
    businessContactLastName: r.lastName,
    businessContactEmail: r.email,
    businessContactPhone: r.phone,
  };
}

/** Toll-free verification of the tenant's toll-free number, instead of 10DLC. */
export function createTollfreeActivities(deps: ActivityDeps) {
  return {
    /** One verification per number: an earlier attempt's is found by the number's SID. */
    async ensureTollfreeVerification(tenantId: string): Promise<{ sid: string; status: string }> {
      const ctx = await registrationContext(deps, tenantId);
      const number = await tenantNumber(deps, tenantId);
      if (!isTollFreeNumber(number.phoneNumber))
        throw ApplicationFailure.nonRetryable(`${number.phoneNumber} is not a toll-free number`, RegistrationRefusal.NumberUnfit, {
          description: `${number.phoneNumber} is not toll-free: register it through 10DLC.`,
        });
      const verifications = ctx.client.messaging.v1.tollfreeVerifications;
      const fields = tollfreeFields(ctx);
      const stored = ctx.registration.sids.tollfree;
      if (stored) return { sid: stored, status: (await callRegistration('fetch verification', () => verifications(stored).fetch())).status };
      const found = (await callRegistration('list verifications', () => verifications.list({ tollfreePhoneNumberSid: number.phoneNumberSid, limit: 20 })))[0];
      const create: TollfreeVerificationListInstanceCreateOptions = { ...fields, tollfreePhoneNumberSid: number.phoneNumberSid, externalReferenceId: tenantId };
      const verification = found ?? (await callRegistration('submit toll-free verification', () => verifications.create(create)));
      await recordRegistrationMade(deps.db, tenantId, 'tollfree', verification.sid, { adopted: !!found, status: verification.status });
      return { sid: verification.sid, status: verification.status };
    },
  };
}
