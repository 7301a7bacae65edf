import { registrationOf, type RegistrationResource } from '../../src/db/carrier-registrations';
import { eventually } from '../support/eventually';
import { platformHarness, type PlatformHarness } from '../support/platform';
import { FAST_REGISTRATION, preparedRegistration, registrationCounts } from '../support/registering-tenant';
import { ONE_10DLC_REGISTRATION } from '../support/registration';
import { spawnWorker, type ServiceChild } from '../support/worker-process';

/** Where each tenant's registration is caught: the submission's create call, and the sandbox count that shows Twilio made it. */
interface Catch {
  resource: RegistrationResource;
  pathEndsWith: string;
  counted: string;
}
// The ones behind reviews first: a campaign is submitted only after the profile, trust product and brand are approved.
const LATE: Catch[] = [
  { resource: 'campaign', pathEndsWith: '/Compliance/Usa2p', counted: 'campaigns' },
  { resource: 'messagingService', pathEndsWith: '/v1/Services', counted: 'messagingServices' },
  { resource: 'brand', pathEndsWith: '/v1/a2p/BrandRegistrations', counted: 'brands' },
];
const EARLY: Catch[] = [
  { resource: 'trustProduct', pathEndsWith: '/v1/TrustProducts', counted: 'trustProducts' },
  { resource: 'customerProfile', pathEndsWith: '/v1/CustomerProfiles', counted: 'customerProfiles' },
  { resource: 'tollfree', pathEndsWith: '/v1/Tollfree/Verifications', counted: 'tollfreeVerifications' },
];
type Prepared = Catch & Awaited<ReturnType<typeof preparedRegistration>>;

/**
 * Exactly one of each registration resource when the worker process is SIGKILLed during each
 * submission (issue 14): customer profile, trust product, brand, Messaging Service, A2P campaign
 * and toll-free verification. Six tenants, each caught at one submission: the sandbox makes the
 * resource and holds Twilio's answer back, so the SID never reaches clearsend. When all six calls
 * are in flight the worker is killed, and a new worker's retries must find what the dead one made.
 * One kill for all six: a killed call is retried only once its attempt times out (these
 * activities do not heartbeat), so each kill costs a time-out and a worker start (about 25 s
 * here), and six kills one after another took 137 s.
 * Attempts time out after 20 s: long enough that no caught call is retried before the kill (the
 * six are caught within about 11 s of each other on a loaded 2-core machine).
 */
describe('carrier registration survives its worker being SIGKILLed during each submission', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, sandbox: { vettingMs: 200 } });
  });
  afterAll(() => p.close());

  /** Twilio does the work of this account's `POST …pathEndsWith`, and its answer leaves 25 s later. */
  const holdAnswer = (accountSid: string, pathEndsWith: string) =>
    p.sandbox.control('/__sandbox/faults', { body: { responseDelayMs: 25_000, accountSid, only: { method: 'POST', pathEndsWith } } });
  const timings = { ...FAST_REGISTRATION, pollInitialMs: 100, pollMaxMs: 500, activityTimeoutMs: 20_000 };

  it('ends with one profile, trust product, brand, Service, campaign and toll-free verification each', async () => {
    let worker: ServiceChild = spawnWorker(p.config);
    try {
      const prepare = (c: Catch) => preparedRegistration(p, { kind: c.resource === 'tollfree' ? 'tollfree' : '10dlc', timings }).then((r) => ({ ...c, ...r }));
      // One at a time: tenants made together would race for the same sandbox number.
      const late: Prepared[] = [];
      for (const c of LATE) late.push(await prepare(c));
      const early: Prepared[] = [];
      for (const c of EARLY) early.push(await prepare(c));
      await worker.ready;
      const caught = async (group: Prepared[]) => {
        for (const c of group) if ((await registrationCounts(p, c.accountSid))[c.counted] < 1) return false;
        return true;
      };
      const start = async (group: Prepared[]) => {
        for (const c of group) await holdAnswer(c.accountSid, c.pathEndsWith);
        return Promise.all(group.map(async (c) => ({ ...c, ...(await c.start()) })));
      };
      const showWorker = (err: unknown) => {
        throw new Error(`${String(err)}\nworker said:\n${worker.output.slice(-15).join('\n')}`);
      };

      // The late three first; the early three once the late ones have brands (the campaign tenant's is
      // not caught), so that all six are caught within a few seconds of each other.
      const registrations = await start(late);
      const campaignTenant = late.find((c) => c.resource === 'campaign')!;
      await eventually(async () => (await registrationCounts(p, campaignTenant.accountSid)).brands > 0, {
        timeoutMs: 60_000,
        describe: 'the late tenants’ brands made',
      }).catch(showWorker);
      registrations.push(...(await start(early)));
      await eventually(() => caught(registrations), { timeoutMs: 60_000, describe: 'all six submissions made, their answers held' }).catch(showWorker);
      // In flight: Twilio made each one and clearsend has stored none of their SIDs.
      for (const r of registrations)
        expect({ [r.resource]: (await registrationOf(p.api.db, r.tenant.id))!.sids[r.resource] }).toEqual({ [r.resource]: undefined });

      await worker.kill();
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
      worker = spawnWorker(p.config);
      for (const r of registrations) await r.atPhase('approved', 120_000).catch(showWorker);

      for (const r of registrations) {
        const counts = await registrationCounts(p, r.accountSid);
        if (r.resource === 'tollfree') expect(counts).toMatchObject({ tollfreeVerifications: 1, customerProfiles: 0, brands: 0, messagingServices: 0 });
        else expect({ [r.resource]: counts }).toEqual({ [r.resource]: ONE_10DLC_REGISTRATION });
        // Recorded once, with the SID the dead worker never got: the next one found it.
        const stored = (await registrationOf(p.api.db, r.tenant.id))!;
        const entries = await p.api
          .db('audit_log')
          .where({ tenant_id: r.tenant.id, action: `registration.${r.resource}.created` })
          .pluck('details');
        // (The Service's entry does not say whether it was found or made.)
        const found = r.resource === 'messagingService' ? {} : { adopted: true };
        expect({ [r.resource]: entries }).toEqual({ [r.resource]: [expect.objectContaining({ sid: stored.sids[r.resource], ...found })] });
      }
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
