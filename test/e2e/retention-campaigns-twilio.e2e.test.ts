import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { dataRetention } from '../../src/workflows/data-retention/workflow';
import { dataRetentionStateQuery, startDataRetentionOptions } from '../../src/workflows/data-retention/definitions';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { handsetSays } from '../support/handset';
import { WEB_FORM_CONSENT } from '../support/consent';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';

/**
 * What a retention pass reaches beyond message and reply bodies (issue 15, "Nothing is ever
 * deleted"), against the sandbox, Temporal and PostgreSQL with real days (rows and Twilio's
 * copies aged as the other retention tests age them):
 * - a finished campaign whose last send is past the tenant's period loses its text (body and the
 *   scan's quotes of it), keeping its name, status, figures and verdicts; a young one keeps it;
 * - the messages Twilio holds that clearsend never recorded (the HELP answer its TwiML sends)
 *   are found by listing the subaccount's messages and redacted when old; a young one is not.
 */
const OLD_BODY = 'Bright Smiles Dental: your checkup is due this month. Reply to book a time.';
const YOUNG_BODY = 'Bright Smiles Dental: your cleaning is next week. Reply to move it.';
const DAY = 86_400_000;

describe('retention purges finished campaigns’ text and redacts what Twilio holds unrecorded', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS } });
  }, 60_000);
  afterAll(() => p.close());

  it('purges an old campaign’s text (not a young one’s) and redacts an old HELP answer at Twilio (not a young one)', async () => {
    const http = () => request(p.api.app);
    const t = await activeTenant(p, { mps: 100 });
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ retentionDays: 7 }).expect(200);
    const exchange = randomInt(200, 999);
    const phone = (i: number) => `+1628${exchange}${String(i).padStart(4, '0')}`;

    const campaignTo = async (phones: string[], tag: string, body: string) => {
      for (const ph of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: ph, lineType: 'mobile' } });
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({ contacts: phones.map((ph) => ({ phone: ph, assignedUser: 'dana', tags: [tag], consent: WEB_FORM_CONSENT })) })
        .expect(201);
      const id = (
        await http()
          .post('/v1/campaigns')
          .set(t.auth)
          .send({ name: `To ${tag}`, body, messageType: 'transactional', audienceTag: tag })
          .expect(201)
      ).body.id as string;
      await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
      return eventually(
        async () => {
          const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
          return res.body.status === 'completed' ? (res.body as Record<string, unknown> & { id: string; progress: unknown }) : undefined;
        },
        { timeoutMs: 60_000, describe: `campaign ${id} to complete` },
      );
    };
    const old = await campaignTo([phone(1), phone(2)], 'old', OLD_BODY);
    const young = await campaignTo([phone(3)], 'young', YOUNG_BODY);
    expect(old.body).toBe(OLD_BODY);

    // The old campaign ran a month ago, and its scan quotes its text (a finding's span).
    const monthAgo = new Date(Date.now() - 30 * DAY);
    const db = p.api.db;
    await db('outbox').where({ campaign_id: old.id }).update({ sent_at: monthAgo, claimed_at: monthAgo });
    await db('campaigns').where({ id: old.id }).update({ created_at: monthAgo, started_at: monthAgo, finished_at: monthAgo });
    const quote = { start: 21, end: 34, text: OLD_BODY.slice(21, 34) };
    const finding = {
      code: 'test.quote',
      category: 'test',
      verdict: 'allow',
      reason: 'a finding that quotes the text',
      span: quote,
      suggestedFix: OLD_BODY,
      evidence: 'term',
    };
    await db('campaigns')
      .where({ id: old.id })
      .update({ scan: db.raw(`jsonb_set(scan, '{findings}', (scan -> 'findings') || ?::jsonb)`, [JSON.stringify([finding])]) });
    const oldView = (await http().get(`/v1/campaigns/${old.id}`).set(t.auth).expect(200)).body as Record<string, unknown>;

    // HELP twice: Twilio sends each TwiML answer as a message of its own, whose SID clearsend never learns.
    const help = (from: string) => handsetSays(p, { from, to: t.from, body: 'HELP' });
    const oldHelp = await help(phone(1));
    const youngHelp = await help(phone(3));
    expect(oldHelp.replySids).toHaveLength(1);
    expect(youngHelp.replySids).toHaveLength(1);
    const [oldAnswer, youngAnswer] = [oldHelp.replySids[0], youngHelp.replySids[0]];
    expect(await db('outbox').whereIn('message_sid', [oldAnswer, youngAnswer]).first()).toBeUndefined();
    const store = p.sandbox.sandbox.store;
    // The first HELP and its answer were a month ago, here and at Twilio.
    for (const sid of [oldHelp.messageSid, oldAnswer]) {
      const m = store.messages.get(sid)!;
      m.dateCreated = m.dateSent = monthAgo;
    }
    await db('inbound_messages').where({ message_sid: oldHelp.messageSid }).update({ received_at: monthAgo });
    await eventually(async () => (store.messages.get(oldAnswer)!.status === 'delivered' ? true : undefined), { describe: 'the HELP answer delivered' });
    const oldAnswerBody = store.messages.get(oldAnswer)!.body;
    expect(oldAnswerBody.length).toBeGreaterThan(0);

    const creds = (await credentialsOfTenant(db, t.id))!;
    const atTwilio = (sid: string) => p.sandbox.twilio.forSubaccount(creds).messages(sid).fetch();

    const retention = await p.api.temporal.workflow.start(dataRetention, {
      ...startDataRetentionOptions(
        // One pass (the next is ten minutes away), Twilio's messages listed two to a page.
        { intervalMs: 600_000, onlyTenantIds: [t.id], pageSizes: { list: 2 } },
        `data-retention/test-${randomBytes(4).toString('hex')}`,
      ),
      taskQueue: p.config.TEMPORAL_TASK_QUEUE,
    });
    try {
      const state = await eventually(
        async () => {
          const s = await p.api.temporal.workflow.getHandle(retention.workflowId).query(dataRetentionStateQuery);
          return s.passes >= 1 ? s : undefined;
        },
        { timeoutMs: 60_000, describe: 'one retention pass' },
      );

      // The old campaign: no text, a purge time; name, status, times, figures and verdicts stay.
      const purged = (await http().get(`/v1/campaigns/${old.id}`).set(t.auth).expect(200)).body as Record<string, unknown> & {
        scan: { findings: Array<Record<string, unknown>>; blocked: boolean };
      };
      expect(purged).toMatchObject({ body: null, bodyPurgedAt: expect.any(String), name: 'To old', status: 'completed' });
      for (const k of ['progress', 'createdAt', 'startedAt', 'finishedAt', 'messageType', 'audienceTag', 'contentReview'])
        expect(purged[k]).toEqual(oldView[k]);
      expect(purged.scan.blocked).toBe((oldView.scan as { blocked: boolean }).blocked);
      expect(purged.scan.findings.find((f) => f.code === 'test.quote')).toEqual({
        code: 'test.quote',
        category: 'test',
        verdict: 'allow',
        reason: 'a finding that quotes the text',
        span: null,
        evidence: 'term',
      });
      const row = await db('campaigns').where({ id: old.id }).first<{ body: string | null; scan: unknown; body_purged_at: Date | null }>();
      expect(row).toMatchObject({ body: null, body_purged_at: expect.any(Date) });
      expect(JSON.stringify(row.scan)).not.toContain(quote.text);
      // The young campaign keeps its text.
      const kept = (await http().get(`/v1/campaigns/${young.id}`).set(t.auth).expect(200)).body as Record<string, unknown>;
      expect(kept).toMatchObject({ body: YOUNG_BODY, bodyPurgedAt: null });

      // At Twilio: the old HELP answer (and the old HELP) redacted; the young answer untouched and never queued.
      expect((await atTwilio(oldAnswer)).body).toBe('');
      expect((await atTwilio(oldHelp.messageSid)).body).toBe('');
      expect((await atTwilio(youngAnswer)).body).toBe(oldAnswerBody);
      expect((await atTwilio(youngHelp.messageSid)).body).toBe('HELP');
      expect(await db('twilio_redactions').where({ message_sid: youngAnswer }).first()).toBeUndefined();
      expect(await db('twilio_redactions').where({ message_sid: oldAnswer }).first('cause', 'redacted_at')).toMatchObject({
        cause: 'retention-listing',
        redacted_at: expect.any(Date),
      });
      const asked = (await p.sandbox.control('/__sandbox/redactions')).body.redactions as Array<{ sid: string }>;
      expect(asked.filter((r) => r.sid === youngAnswer)).toEqual([]);

      // The report counts the campaign and the message found at Twilio; the pass's totals agree.
      const runs = (await http().get(`/v1/tenants/${t.id}/retention-runs`).set(t.auth).expect(200)).body.runs as Array<Record<string, unknown>>;
      expect(runs).toHaveLength(1);
      // Purged here: the old campaign's two messages and the old HELP; redacted there: those and the answer.
      expect(runs[0]).toMatchObject({ campaignsPurged: 1, twilioFound: 1, outboundPurged: 2, inboundPurged: 1, twilioRedacted: 4, twilioFailures: 0 });
      expect(state.lastPass?.totals).toMatchObject({ tenants: 1, campaignsPurged: 1, twilioFound: 1, outboundPurged: 2, inboundPurged: 1, twilioRedacted: 4 });
      await recordHistoryIfAsked(p.api.temporal, retention.workflowId, 'campaigns-purged-and-twilio-listed');
    } finally {
      await retention.terminate('test over');
    }
  }, 180_000);
});
