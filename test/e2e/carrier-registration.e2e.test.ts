import type { WorkflowHandle } from '@temporalio/client';
import { registrationOf, saveRegistrationDetails } from '../../src/db/carrier-registrations';
import { tenantSubaccount } from '../../src/db/tenant-credentials';
import type { KycSubmission } from '../../src/domain/kyc-risk';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import {
  registrationStateQuery,
  resubmitRegistrationUpdate,
  startRegistrationOptions,
  type BrandType,
  type RegistrationDetails,
  type RegistrationKind,
  type RegistrationPhase,
} from '../../src/workflows/carrier-registration/definitions';
import { carrierRegistration } from '../../src/workflows/carrier-registration/workflow';
import { RegistrationStateAttribute } from '../../src/workflows/search-attributes';
import { recordHistoryIfAsked } from '../support/histories';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';
import { eventually } from '../support/eventually';
import { ONE_10DLC_REGISTRATION } from '../support/registration';

/**
 * Carrier registration end to end (issue 14): the real worker runs carrierRegistration
 * against the sandbox's Trust Hub, brands, campaigns and toll-free verification, on this
 * run's Temporal and PostgreSQL. Reviews take half a second; the workflow polls every
 * 200 ms to 1 s.
 */
describe('carrier registration against the sandbox', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ sandbox: { vettingMs: 500 } });
  });
  afterAll(() => p.close());

  const kyc = (description = 'Appointment reminders and account notices for patients who booked online.'): KycSubmission => ({
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
  const details = (ein: string): RegistrationDetails => ({
    business: {
      ein,
      businessType: 'Limited Liability Corporation',
      industry: 'HEALTHCARE',
      companyType: 'private',
      address: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94103', isoCountry: 'US' },
      representative: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme-dental.example.com', phone: '+14155550100', title: 'CEO' },
    },
  });

  /** A tenant with its subaccount, a number, its KYC and its registration details. */
  async function registeringTenant(opts: { kind: RegistrationKind; brandType?: BrandType; ein: string; kyc?: KycSubmission }) {
    const tenant = await activeTenant(p, { name: 'Acme Dental LLC' });
    if (opts.kind === 'tollfree') {
      const sub = (await tenantSubaccount(p.api.db, createTwilioClientFactory(p.config), tenant.id))!;
      const client = sub.client();
      const [available] = await client.availablePhoneNumbers('US').tollFree.list({ limit: 1 });
      const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber });
      await p.api.db('tenant_phone_numbers').where({ tenant_id: tenant.id }).update({ released_at: p.api.db.fn.now() });
      await p.api.db('tenant_phone_numbers').insert({
        phone_number_sid: number.sid,
        tenant_id: tenant.id,
        subaccount_sid: sub.subaccountSid,
        phone_number: number.phoneNumber,
        sms_url: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
      });
    }
    await p.api.db('kyc_submissions').insert({ tenant_id: tenant.id, submission: JSON.stringify(opts.kyc ?? kyc()) });
    await saveRegistrationDetails(p.api.db, { tenantId: tenant.id, kind: opts.kind, brandType: opts.brandType, details: details(opts.ein) });
    const handle = await p.api.temporal.workflow.start(
      carrierRegistration,
      startRegistrationOptions(
        {
          tenantId: tenant.id,
          kind: opts.kind,
          brandType: opts.brandType,
          timings: { pollInitialMs: 200, pollMaxMs: 1_000, giveUpAfterMs: 120_000, activityTimeoutMs: 15_000 },
        },
        p.config.TEMPORAL_TASK_QUEUE,
      ),
    );
    return { tenant, handle };
  }
  const atPhase = (handle: WorkflowHandle, phase: RegistrationPhase) => {
    let last: RegistrationPhase | undefined;
    return eventually(
      async () => {
        const s = await handle.query(registrationStateQuery);
        last = s.phase;
        return s.phase === phase ? s : undefined;
      },
      { timeoutMs: 90_000, describe: `registration at ${phase}`, detail: () => `at ${last}` },
    );
  };
  const counts = async (accountSid: string) =>
    (await p.sandbox.control(`/__sandbox/registrations?accountSid=${accountSid}`)).body.counts as Record<string, number>;

  it('takes a standard 10DLC tenant to a VERIFIED campaign, one of each resource, the number in the Service', async () => {
    const { tenant, handle } = await registeringTenant({ kind: '10dlc', brandType: 'STANDARD', ein: '12-3456789' });
    const done = await handle.result();
    expect(done).toMatchObject({ phase: 'approved', reasons: [], rateLimits: { att: { mps: 75, msg_class: 'A' }, tmobile: { brand_tier: 'TOP' } } });
    expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'campaign_review', 'approved']);
    expect((await handle.describe()).typedSearchAttributes.get(RegistrationStateAttribute)).toBe('approved');

    const stored = (await registrationOf(p.api.db, tenant.id))!;
    expect(stored).toMatchObject({
      state: 'approved',
      statuses: { customerProfile: 'twilio-approved', trustProduct: 'twilio-approved', brand: 'APPROVED', campaign: 'VERIFIED' },
    });
    const accountSid = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(accountSid)).toEqual(ONE_10DLC_REGISTRATION);
    const client = (await tenantSubaccount(p.api.db, createTwilioClientFactory(p.config), tenant.id))!.client();
    const service = await client.messaging.v1.services(stored.sids.messagingService!).fetch();
    expect(service).toMatchObject({
      inboundRequestUrl: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
      statusCallback: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
      usAppToPersonRegistered: true,
    });
    expect((await client.messaging.v1.services(service.sid).phoneNumbers.list()).map((n) => n.phoneNumber)).toEqual([tenant.from]);
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'approved');
  });

  it('shows a failed brand’s reasons, refuses a malformed correction, and approves the corrected resubmission', async () => {
    const { tenant, handle } = await registeringTenant({ kind: '10dlc', brandType: 'STANDARD', ein: '000000001' });
    const failed = await atPhase(handle, 'brand_failed');
    expect(failed.reasons).toEqual([expect.objectContaining({ code: 30799 })]);
    await expect(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: 'not an EIN' } }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/9 digits/) },
    });
    await handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-3456789' } }] });
    const done = await handle.result();
    expect(done.phase).toBe('approved');
    expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'brand_failed', 'brand_review', 'campaign_review', 'approved']);
    const stored = (await registrationOf(p.api.db, tenant.id))!;
    expect(stored.details.business.ein).toBe('12-3456789');
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ customerProfiles: 1, trustProducts: 1, endUsers: 3, brands: 1, messagingServices: 1, campaigns: 1 });
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'brand-failed-resubmitted');
  });

  it('verifies a toll-free number; a rejection that may be edited is corrected and approved', async () => {
    const { tenant, handle } = await registeringTenant({
      kind: 'tollfree',
      ein: '12-3456789',
      kyc: kyc('Appointment reminders for patients who booked online. sandbox-reject-30513'),
    });
    const rejected = await atPhase(handle, 'tollfree_failed');
    expect(rejected.reasons).toEqual([expect.objectContaining({ code: 30513 })]);
    await handle.executeUpdate(resubmitRegistrationUpdate, {
      args: [{ campaign: { description: 'Appointment reminders for patients who ticked an unticked SMS box when booking online.' } }],
    });
    expect((await handle.result()).phase).toBe('approved');
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ tollfreeVerifications: 1, brands: 0, customerProfiles: 0 });
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'tollfree-rejected-edited');
  });
});
