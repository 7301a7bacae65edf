import request from 'supertest';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { handsetSays } from '../support/handset';
import { textsOfHistory } from '../support/history-texts';
import { emailWorkflowId } from '../../src/workflows/notification-email';

/**
 * Encryption at rest and ids-only workflow histories, end to end: a contact with a name and
 * custom fields, a campaign sent to it, a reply from it routed and emailed to the contact's user. Every API and
 * the email show the text; Twilio gets the text; yet no row of any PostgreSQL table, and no
 * event of any workflow that ran, holds the body, the reply, the name or the fields.
 */
describe('encryption at rest, bodies out of histories', () => {
  let p: PlatformHarness;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS } });
    t = await activeTenant(p, { mps: 100 });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  // Distinctive, so a hit is this test's text and nothing else's.
  const BODY = 'Bright Smiles Dental: Quillfeather marmalade checkups open Tuesday. Reply STOP to opt out.';
  const REPLY = 'Zanzibar periwinkle question: can Friday work instead?';
  const NAME = 'Oriel Vantongeren';
  // A custom field (issue 15): the contact's fields are one sealed value.
  const FIELDS = { favourite_flavour: 'Brambleworth sorbet', member_no: 'QX-88213-Lindqvar' };
  const OPT_OUT = 'please stop texting me about Zanzibar';
  const phone = '+16285550161';

  it('stores bodies, replies, names and custom fields encrypted, shows them decrypted, and keeps them out of every workflow history', async () => {
    const startedAt = new Date();
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ replyEmails: true }).expect(200);
    await http().put(`/v1/tenants/${t.id}/users/dana`).set(t.auth).send({ email: 'dana@brightsmiles.example' }).expect(200);
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone, name: NAME, assignedUser: 'dana', fields: FIELDS }] })
      .expect(201);
    const created = await http().post('/v1/campaigns').set(t.auth).send({ name: 'Encrypted', body: BODY, messageType: 'transactional' }).expect(201);
    expect(created.body.body).toBe(BODY);
    const campaignId = created.body.id as string;
    await http().post(`/v1/campaigns/${campaignId}/start`).set(t.auth).expect(202);
    await eventually(async () => ((await http().get(`/v1/campaigns/${campaignId}`).set(t.auth)).body.status === 'completed' ? true : undefined), 120_000);

    // Twilio got the text (opened by the relay), and the API shows it.
    const ledger = (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}&to=${encodeURIComponent(phone)}`)).body as {
      entries: Array<{ body: string }>;
    };
    expect(ledger.entries.map((e) => e.body)).toEqual([BODY]);
    expect((await http().get(`/v1/campaigns/${campaignId}`).set(t.auth).expect(200)).body.body).toBe(BODY);
    expect((await http().get('/v1/contacts').set(t.auth).expect(200)).body.contacts).toEqual([expect.objectContaining({ phone, name: NAME, fields: FIELDS })]);
    const exported = (await http().get('/v1/contacts?format=csv').set(t.auth).expect(200)).text;
    for (const value of Object.values(FIELDS)) expect(exported).toContain(value);

    await handsetSays(p, { from: phone, to: t.from, body: REPLY });
    await handsetSays(p, { from: phone, to: t.from, body: OPT_OUT });
    const { notifications } = (await http().get('/v1/notifications?user=dana').set(t.auth).expect(200)).body as {
      notifications: Array<{ id: string; body: string; contactName: string }>;
    };
    expect(notifications.map((n) => [n.body, n.contactName])).toEqual([[REPLY, NAME]]);
    const requests = (await http().get('/v1/opt-out-requests').set(t.auth).expect(200)).body.requests as Array<{ body: string; phrase: string | null }>;
    expect(requests).toEqual([expect.objectContaining({ body: OPT_OUT, phrase: expect.stringMatching(/stop/i) })]);
    const mail = await eventually(async () => {
      const { messages } = (await p.sandbox.control('/__sandbox/mail?to=dana@brightsmiles.example')).body as {
        messages: Array<{ subject: string; text: string }>;
      };
      return messages.length ? messages[0] : undefined;
    });
    expect(mail.subject).toContain(NAME);
    expect(mail.text).toContain(REPLY);
    const email = p.api.temporal.workflow.getHandle(emailWorkflowId('reply', String(notifications[0].id)));
    expect(await email.result()).toBe('sent');

    // PostgreSQL: every row of every table, as text; none holds the body, the reply, the name or the fields.
    const needles = [BODY, 'Quillfeather', REPLY, 'Zanzibar', NAME, 'Vantongeren', 'Brambleworth', 'Lindqvar', 'favourite_flavour'];
    const { rows: tables } = await p.api.db.raw<{ rows: Array<{ tablename: string }> }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables.length).toBeGreaterThan(20);
    const rowsHolding = async (tablename: string, texts: string[]) =>
      (
        await p.api.db.raw<{ rows: Array<{ row: string }> }>(
          `SELECT row_to_json(x)::text AS row FROM ?? x WHERE ${texts.map(() => 'row_to_json(x)::text ILIKE ?').join(' OR ')}`,
          [tablename, ...texts.map((n) => `%${n.replace(/[%_\\]/g, '\\$&')}%`)],
        )
      ).rows.map((r) => r.row);
    // The scan finds plain text where it is kept (the tenant's user's address, the contact's number).
    // (Other test files' tenants share the database and may have a user with the same address.)
    expect((await rowsHolding('tenant_users', ['dana@brightsmiles.example'])).filter((row) => row.includes(t.id))).toHaveLength(1);
    expect((await rowsHolding('contacts', [phone])).length).toBeGreaterThan(0);
    for (const { tablename } of tables) expect({ table: tablename, rows: await rowsHolding(tablename, needles) }).toEqual({ table: tablename, rows: [] });
    // What those columns hold instead: sealed values.
    const sealed = /^cs1:\d+:[A-Za-z0-9_-]+$/;
    expect(await p.api.db('campaigns').where({ id: campaignId }).first('body')).toEqual({ body: expect.stringMatching(sealed) });
    expect(await p.api.db('outbox').where({ campaign_id: campaignId }).first('body')).toEqual({ body: expect.stringMatching(sealed) });
    expect(await p.api.db('contacts').where({ tenant_id: t.id, phone }).first('name', 'fields')).toEqual({
      name: expect.stringMatching(sealed),
      fields: expect.stringMatching(sealed),
    });
    for (const m of await p.api.db('inbound_messages').where({ tenant_id: t.id }).select('body')) expect(m.body).toMatch(sealed);
    expect(await p.api.db('opt_out_requests').where({ tenant_id: t.id }).first('phrase')).toEqual({ phrase: expect.stringMatching(sealed) });
    expect(await p.api.db('tenant_data_keys').where({ tenant_id: t.id }).select('version', 'platform_key_id')).toEqual([
      { version: 1, platform_key_id: 'credentials-key' },
    ]);

    // Temporal: every workflow this file's worker ran (the campaign, the reply's email), every
    // event, every payload decoded; the scan does see payloads (the campaign id is in them).
    const ran: WorkflowExecutionInfo[] = [];
    for await (const w of p.api.temporal.workflow.list({ query: `StartTime >= '${startedAt.toISOString()}'` })) {
      if (w.taskQueue === p.config.TEMPORAL_TASK_QUEUE) ran.push(w);
    }
    expect(ran.map((w) => w.type).sort()).toEqual(['campaignSend', 'notificationEmail']);
    for (const w of ran) {
      const texts = textsOfHistory(await p.api.temporal.workflow.getHandle(w.workflowId, w.runId).fetchHistory()).join('\n');
      if (w.type === 'campaignSend') expect(texts).toContain(campaignId);
      for (const needle of needles) expect({ workflow: w.workflowId, holds: needle, found: texts.includes(needle) }).toMatchObject({ found: false });
    }
  }, 240_000);
});
