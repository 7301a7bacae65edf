import pino from 'pino';
import { createCarrierRegistrationActivities } from '../../src/activities/carrier-registration';
import { REGISTRATION_RESOURCES, registrationOf, type RegistrationResource } from '../../src/db/carrier-registrations';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { platformHarness, type PlatformHarness } from '../support/platform';
import { preparedRegistration, registrationCounts } from '../support/registering-tenant';
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
    const { tenant, accountSid } = await preparedRegistration(p);
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

    expect(await registrationCounts(p, accountSid)).toEqual(ONE_10DLC_REGISTRATION);
  });
});
