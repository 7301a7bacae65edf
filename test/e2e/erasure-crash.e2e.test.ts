import { randomInt } from 'node:crypto';
import request from 'supertest';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { contactErasure } from '../../src/workflows/contact-erasure/workflow';
import { erasureWorkflowId } from '../../src/workflows/contact-erasure/definitions';
import { WEB_FORM_CONSENT } from '../support/consent';
import { eventually } from '../support/eventually';
import { handsetSays } from '../support/handset';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { spawnWorker, type ServiceChild } from '../support/worker-process';

/**
 * Issue 15: an erasure "of one contact on request (all their data)" is redacted at Twilio by a
 * workflow that must survive its worker dying. A contact with many replies (each held at Twilio
 * under its own SID) is erased; the worker process is SIGKILLed while the erasure's messages are
 * being redacted, and a fresh one takes over. In the end every one of the contact's messages is
 * redacted at Twilio, none twice but for the one the killed worker had in flight, another
 * contact's message is untouched, and the erasure's report and its audit entry count each
 * message once.
 */
const REPLIES = 60;

describe('a contact erasure survives its worker being SIGKILLed mid-redaction', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, config: { ...FAST_CAMPAIGNS, ERASURE_HEARTBEAT_TIMEOUT_SECONDS: '3' } });
  }, 60_000);
  afterAll(() => p.close());

  it('redacts every message of the contact once, touches no one else’s, and reports exactly what it did', async () => {
    const http = () => request(p.api.app);
    const db = p.api.db;
    const t = await activeTenant(p, { mps: 100 });
    const exchange = randomInt(200, 999);
    const erased = `+1628${exchange}0001`;
    const bystander = `+1628${exchange}0002`;
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [erased, bystander].map((phone) => ({ phone, assignedUser: 'dana', tags: ['crash'], consent: WEB_FORM_CONSENT })) })
      .expect(201);

    let worker: ServiceChild = spawnWorker(p.config);
    try {
      await worker.ready;
      const sids: string[] = [];
      for (let i = 0; i < REPLIES; i++) sids.push((await handsetSays(p, { from: erased, to: t.from, body: `Reply number ${i} about Tuesday` })).messageSid);
      const other = (await handsetSays(p, { from: bystander, to: t.from, body: 'See you Friday' })).messageSid;
      const atTwilio = (sid: string) => p.sandbox.sandbox.store.messages.get(sid);
      await until(() => [...sids, other].every((sid) => atTwilio(sid)?.body));

      // Each redaction takes a little while at Twilio, so the kill lands inside the page.
      const { subaccountSid } = (await credentialsOfTenant(db, t.id))!;
      await p.sandbox.control('/__sandbox/faults', { body: { latencyMs: 25, only: { method: 'POST' }, accountSid: subaccountSid } });

      const contact = await db('contacts').where({ tenant_id: t.id, phone: erased }).first<{ id: string }>('id');
      const res = await http().post(`/v1/contacts/${contact.id}/erasure`).set(t.auth).send({ reason: 'asked by phone' }).expect(202);
      const erasureId = res.body.id as string;
      expect(res.body.twilio).toEqual({ queued: REPLIES });

      const redacted = async () =>
        Number(
          (
            await db('twilio_redactions')
              .where({ cause: `erasure:${erasureId}` })
              .whereNotNull('redacted_at')
              .count<{ n: string }[]>('* as n')
          )[0].n,
        );
      await eventually(async () => (await redacted()) >= REPLIES / 4, {
        timeoutMs: 30_000,
        intervalMs: 20,
        describe: `a quarter of the ${REPLIES} redactions`,
        detail: () => worker.output.slice(-10).join('\n'),
      });
      await worker.kill();
      const killedWith = await redacted();
      // The kill landed part-way: some redacted, not all.
      expect(killedWith).toBeGreaterThan(0);
      expect(killedWith).toBeLessThan(REPLIES);
      worker = spawnWorker(p.config);

      // The redaction page is tried again once its heartbeat times out (3 s here, a minute by default), on the fresh worker.
      const result = await p.api.temporal.workflow.getHandle<typeof contactErasure>(erasureWorkflowId(erasureId)).result();
      expect(result).toEqual({ twilioRedacted: REPLIES, twilioFailures: 0 });
      const view = (await http().get(`/v1/erasures/${erasureId}`).set(t.auth).expect(200)).body as Record<string, unknown>;
      expect(view).toMatchObject({ finishedAt: expect.any(String), twilio: { queued: REPLIES, redacted: REPLIES, failures: 0 } });

      // Twilio: every message of the contact redacted, the other contact's untouched.
      for (const sid of sids) expect(atTwilio(sid)?.body).toBe('');
      expect(atTwilio(other)?.body).toBe('See you Friday');
      const requests = new Map<string, number>();
      for (const r of (await p.sandbox.control('/__sandbox/redactions')).body.redactions as Array<{ sid: string }>)
        requests.set(r.sid, (requests.get(r.sid) ?? 0) + 1);
      expect([...requests.keys()].filter((sid) => sids.includes(sid)).sort()).toEqual([...sids].sort());
      expect(requests.has(other)).toBe(false);
      // Asked twice: at most the message the killed worker had in flight (redacted at Twilio, not yet marked here).
      expect([...requests.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(1);
      // Here: each queued row redacted once; one audit entry, counting each message once.
      const rows = await db('twilio_redactions')
        .where({ cause: `erasure:${erasureId}` })
        .select<Array<{ redacted_at: Date | null; attempts: number }>>('redacted_at', 'attempts');
      expect(rows).toHaveLength(REPLIES);
      expect(rows.filter((r) => r.redacted_at === null)).toEqual([]);
      const audits = await db('audit_log')
        .where({ tenant_id: t.id, action: 'contact.erasure_redacted' })
        .select<Array<{ details: Record<string, unknown> }>>('details');
      expect(audits.map((a) => a.details)).toEqual([{ erasureId, twilioRedacted: REPLIES, twilioFailures: 0 }]);
      process.stderr.write(`[erasure-crash] killed with ${killedWith} of ${REPLIES} redacted\n`);
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' }).catch(() => undefined);
      await worker.stop();
    }
  }, 180_000);
});
