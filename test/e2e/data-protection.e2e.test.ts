import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { erasedNumberHash, erasureHashKey } from '../../src/db/erased-numbers';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { dataRetention } from '../../src/workflows/data-retention/workflow';
import { dataRetentionStateQuery, startDataRetentionOptions } from '../../src/workflows/data-retention/definitions';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { handsetSays } from '../support/handset';
import { WEB_FORM_CONSENT } from '../support/consent';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { erasureWorkflowId } from '../../src/workflows/contact-erasure/definitions';

/**
 * Retention, erasure and offboarding (issue 15, "Nothing is ever deleted") against the sandbox,
 * Temporal and PostgreSQL, with seconds-long days: a retention pass purges bodies here and
 * redacts them at Twilio; an erasure leaves only the keyed hash of the number, which keeps the
 * number from being texted again; offboarding releases the numbers, closes the subaccount and
 * purges the tenant's data after its retention period.
 */
const BODY = 'Bright Smiles Dental: your checkup is due. Reply to book a time. Reply STOP to opt out.';
/** A retention day lasts this long in the retention pass started here (7 days: 0.7 s). */
const DAY_MS = 100;

type Tenant = Awaited<ReturnType<typeof activeTenant>>;

describe('retention, erasure and offboarding', () => {
  let p: PlatformHarness;
  let t: Tenant;
  let other: Tenant;
  const phone = () => `+1415${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;

  beforeAll(async () => {
    // Offboarding counts its retention days in fifths of a second (7 days: 1.4 s).
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, RETENTION_DAY_SECONDS: '0.2' } });
    t = await activeTenant(p, { mps: 100 });
    other = await activeTenant(p, { name: 'Harbor Pets', mps: 100 });
  }, 60_000);
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  /** The tenant's subaccount as clearsend reaches it: what Twilio holds of a message. */
  const atTwilio = async (tenantId: string, sid: string) => {
    const creds = (await credentialsOfTenant(p.api.db, tenantId))!;
    return p.sandbox.twilio.forSubaccount(creds).messages(sid).fetch();
  };
  /** Contacts (mobile at Lookup) tagged `tag`, then a transactional campaign to them, run to the end. */
  const campaignTo = async (tenant: Tenant, contacts: Array<{ phone: string; name?: string; fields?: Record<string, string> }>, tag: string) => {
    for (const c of contacts) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: c.phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(tenant.auth)
      .send({ contacts: contacts.map((c) => ({ ...c, assignedUser: 'dana', tags: [tag], consent: WEB_FORM_CONSENT })) })
      .expect(201);
    const id = (
      await http()
        .post('/v1/campaigns')
        .set(tenant.auth)
        .send({ name: `To ${tag}`, body: BODY, messageType: 'transactional', audienceTag: tag })
        .expect(201)
    ).body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(tenant.auth).expect(202);
    return eventually(
      async () => {
        const res = await http().get(`/v1/campaigns/${id}`).set(tenant.auth).expect(200);
        return res.body.status === 'completed' ? (res.body as { id: string; progress: { droppedByReason: Record<string, number> } }) : undefined;
      },
      { timeoutMs: 60_000, describe: `campaign ${id} to complete` },
    );
  };
  const sidsOf = async (campaignId: string) => p.api.db('outbox').where({ campaign_id: campaignId }).whereNotNull('message_sid').pluck<string[]>('message_sid');

  it('refuses a retention period outside 7–730 days and changes nothing', async () => {
    for (const retentionDays of [6, 731, 30.5, '30']) {
      const res = await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ retentionDays }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'retentionDays' })]);
    }
    expect((await http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200)).body.retentionDays).toBe(90);
    const set = await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ retentionDays: 7 }).expect(200);
    expect(set.body.retentionDays).toBe(7);
  });

  it('a retention pass purges bodies past the tenant’s period here and redacts them at Twilio; a longer period keeps them', async () => {
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ retentionDays: 7 }).expect(200);
    await http().patch(`/v1/tenants/${other.id}/settings`).set(other.auth).send({ retentionDays: 730 }).expect(200);
    const [a, b] = [phone(), phone()];
    const campaign = await campaignTo(t, [{ phone: a }, { phone: b }], 'retention');
    const reply = await handsetSays(p, { from: a, to: t.from, body: 'Tuesday at 3 works for me' });
    // A reply asking to stop in its own words: the opt-out request quotes it.
    const stop = await handsetSays(p, { from: b, to: t.from, body: 'please stop texting me' });
    const phraseOf = async () =>
      (await p.api.db('opt_out_requests').where({ inbound_message_sid: stop.messageSid }).first<{ phrase: string | null }>('phrase'))?.phrase;
    expect(await phraseOf()).toEqual(expect.any(String));
    // Twilio sends clearsend's TwiML answers (an acknowledgement, say) as messages whose SIDs clearsend never learns.
    const answers = [...reply.replySids, ...stop.replySids];
    const kept = await campaignTo(other, [{ phone: phone() }], 'kept');
    const sids = await sidsOf(campaign.id);
    expect(sids).toHaveLength(2);
    expect((await atTwilio(t.id, sids[0])).body).toContain(BODY);

    // A queued message Twilio does not know (20404): counted as a failure once, then given up.
    const unknownSid = `SM${randomBytes(16).toString('hex')}`;
    await p.api.db('twilio_redactions').insert({ tenant_id: t.id, message_sid: unknownSid, cause: 'retention' });

    const retention = await p.api.temporal.workflow.start(dataRetention, {
      ...startDataRetentionOptions(
        // One pass per workflow run: every pass after the first runs after a continue-as-new.
        { intervalMs: 500, dayMs: DAY_MS, onlyTenantIds: [t.id, other.id], passesPerRun: 1 },
        `data-retention/test-${randomBytes(4).toString('hex')}`,
      ),
      taskQueue: p.config.TEMPORAL_TASK_QUEUE,
    });
    try {
      // Reported per tenant and pass; the reply may fall past the cutoff a pass later than the messages.
      const totals = await eventually(
        async () => {
          const runs = (await http().get(`/v1/tenants/${t.id}/retention-runs`).set(t.auth).expect(200)).body.runs as Array<
            Record<string, number | string | null>
          >;
          const sum = (k: string) => runs.reduce((n, r) => n + Number(r[k]), 0);
          const done = {
            outboundPurged: sum('outboundPurged'),
            inboundPurged: sum('inboundPurged'),
            campaignsPurged: sum('campaignsPurged'),
            twilioFound: sum('twilioFound'),
            twilioRedacted: sum('twilioRedacted'),
          };
          return done.outboundPurged >= 2 && done.inboundPurged >= 2 && done.twilioRedacted >= 4 + answers.length && done.campaignsPurged >= 1
            ? { ...done, runs }
            : undefined;
        },
        { timeoutMs: 30_000, describe: 'the retention pass to purge and redact the tenant’s two messages and its two replies' },
      );
      // The campaign's text went with its messages' bodies; its TwiML answers were found by listing the subaccount's messages.
      expect(totals).toMatchObject({
        outboundPurged: 2,
        inboundPurged: 2,
        campaignsPurged: 1,
        twilioFound: answers.length,
        twilioRedacted: 4 + answers.length,
      });
      expect((await http().get(`/v1/campaigns/${campaign.id}`).set(t.auth).expect(200)).body).toMatchObject({ body: null, bodyPurgedAt: expect.any(String) });
      // Two whole passes, the second after a continue-as-new: the workflow keeps its count and the last pass's totals.
      const state = await eventually(
        async () => {
          const s = await p.api.temporal.workflow.getHandle(retention.workflowId).query(dataRetentionStateQuery);
          return s.passes >= 2 ? s : undefined;
        },
        { timeoutMs: 30_000, describe: 'two retention passes' },
      );
      expect(state.lastPass?.totals.tenants).toBe(2);
      // The unknown message failed in one pass only: given up, it is not tried again.
      const runs = (await http().get(`/v1/tenants/${t.id}/retention-runs`).set(t.auth).expect(200)).body.runs as Array<{ twilioFailures: number }>;
      expect(runs.reduce((n, r) => n + r.twilioFailures, 0)).toBe(1);
      expect((await p.api.temporal.workflow.getHandle(retention.workflowId).describe()).runId).not.toBe(retention.firstExecutionRunId);
      expect(totals.runs.every((r) => r.retentionDays === 7)).toBe(true);
      expect(await p.api.db('twilio_redactions').where({ message_sid: unknownSid }).first('attempts', 'gave_up_at', 'redacted_at')).toMatchObject({
        attempts: 1,
        gave_up_at: expect.any(Date),
        redacted_at: null,
      });

      // Here: no body, a purge time; counts and SIDs stay.
      const rows = await p.api
        .db('outbox')
        .where({ campaign_id: campaign.id })
        .select<Array<{ body: string | null; body_purged_at: Date | null; status: string }>>();
      expect(rows.map((r) => [r.body, r.body_purged_at !== null, r.status])).toEqual([
        [null, true, 'sent'],
        [null, true, 'sent'],
      ]);
      const inbound = await p.api.db('inbound_messages').where({ message_sid: reply.messageSid }).first<{ body: string; body_purged_at: Date | null }>();
      expect(inbound).toMatchObject({ body: '', body_purged_at: expect.any(Date) });
      expect(await phraseOf()).toBeNull();
      // At Twilio: the messages and the replies redacted.
      for (const sid of [...sids, reply.messageSid, stop.messageSid, ...answers]) expect((await atTwilio(t.id, sid)).body).toBe('');

      // The other tenant keeps 730 days: its message is untouched here and at Twilio.
      const [keptSid] = await sidsOf(kept.id);
      expect(await p.api.db('outbox').where({ message_sid: keptSid }).first('body', 'body_purged_at')).toMatchObject({ body_purged_at: null });
      expect((await atTwilio(other.id, keptSid)).body).toContain(BODY);
      const otherRuns = (await http().get(`/v1/tenants/${other.id}/retention-runs`).set(other.auth).expect(200)).body.runs as Array<Record<string, unknown>>;
      expect(otherRuns.length).toBeGreaterThan(0);
      for (const run of otherRuns) expect(run).toMatchObject({ retentionDays: 730, outboundPurged: 0, inboundPurged: 0, twilioRedacted: 0, twilioFailures: 0 });

      // Staff see every tenant's reports; a tenant sees only its own.
      const staff = (await http().get(`/v1/compliance/retention-runs?tenantId=${t.id}`).set('authorization', `Bearer ${p.staffKey}`).expect(200)).body.runs;
      expect(staff.length).toBeGreaterThan(0);
      await http().get(`/v1/tenants/${t.id}/retention-runs`).set(other.auth).expect(404);
    } finally {
      await retention.terminate('test over');
    }
  }, 120_000);

  it('an erasure leaves only the keyed hash of the number, redacts the messages at Twilio, and the number is never texted again', async () => {
    const number = phone();
    const digits = number.slice(2);
    // A custom field too: stored sealed, so the scan below looks for its sealed value as well as its text.
    const LOYALTY = 'LX-Quorvendale-7731';
    const first = await campaignTo(t, [{ phone: number, name: 'Jordan Erasable', fields: { loyalty_id: LOYALTY } }], 'erase');
    const reply = await handsetSays(p, { from: number, to: t.from, body: 'Can I move it to Friday?' });
    await handsetSays(p, { from: number, to: t.from, body: 'STOP' });
    const contact = await p.api.db('contacts').where({ tenant_id: t.id, phone: number }).first<{ id: string; fields: string }>('id', 'fields');
    expect(contact.fields).toMatch(/^cs1:\d+:[A-Za-z0-9_-]+$/);
    expect((await http().get(`/v1/contacts/${contact.id}`).set(t.auth).expect(200)).body.fields).toEqual({ loyalty_id: LOYALTY });
    expect(await p.api.db('suppressions').where({ tenant_id: t.id, phone_e164: number }).first()).toBeDefined();

    // Bad input changes nothing: an unknown contact, a malformed id, another tenant's contact, an unknown field.
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-contact']) {
      const res = await http().post(`/v1/contacts/${id}/erasure`).set(t.auth).send({}).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await http().post(`/v1/contacts/${contact.id}/erasure`).set(other.auth).send({}).expect(404);
    await http().post(`/v1/contacts/${contact.id}/erasure`).set(t.auth).send({ everything: true }).expect(400);
    expect(await p.api.db('contacts').where({ id: contact.id }).first()).toBeDefined();

    const erasure = await http().post(`/v1/contacts/${contact.id}/erasure`).set(t.auth).send({ reason: 'asked by email on 2 Dec' }).expect(202);
    expect(erasure.body).toMatchObject({ erased: { contacts: 1, consents: 1, messages: 1, replies: 2, suppressions: 1 }, twilio: { queued: 3 } });
    await http().post(`/v1/contacts/${contact.id}/erasure`).set(t.auth).send({}).expect(404);

    // Nothing in any of the tenant's rows (or the Lookup cache) holds the number any more, in any format, nor the custom field (sealed or not).
    const tables = (
      await p.api.db.raw<{ rows: Array<{ table_name: string }> }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenant_id' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
    const holding: string[] = [];
    for (const table of [...tables, 'lookup_cache'])
      for (const needle of [digits, LOYALTY, contact.fields]) {
        const { rows } = await p.api.db.raw<{ rows: Array<{ n: string }> }>(
          `SELECT count(*) AS n FROM ${table} x WHERE ${table === 'lookup_cache' ? 'true' : 'x.tenant_id = ?'} AND strpos(x::text, ?) > 0`,
          table === 'lookup_cache' ? [needle] : [t.id, needle],
        );
        if (Number(rows[0].n)) holding.push(`${table} holds ${needle === digits ? 'the number' : needle === LOYALTY ? 'the field' : 'the sealed fields'}`);
      }
    expect(holding).toEqual([]);
    // What is left: the keyed hash, and the erasure's record (naming no number).
    const hashes = await p.api.db('erased_numbers').where({ tenant_id: t.id }).pluck<Buffer[]>('phone_hash');
    expect(hashes.map((h) => h.toString('hex'))).toContain(erasedNumberHash(number, erasureHashKey(p.config)).toString('hex'));

    // At Twilio: the campaign's message and both replies redacted, by the erasure's workflow.
    const done = await eventually(
      async () => {
        const view = (await http().get(`/v1/erasures/${erasure.body.id}`).set(t.auth).expect(200)).body;
        return view.finishedAt ? view : undefined;
      },
      { timeoutMs: 30_000, describe: 'the erasure to finish at Twilio' },
    );
    expect(done.twilio).toEqual({ queued: 3, redacted: 3, failures: 0 });
    const erasureWorkflow = erasureWorkflowId(String(erasure.body.id));
    await p.api.temporal.workflow.getHandle(erasureWorkflow).result();
    await recordHistoryIfAsked(p.api.temporal, erasureWorkflow, 'redacted-three');
    await http().get(`/v1/erasures/${erasure.body.id}`).set(other.auth).expect(404);
    const [sid] = await sidsOf(first.id);
    for (const s of [sid, reply.messageSid]) expect((await atTwilio(t.id, s)).body).toBe('');
    const audit = await p.api.db('audit_log').where({ tenant_id: t.id, action: 'contact.erased' }).first<{ details: Record<string, unknown> }>();
    expect(JSON.stringify(audit)).not.toContain(digits);

    // The tenant adds the number again and sends: held back as suppressed, never texted.
    const ledgerBefore = (await p.sandbox.control(`/__sandbox/ledger?to=${encodeURIComponent(number)}`)).body.count as number;
    const readded = await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: number, assignedUser: 'dana' }] })
      .expect(201);
    expect(readded.body).toMatchObject({ created: 1, erased: 1 });
    const again = await campaignTo(t, [{ phone: number }], 'erase-again');
    expect(again.progress.droppedByReason).toMatchObject({ suppressed: 1 });
    expect((await p.sandbox.control(`/__sandbox/ledger?to=${encodeURIComponent(number)}`)).body.count).toBe(ledgerBefore);
  }, 120_000);
  // Offboarding: test/e2e/offboarding.e2e.test.ts.
});
