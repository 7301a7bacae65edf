import request from 'supertest';
import { signupBody } from '../support/api';
import { platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { spawnWorker } from '../support/worker-process';
import { lifecycleWorkflowId } from '../../src/workflows/tenant-lifecycle/definitions';

/**
 * Exactly one subaccount and one number, whatever happens to the worker. The sandbox holds
 * back Twilio's answer after it has done the work (created the subaccount, sold the
 * number), the worker process is SIGKILLed in that window, and a new worker takes over.
 */
describe('provisioning survives a worker killed mid-flight', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    // Short activity timeout: a killed worker's task is retried by the next one within seconds.
    p = await platformHarness({ worker: false, config: { ACTIVITY_TIMEOUT_SECONDS: '5' } });
  });
  afterAll(() => p.close());

  it('ends with one subaccount and one number after SIGKILLs during both', async () => {
    const http = () => request(p.api.app);
    const store = p.sandbox.sandbox.store;
    let worker = spawnWorker(p.config);
    try {
      await worker.ready;
      const res = await http()
        .post('/v1/tenants')
        .send(signupBody({ ownerPhone: '+14155550777' }))
        .expect(202);
      const { id } = res.body.tenant as { id: string };
      const key = res.body.apiKey as string;
      const auth = { authorization: `Bearer ${key}` };

      await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);
      const code = (await p.sandbox.control('/__sandbox/verify/code?to=%2B14155550777')).body.code as string;
      await http().post(`/v1/tenants/${id}/verification`).set(auth).send({ code }).expect(200);
      await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
      for (let i = 0; i < 2; i++) await http().post('/v1/sandbox/messages').set(auth).send({ to: '+15005550006', body: 'hi' }).expect(201);
      await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);

      // 1. Twilio creates the subaccount but the answer never reaches this worker.
      await p.sandbox.control('/__sandbox/faults', {
        body: { responseDelayMs: 30_000, accountSid: p.config.TWILIO_ACCOUNT_SID, only: { method: 'POST', pathEndsWith: '/Accounts.json' } },
      });
      await http()
        .post(`/v1/compliance/tenants/${id}/approve`)
        .set({ authorization: `Bearer ${p.staffKey}` })
        .send({ reason: 'checked and approved' })
        .expect(202);
      const sub = await until(() => [...store.accounts.values()].find((a) => a.friendlyName.startsWith(`cs:${id}:`)), 20_000);
      await worker.kill();
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });

      // 2. The next worker adopts that subaccount; then Twilio sells the number and the answer is lost again.
      await p.sandbox.control('/__sandbox/faults', {
        body: { responseDelayMs: 30_000, accountSid: sub.sid, only: { method: 'POST', pathEndsWith: '/IncomingPhoneNumbers.json' } },
      });
      worker = spawnWorker(p.config);
      await until(() => [...store.numbers.values()].find((n) => n.accountSid === sub.sid), 30_000);
      await worker.kill();
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });

      // 3. A third worker finishes.
      worker = spawnWorker(p.config);
      const active = await tenantReaches(p, id, key, (s) => s.step === 'active', 120_000).catch(async (err: unknown) => {
        const described = await p.api.temporal.workflow.getHandle(lifecycleWorkflowId(id)).describe();
        throw new Error(`${String(err)}\nworkflow ${described.status.name}\nlast worker said:\n${worker.output.slice(-15).join('\n')}`);
      });

      const subaccounts = [...store.accounts.values()].filter((a) => a.friendlyName.startsWith(`cs:${id}:`));
      expect(subaccounts).toHaveLength(1);
      const numbers = [...store.numbers.values()].filter((n) => n.accountSid === sub.sid);
      expect(numbers).toHaveLength(1);
      expect(active.phoneNumber).toBe(numbers[0].phoneNumber);
      expect(await p.api.db('tenant_credentials').where({ tenant_id: id })).toHaveLength(1);
      expect(await p.api.db('tenant_phone_numbers').where({ tenant_id: id })).toHaveLength(1);
      const audit = await p.api.db('audit_log').where({ tenant_id: id, action: 'subaccount.provisioned' }).first();
      expect(audit.details).toMatchObject({ adopted: true });
    } finally {
      await worker.stop();
    }
  }, 240_000);
});
