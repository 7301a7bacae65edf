import { saveRegistrationDetails } from '../../src/db/carrier-registrations';
import { tenantSubaccount } from '../../src/db/tenant-credentials';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import type { KycSubmission } from '../../src/domain/kyc-risk';
import {
  registrationStateQuery,
  startRegistrationOptions,
  type BrandType,
  type CarrierRegistrationState,
  type RegistrationDetails,
  type RegistrationKind,
  type RegistrationTimings,
} from '../../src/workflows/carrier-registration/definitions';
import { carrierRegistration } from '../../src/workflows/carrier-registration/workflow';
import { eventually } from './eventually';
import { activeTenant, type PlatformHarness } from './platform';

/**
 * A tenant registering with its carrier: active (subaccount and number), its KYC and its
 * registration details stored, the carrierRegistration workflow started on the test's
 * Temporal. Magic inputs (README, "Carrier registration (sandbox)") pick the outcome: EIN
 * 000000001 fails the brand with 30799, a sole proprietor's brand waits for its OTP.
 */

export const registrationKyc = (description = 'Appointment reminders and account notices for patients who booked online.'): KycSubmission => ({
  businessName: 'Acme Dental LLC',
  website: 'https://acme-dental.example.com',
  contactEmail: 'owner@tenant.example',
  useCase: 'appointment_reminders',
  useCaseDescription: description,
  optInMethod: 'web_form',
  expectedMonthlyVolume: 5_000,
  destinationCountries: ['US'],
  sampleMessages: [
    'Acme Dental: your appointment is tomorrow at 10:00. Reply STOP to opt out.',
    'Acme Dental: your cleaning is due next month. Reply HELP for help, STOP to stop.',
  ],
});

export const registrationDetails = (opts: { ein?: string; mobile?: string } = {}): RegistrationDetails => ({
  business: {
    ein: opts.ein ?? '12-3456789',
    ...(opts.mobile ? { mobile: opts.mobile } : {}),
    businessType: 'Limited Liability Corporation',
    industry: 'HEALTHCARE',
    companyType: 'private',
    address: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94103', isoCountry: 'US' },
    representative: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme-dental.example.com', phone: '+14155550100', title: 'CEO' },
  },
});

/** Polls every 200 ms to 1 s; a Twilio call may take `activityTimeoutMs` before it is retried. */
export const FAST_REGISTRATION: RegistrationTimings = { pollInitialMs: 200, pollMaxMs: 1_000, giveUpAfterMs: 120_000, activityTimeoutMs: 15_000 };

export interface RegisteringOptions {
  kind?: RegistrationKind;
  brandType?: BrandType;
  ein?: string;
  mobile?: string;
  /** The tenant's KYC submission (default registrationKyc()). */
  kyc?: KycSubmission;
  timings?: RegistrationTimings;
}

/** The tenant's local number released and a toll-free one bought in its place (toll-free verification registers it). */
async function swapToTollfreeNumber(p: PlatformHarness, tenantId: string) {
  const sub = (await tenantSubaccount(p.api.db, createTwilioClientFactory(p.config), tenantId))!;
  const client = sub.client();
  const [available] = await client.availablePhoneNumbers('US').tollFree.list({ limit: 1 });
  const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber });
  await p.api.db('tenant_phone_numbers').where({ tenant_id: tenantId }).update({ released_at: p.api.db.fn.now() });
  await p.api.db('tenant_phone_numbers').insert({
    phone_number_sid: number.sid,
    tenant_id: tenantId,
    subaccount_sid: sub.subaccountSid,
    phone_number: number.phoneNumber,
    sms_url: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
  });
}

/** Everything a registration needs, stored; `start()` starts its workflow (a test may set sandbox faults for `accountSid` first). */
export async function preparedRegistration(p: PlatformHarness, opts: RegisteringOptions = {}) {
  const kind = opts.kind ?? '10dlc';
  const brandType = kind === '10dlc' ? (opts.brandType ?? 'STANDARD') : undefined;
  const tenant = await activeTenant(p, { name: 'Acme Dental LLC' });
  if (kind === 'tollfree') await swapToTollfreeNumber(p, tenant.id);
  await p.api.db('kyc_submissions').insert({ tenant_id: tenant.id, submission: JSON.stringify(opts.kyc ?? registrationKyc()) });
  await saveRegistrationDetails(p.api.db, { tenantId: tenant.id, kind, brandType, details: registrationDetails(opts) });
  const { subaccount_sid: accountSid } = await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>();
  const start = async () => {
    const handle = await p.api.temporal.workflow.start(
      carrierRegistration,
      startRegistrationOptions({ tenantId: tenant.id, kind, brandType, timings: opts.timings ?? FAST_REGISTRATION }, p.config.TEMPORAL_TASK_QUEUE),
    );
    const atPhase = (phase: CarrierRegistrationState['phase'], timeoutMs = 60_000) => {
      let last: string | undefined;
      return eventually(
        async () => {
          const s = await handle.query(registrationStateQuery);
          last = s.phase;
          return s.phase === phase ? s : undefined;
        },
        { timeoutMs, describe: `registration of tenant ${tenant.id} at ${phase}`, detail: () => `at ${last}` },
      );
    };
    return { handle, atPhase };
  };
  return { tenant, accountSid, start };
}

/** A tenant whose registration has started. */
export async function registeringTenant(p: PlatformHarness, opts: RegisteringOptions = {}) {
  const prepared = await preparedRegistration(p, opts);
  return { ...prepared, ...(await prepared.start()) };
}

/** The sandbox's count of each registration resource in one account. */
export async function registrationCounts(p: PlatformHarness, accountSid: string): Promise<Record<string, number>> {
  return (await p.sandbox.control(`/__sandbox/registrations?accountSid=${accountSid}`)).body.counts as Record<string, number>;
}
