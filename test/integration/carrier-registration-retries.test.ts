import pino from 'pino';
import { createCarrierRegistrationActivities } from '../../src/activities/carrier-registration';
import { REGISTRATION_RESOURCES, registrationOf, saveRegistrationDetails, type RegistrationResource } from '../../src/db/carrier-registrations';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { ONE_10DLC_REGISTRATION } from '../support/registration';

/**
 * Each registration step run again after an attempt that died between Twilio's answer and
 * the SID being stored (the stored SID is wiped to play that) finds what the first attempt
 * made: the sandbox ledger holds one of each. The worker SIGKILL tests the issue asks for
 * build on this.
 */
describe('carrier registration steps retried after a lost answer', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, sandbox: { vettingMs: 200 } });
  });
  afterAll(() => p.close());

  it('makes one profile, trust product, brand, Service and campaign however often each step runs', async () => {
    const tenant = await activeTenant(p, { name: 'Acme Dental LLC' });
    await p.api.db('kyc_submissions').insert({
      tenant_id: tenant.id,
      submission: JSON.stringify({
        businessName: 'Acme Dental LLC',
        website: 'https://acme-dental.example.com',
        contactEmail: 'owner@tenant.example',
        useCase: 'appointment_reminders',
        useCaseDescription: 'Appointment reminders for patients who booked online.',
        optInMethod: 'web_form',
        expectedMonthlyVolume: 5_000,
        destinationCountries: ['US'],
        sampleMessages: [
          'Acme Dental: your appointment is tomorrow at 10:00. Reply STOP to opt out.',
          'Acme Dental: your cleaning is due next month. Reply STOP to stop.',
        ],
      }),
    });
    await saveRegistrationDetails(p.api.db, {
      tenantId: tenant.id,
      kind: '10dlc',
      brandType: 'STANDARD',
      details: {
        business: {
          ein: '12-3456789',
          address: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94103', isoCountry: 'US' },
          representative: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme-dental.example.com', phone: '+14155550100', title: 'CEO' },
        },
      },
    });
    const acts = createCarrierRegistrationActivities({
      db: p.api.db,
      twilio: createTwilioClientFactory(p.config),
      clock: () => new Date(),
      log: pino({ level: 'silent' }),
      config: p.config,
    });
    const forget = (resource: RegistrationResource) =>
      p.api
        .db('carrier_registrations')
        .where({ tenant_id: tenant.id })
        .update({ [REGISTRATION_RESOURCES[resource]]: null });
    /** Runs a step, forgets what it stored, runs it again: the second run must find the first's resource. */
    async function twice<T extends { sid: string }>(resource: RegistrationResource, run: () => Promise<T>) {
      const first = await run();
      await forget(resource);
      const second = await run();
      expect(second.sid).toBe(first.sid);
      expect((await registrationOf(p.api.db, tenant.id))!.sids[resource]).toBe(first.sid);
    }
    await twice('customerProfile', () => acts.ensureCustomerProfile(tenant.id));
    await twice('trustProduct', () => acts.ensureTrustProduct(tenant.id));
    await twice('brand', () => acts.ensureBrandRegistration(tenant.id));
    await until(async () => (await acts.readRegistrationStatus({ tenantId: tenant.id, kind: 'brand' })).outcome === 'approved');
    await twice('messagingService', () => acts.ensureMessagingService(tenant.id));
    await twice('campaign', () => acts.ensureA2pCampaign(tenant.id));

    const { subaccount_sid: accountSid } = await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>();
    const { body } = await p.sandbox.control(`/__sandbox/registrations?accountSid=${accountSid}`);
    expect(body.counts).toEqual(ONE_10DLC_REGISTRATION);
  });
});
