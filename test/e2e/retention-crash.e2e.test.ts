import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { dataRetention } from '../../src/workflows/data-retention/workflow';
import { dataRetentionStateQuery, startDataRetentionOptions } from '../../src/workflows/data-retention/definitions';
import { WEB_FORM_CONSENT } from '../support/consent';
import { eventually } from '../support/eventually';
import { handsetSays } from '../support/handset';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { spawnWorker, type ServiceChild } from '../support/worker-process';

/**
 * Issue 15: retention is "a scheduled workflow that survives restarts and reports what it
 * purged". A tenant with a few hundred old messages and replies (sent and received through the
 * sandbox, so Twilio holds each one under its SID) and a few young ones; one retention pass in
 * small pages; its worker process SIGKILLed twice, once while bodies are being purged here and
 * once while they are being redacted at Twilio, a fresh worker each time. In the end every old
 * body is gone here and at Twilio, no young one is touched, no message was asked to be redacted
 * more than once but for the one a killed worker had in flight, and the pass's report (the
 * tenant's `retention_runs` row and the workflow's own totals) counts exactly what was done.
 */
const OLD_MESSAGES = 120;
const OLD_REPLIES = 60;
const YOUNG_MESSAGES = 3;
const PURGE_PAGE = 4;
const REDACT_PAGE = 8;
const BODY = 'Bright Smiles Dental: your checkup is due. Reply to book a time. Reply STOP to opt out.';

describe('a retention pass survives its worker being SIGKILLed mid-purge and mid-redaction', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ worker: false, config: { ...FAST_CAMPAIGNS } });
  }, 60_000);
  afterAll(() => p.close());

  it('purges and redacts every old body once, touches no young one, and reports what it did', async () => {
    const http = () => request(p.api.app);
    const t = await activeTenant(p, { mps: 500 });
    await p.sandbox.control('/__sandbox/throughput', { body: { sender: t.from, mps: 5000 } });
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ retentionDays: 7 }).expect(200);
    const exchange = randomInt(200, 999);
    const phones = (n: number, from: number) => Array.from({ length: n }, (_, i) => `+1628${exchange}${String(from + i).padStart(4, '0')}`);
    const oldPhones = phones(OLD_MESSAGES, 0);
    const youngPhones = phones(YOUNG_MESSAGES, 5000);

    /** A transactional campaign to `contacts`, tagged `tag`, run to the end; returns its id. */
    const campaignTo = async (contacts: string[], tag: string) => {
      for (const phone of contacts) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({ contacts: contacts.map((phone) => ({ phone, assignedUser: 'dana', tags: [tag], consent: WEB_FORM_CONSENT })) })
        .expect(201);
      const id = (
        await http()
          .post('/v1/campaigns')
          .set(t.auth)
          .send({ name: `To ${tag}`, body: BODY, messageType: 'transactional', audienceTag: tag })
          .expect(201)
      ).body.id as string;
      await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
      await eventually(async () => (await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body.status === 'completed', {
        timeoutMs: 60_000,
        describe: `campaign ${tag} to complete`,
      });
      return id;
    };

    let worker: ServiceChild = spawnWorker(p.config);
    const kills: Array<{ phase: string; done: number; of: number }> = [];
    const retentionId = `data-retention/crash-${randomBytes(4).toString('hex')}`;
    try {
      await worker.ready;
      const oldCampaign = await campaignTo(oldPhones, 'old');
      const youngCampaign = await campaignTo(youngPhones, 'young');
      const oldReplies: string[] = [];
      for (const from of oldPhones.slice(0, OLD_REPLIES))
        oldReplies.push((await handsetSays(p, { from, to: t.from, body: 'Tuesday at 3 works for me' })).messageSid);
      const youngReplies = [(await handsetSays(p, { from: youngPhones[0], to: t.from, body: 'See you Friday' })).messageSid];

      // The old ones are 30 days old (the tenant keeps 7); the young ones were sent just now.
      const db = p.api.db;
      const monthAgo = db.raw(`now() - interval '30 days'`);
      await db('outbox').where({ campaign_id: oldCampaign }).update({ sent_at: monthAgo, claimed_at: monthAgo });
      await db('inbound_messages').whereIn('message_sid', oldReplies).update({ received_at: monthAgo });
      const oldSids = await db('outbox').where({ campaign_id: oldCampaign, status: 'sent' }).whereNotNull('message_sid').pluck<string[]>('message_sid');
      const youngSids = [
        ...(await db('outbox').where({ campaign_id: youngCampaign, status: 'sent' }).whereNotNull('message_sid').pluck<string[]>('message_sid')),
        ...youngReplies,
      ];
      expect(oldSids).toHaveLength(OLD_MESSAGES);
      expect(youngSids).toHaveLength(YOUNG_MESSAGES + 1);
      const allOld = [...oldSids, ...oldReplies];
      const atTwilio = (sid: string) => p.sandbox.sandbox.store.messages.get(sid);
      // Sent, delivered, held at Twilio with the text (the statuses settle a moment after the campaign completes).
      await until(() => [...allOld, ...youngSids].every((sid) => atTwilio(sid)?.body && ['delivered', 'received'].includes(atTwilio(sid)!.status)));

      // Each redaction takes a little while at Twilio, so the second kill lands in a page.
      const { subaccountSid } = (await credentialsOfTenant(db, t.id))!;
      await p.sandbox.control('/__sandbox/faults', { body: { latencyMs: 15, only: { method: 'POST' }, accountSid: subaccountSid } });

      const purged = async () =>
        Number((await db('outbox').where({ campaign_id: oldCampaign }).whereNotNull('body_purged_at').count<{ n: string }[]>('* as n'))[0].n) +
        Number((await db('inbound_messages').whereIn('message_sid', oldReplies).whereNotNull('body_purged_at').count<{ n: string }[]>('* as n'))[0].n);
      const redacted = async () =>
        Number((await db('twilio_redactions').where({ tenant_id: t.id }).whereNotNull('redacted_at').count<{ n: string }[]>('* as n'))[0].n);
      const killWhen = async (phase: string, progress: () => Promise<number>, atLeast: number) => {
        await eventually(async () => (await progress()) >= atLeast, {
          timeoutMs: 30_000,
          intervalMs: 20,
          describe: `${phase}: at least ${atLeast} of ${allOld.length}`,
          detail: () => worker.output.slice(-10).join('\n'),
        });
        await worker.kill();
        kills.push({ phase, done: await progress(), of: allOld.length });
        worker = spawnWorker(p.config);
      };

      const started = Date.now();
      const retention = await p.api.temporal.workflow.start(dataRetention, {
        ...startDataRetentionOptions(
          // One pass (the next is ten minutes away) in small pages; a dead worker's activity is tried again after 3 s.
          { intervalMs: 600_000, onlyTenantIds: [t.id], pageSizes: { purge: PURGE_PAGE, redact: REDACT_PAGE }, heartbeatTimeoutMs: 3000 },
          retentionId,
        ),
        taskQueue: p.config.TEMPORAL_TASK_QUEUE,
      });
      await killWhen('purging', purged, 1);
      await killWhen('redacting', redacted, Math.floor(allOld.length / 3));
      // Both kills landed part-way: some of the work done, not all of it.
      for (const k of kills) expect(k.done).toBeGreaterThan(0);
      for (const k of kills) expect(k.done).toBeLessThan(k.of);

      const state = await eventually(
        async () => {
          const s = await retention.query(dataRetentionStateQuery);
          return s.passes >= 1 ? s : undefined;
        },
        { timeoutMs: 60_000, describe: 'the retention pass to finish', detail: () => worker.output.slice(-20).join('\n') },
      );
      const passMs = Date.now() - started;

      // PostgreSQL: every old body purged, no young one touched.
      const oldOut = await db('outbox')
        .where({ campaign_id: oldCampaign })
        .select<Array<{ body: string | null; body_purged_at: Date | null }>>('body', 'body_purged_at');
      expect(oldOut.filter((r) => r.body !== null || r.body_purged_at === null)).toEqual([]);
      const oldIn = await db('inbound_messages')
        .whereIn('message_sid', oldReplies)
        .select<Array<{ body: string; body_purged_at: Date | null }>>('body', 'body_purged_at');
      expect(oldIn.filter((r) => r.body !== '' || r.body_purged_at === null)).toEqual([]);
      const youngOut = await db('outbox')
        .where({ campaign_id: youngCampaign })
        .select<Array<{ body: string | null; body_purged_at: Date | null }>>('body', 'body_purged_at');
      expect(youngOut.filter((r) => r.body === null || r.body_purged_at !== null)).toEqual([]);
      expect(await db('inbound_messages').whereIn('message_sid', youngReplies).whereNotNull('body_purged_at').count<{ n: string }[]>('* as n')).toEqual([
        { n: '0' },
      ]);

      // Twilio: every old message redacted (queued once, marked done), no young one asked.
      expect((await db('twilio_redactions').where({ tenant_id: t.id }).pluck<string[]>('message_sid')).sort()).toEqual([...allOld].sort());
      expect(await db('twilio_redactions').where({ tenant_id: t.id }).whereNull('redacted_at').count<{ n: string }[]>('* as n')).toEqual([{ n: '0' }]);
      expect(allOld.filter((sid) => atTwilio(sid)?.body !== '')).toEqual([]);
      expect(youngSids.filter((sid) => !atTwilio(sid)?.body)).toEqual([]);
      const requests = new Map<string, number>();
      for (const r of p.sandbox.sandbox.store.redactions) if (r.accountSid === subaccountSid) requests.set(r.sid, (requests.get(r.sid) ?? 0) + 1);
      expect([...requests.keys()].sort()).toEqual([...allOld].sort());
      // Asked twice: at most the message the killed worker had in flight (redacted at Twilio, not yet marked here).
      expect([...requests.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(1);

      // The report: one row for the one pass, counting each message and reply once.
      const runs = await db('retention_runs')
        .where({ tenant_id: t.id })
        .select<
          Array<{ run_id: string; outbound_purged: number; inbound_purged: number; twilio_redacted: number; twilio_failures: number; finished_at: Date | null }>
        >('run_id', 'outbound_purged', 'inbound_purged', 'twilio_redacted', 'twilio_failures', 'finished_at');
      expect(runs).toEqual([
        {
          run_id: state.lastPass?.runId,
          outbound_purged: OLD_MESSAGES,
          inbound_purged: OLD_REPLIES,
          twilio_redacted: allOld.length,
          twilio_failures: 0,
          finished_at: expect.any(Date),
        },
      ]);
      // The workflow's own totals agree, work done by the killed attempts included.
      expect(state.passes).toBe(1);
      // The old campaign's text went too (its last send is old); Twilio held nothing old that clearsend had not recorded.
      expect(state.lastPass?.totals).toEqual({
        tenants: 1,
        outboundPurged: OLD_MESSAGES,
        inboundPurged: OLD_REPLIES,
        campaignsPurged: 1,
        twilioFound: 0,
        twilioRedacted: allOld.length,
        twilioFailures: 0,
      });
      // The tenant's API says the same.
      const api = (await http().get(`/v1/tenants/${t.id}/retention-runs`).set(t.auth).expect(200)).body.runs as Array<Record<string, unknown>>;
      expect(api).toEqual([
        expect.objectContaining({ outboundPurged: OLD_MESSAGES, inboundPurged: OLD_REPLIES, twilioRedacted: allOld.length, twilioFailures: 0 }),
      ]);
      process.stderr.write(`[retention-crash] kills ${JSON.stringify(kills)}; pass took ${passMs} ms\n`);
    } finally {
      await p.api.temporal.workflow
        .getHandle(retentionId)
        .terminate('test over')
        .catch(() => undefined);
      await worker.stop();
    }
  }, 180_000);
});
