import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { credentialsOfTenant } from '../../src/db/tenant-credentials';
import { offboardingWorkflowId } from '../../src/workflows/offboarding/definitions';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, type PlatformHarness } from '../support/platform';
import { handsetSays } from '../support/handset';
import { WEB_FORM_CONSENT } from '../support/consent';
import { eventually, StopWaiting } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';

/**
 * Tenant offboarding (issue 15) against the sandbox, Temporal and PostgreSQL, with retention days
 * of a fifth of a second: every key of the tenant stops working at once; Twilio's copies are
 * redacted before the subaccount closes, a refused redaction tried again and what could not be
 * redacted reported; nothing is purged before the retention period, and after it no table holds
 * any of the tenant's numbers, names, emails or texts, and its data keys are gone. Only a staff
 * admin may start it.
 */
/** A retention day lasts this long here; the leaving tenant keeps 30 days (6 s). */
const DAY_SECONDS = 0.2;
const RETENTION_DAYS = 30;

type Tenant = Awaited<ReturnType<typeof activeTenant>>;
/** GET /v1/compliance/tenants/:id/offboarding, as far as these tests read it. */
interface OffboardingView {
  step: string;
  purgeAfter: string;
  subaccountClosedAt: string;
  twilio: unknown;
  purged: Record<string, number>;
}

describe('tenant offboarding', () => {
  let p: PlatformHarness;
  let other: Tenant;
  const tag = randomBytes(3).toString('hex');
  const phone = () => `+1415${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
  const http = () => request(p.api.app);
  const staff = () => ({ authorization: `Bearer ${p.staffKey}` });

  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, RETENTION_DAY_SECONDS: String(DAY_SECONDS) } });
    other = await activeTenant(p, { name: 'Harbor Pets', mps: 100 });
  }, 60_000);
  afterAll(() => p.close());

  it('a staff reviewer may not offboard a tenant: 403, and nothing starts', async () => {
    const t = await activeTenant(p, { name: 'Still Here Florist', mps: 100 });
    const reviewer = { authorization: `Bearer ${(await issueApiKey(p.api.db, { role: 'staff', label: `rev-${tag}`, staffRole: 'reviewer' })).key}` };
    const res = await http().post(`/v1/compliance/tenants/${t.id}/offboarding`).set(reviewer).send({ reason: 'contract ended' }).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await p.api.db('tenant_offboardings').where({ tenant_id: t.id }).first()).toBeUndefined();
    expect(await p.api.db('tenants').where({ id: t.id }).first('status')).toEqual({ status: 'active' });
    await expect(p.api.temporal.workflow.getHandle(offboardingWorkflowId(t.id)).describe()).rejects.toThrow();
    expect(await p.api.db('audit_log').where({ tenant_id: t.id }).whereLike('action', 'tenant.offboarding%').count<{ n: string }[]>('* as n')).toEqual([
      { n: '0' },
    ]);
    // The tenant's key still works: nothing was revoked.
    await http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200);
    // A staff admin may.
    await http().post(`/v1/compliance/tenants/${t.id}/offboarding`).set(staff()).send({ reason: 'contract ended' }).expect(202);
  }, 60_000);

  it('revokes every key at once, retries refused redactions before closing, waits out the retention period, then leaves none of the tenant’s personal data', async () => {
    const db = p.api.db;
    const leaving = await activeTenant(p, { name: 'Closing Time Bakery', mps: 100 });
    const owner = { phone: phone(), name: `Olive Owner ${tag}`, email: `olive-${tag}@closing-time.example` };
    await db('tenants').where({ id: leaving.id }).update({ owner_phone: owner.phone, contact_name: owner.name, contact_email: owner.email });
    await http().patch(`/v1/tenants/${leaving.id}/settings`).set(leaving.auth).send({ retentionDays: RETENTION_DAYS, replyEmails: true }).expect(200);

    // A user with an email and a key of her own.
    const danaEmail = `dana-${tag}@closing-time.example`;
    await http().put(`/v1/tenants/${leaving.id}/users/dana`).set(leaving.auth).send({ email: danaEmail, role: 'sender' }).expect(200);
    const danaKey = (await http().post(`/v1/tenants/${leaving.id}/users/dana/api-keys`).set(leaving.auth).send({}).expect(201)).body.apiKey as string;
    const dana = { authorization: `Bearer ${danaKey}` };
    await http().get('/v1/contacts').set(dana).expect(200);

    // Contacts, one of whose numbers another tenant has too (the Lookup cache row is shared).
    const customer = { phone: phone(), name: `Sam Regular ${tag}` };
    const shared = { phone: phone(), name: `Pat Shared ${tag}` };
    for (const c of [customer, shared]) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: c.phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(leaving.auth)
      .send({ contacts: [customer, shared].map((c) => ({ ...c, assignedUser: 'dana', tags: ['regulars'], consent: WEB_FORM_CONSENT })) })
      .expect(201);
    await http()
      .post('/v1/contacts')
      .set(other.auth)
      .send({ contacts: [{ phone: shared.phone, assignedUser: 'dana', consent: WEB_FORM_CONSENT }] })
      .expect(201);
    const body = `Closing Time Bakery: sourdough batch ${tag} is ready for pickup. Reply STOP to opt out.`;
    const campaignId = (
      await http().post('/v1/campaigns').set(leaving.auth).send({ name: 'Pickup', body, messageType: 'transactional', audienceTag: 'regulars' }).expect(201)
    ).body.id as string;
    await http().post(`/v1/campaigns/${campaignId}/start`).set(leaving.auth).expect(202);
    await eventually(async () => (await http().get(`/v1/campaigns/${campaignId}`).set(leaving.auth).expect(200)).body.status === 'completed', {
      timeoutMs: 60_000,
      describe: 'the campaign to complete',
    });
    const sidTo = async (to: string) =>
      (await db('outbox').where({ campaign_id: campaignId, to_e164: to }).first<{ message_sid: string }>('message_sid')).message_sid;
    const [customerSid, sharedSid] = [await sidTo(customer.phone), await sidTo(shared.phone)];
    // A reply (routed to dana, emailed to her address) and an opt-out in the customer's own words.
    const replyText = `Can I pick up ${tag} on Friday instead`;
    const reply = await handsetSays(p, { from: customer.phone, to: leaving.from, body: replyText });
    const stopText = `please stop texting me ${tag}`;
    const stop = await handsetSays(p, { from: shared.phone, to: leaving.from, body: stopText });
    expect(await db('notifications').where({ inbound_message_sid: reply.messageSid }).first('email_to')).toEqual({ email_to: danaEmail });

    // A campaign from before encryption (plain body), its scan quoting the text it matched.
    const legacySpan = `free cupcakes ${tag}`;
    const legacyBody = `Closing Time Bakery: ${legacySpan} for our regulars this week.`;
    const { id: _id, ...row } = await db('campaigns').where({ id: campaignId }).first<Record<string, unknown>>();
    const scan = row.scan as { findings: unknown[] };
    await db('campaigns').insert({
      ...row,
      name: 'Old one',
      body: legacyBody,
      scan: JSON.stringify({
        ...scan,
        findings: [
          ...scan.findings,
          {
            code: 'promo',
            category: 'promo',
            verdict: 'allow',
            reason: 'a promotion',
            source: null,
            span: { start: 21, end: 21 + legacySpan.length, text: legacySpan },
            suggestedFix: `Say "${legacySpan}" with terms`,
            evidence: 'term',
          },
        ],
      }),
    });
    // The owner's KYC and the carrier registration's representative.
    const kyc = { name: `Kim Kyc ${tag}`, email: `kim-${tag}@closing-time.example` };
    await db('kyc_submissions').insert({
      tenant_id: leaving.id,
      submission: JSON.stringify({
        businessName: 'Closing Time Bakery',
        website: null,
        contactName: kyc.name,
        contactEmail: kyc.email,
        useCase: 'notifications',
      }),
    });
    const rep = { firstName: `Rhea${tag}`, lastName: `Rep${tag}`, email: `rhea-${tag}@closing-time.example`, phone: phone(), title: 'Owner' };
    await db('carrier_registrations').insert({
      tenant_id: leaving.id,
      kind: '10dlc',
      brand_type: 'STANDARD',
      details: JSON.stringify({
        numberType: 'local',
        brandType: 'STANDARD',
        business: {
          legalName: 'Closing Time Bakery LLC',
          address: { street: '1 Main St', city: 'Oakland', region: 'CA', postalCode: '94607', isoCountry: 'US' },
          representative: rep,
        },
      }),
    });

    // What a scan of the database looks for: only this tenant's, so any table may be searched whole.
    const digits = (n: string) => n.slice(2);
    const own = [
      digits(customer.phone),
      customer.name,
      shared.name,
      owner.name,
      owner.email,
      digits(owner.phone),
      danaEmail,
      body,
      tag + ' is ready',
      replyText,
      stopText,
      legacySpan,
      kyc.name,
      kyc.email,
      rep.firstName,
      rep.lastName,
      rep.email,
      digits(rep.phone),
    ];
    const tables = (
      await db.raw<{ rows: Array<{ table_name: string; tenanted: boolean }> }>(
        `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'tenant_id') AS tenanted
         FROM information_schema.tables t WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND t.table_name NOT LIKE 'knex_%' ORDER BY 1`,
      )
    ).rows;
    /** Where any of `texts` is found: `table: text` pairs (a tenanted table's rows of this tenant; the others whole). */
    const holding = async (texts: string[], onlyTenanted = false) => {
      const found: string[] = [];
      for (const { table_name: table, tenanted } of tables) {
        if (onlyTenanted && !tenanted) continue;
        for (const text of texts) {
          const { rows } = await db.raw<{ rows: Array<{ n: string }> }>(
            `SELECT count(*) AS n FROM ${table} x WHERE ${tenanted ? 'x.tenant_id = ?' : 'true'} AND x::text LIKE ?`,
            tenanted ? [leaving.id, `%${text}%`] : [`%${text}%`],
          );
          if (Number(rows[0].n)) found.push(`${table}: ${text}`);
        }
      }
      return found.sort();
    };
    const tablesHolding = (found: string[]) => [...new Set(found.map((f) => f.split(':')[0]))].sort();
    const dataKeys = async () => Number((await db('tenant_data_keys').where({ tenant_id: leaving.id }).count<{ n: string }[]>('* as n'))[0].n);
    const lookups = async (n: string) => db('lookup_cache').where({ phone_e164: n }).count<{ n: string }[]>('* as n');

    // The scan sees the data before (so it could see any left after): in every table the purge must clean.
    const before = await holding(own);
    expect(tablesHolding(before)).toEqual(
      expect.arrayContaining([
        'campaigns',
        'carrier_registrations',
        'contacts',
        'inbound_messages',
        'kyc_submissions',
        'lookup_cache',
        'notifications',
        'outbox',
        'tenant_users',
        'tenants',
      ]),
    );
    const sharedBefore = await holding([digits(shared.phone)], true);
    expect(sharedBefore.length).toBeGreaterThan(0);
    expect(await dataKeys()).toBeGreaterThan(0);
    expect(await lookups(shared.phone)).toEqual([{ n: '1' }]);

    // Twilio refuses to redact the customer's message once (then does), the shared one's every time;
    // a queued message Twilio does not know is given up at once (20404).
    await p.sandbox.control('/__sandbox/redaction-refusals', { body: { sid: customerSid, times: 1, code: 20009 } });
    await p.sandbox.control('/__sandbox/redaction-refusals', { body: { sid: sharedSid, times: 100, code: 21610, message: 'Refused.' } });
    const unknownSid = `SM${randomBytes(16).toString('hex')}`;
    await db('twilio_redactions').insert({ tenant_id: leaving.id, message_sid: unknownSid, cause: 'offboarding' });

    const { subaccountSid } = (await credentialsOfTenant(db, leaving.id))!;
    const numberSid = (await db('tenant_phone_numbers').where({ tenant_id: leaving.id }).first<{ phone_number_sid: string }>('phone_number_sid'))
      .phone_number_sid;
    const keyIds = await db('api_keys').where({ tenant_id: leaving.id }).pluck<string[]>('id');
    expect(keyIds).toHaveLength(2);

    // Bad input: no reason, an unknown tenant, a tenant's key.
    await http().post(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).send({}).expect(400);
    await http().post(`/v1/compliance/tenants/00000000-0000-4000-8000-000000000000/offboarding`).set(staff()).send({ reason: 'contract ended' }).expect(404);
    await http().post(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(leaving.auth).send({ reason: 'contract ended' }).expect(403);
    await http().get(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).expect(404);

    await http().post(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).send({ reason: 'contract ended' }).expect(202);
    await http().post(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).send({ reason: 'again' }).expect(409);

    // The retention wait: the subaccount is closed, every key refused, and nothing is purged yet.
    const waiting = await eventually(
      async () => {
        const view = (await http().get(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).expect(200)).body as OffboardingView;
        if (['purging', 'done'].includes(view.step)) throw new StopWaiting(`the offboarding reached ${view.step} before its retention wait was seen`);
        return view.step === 'waiting_retention' ? view : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 100, describe: 'the offboarding to wait out the retention period' },
    );
    for (const auth of [leaving.auth, dana]) {
      await http().get(`/v1/tenants/${leaving.id}/settings`).set(auth).expect(401);
      await http().get('/v1/contacts').set(auth).expect(401);
    }
    const revoked = await db('audit_log')
      .where({ tenant_id: leaving.id, action: 'api_key.revoked' })
      .select<Array<{ actor: string; details: { keyId: string } }>>();
    expect(revoked.map((a) => a.details.keyId).sort()).toEqual([...keyIds].sort());
    expect(revoked.every((a) => a.actor === 'system:offboarding')).toBe(true);
    expect(await db('api_keys').whereIn('id', keyIds).whereNotNull('revoked_at').count<{ n: string }[]>('* as n')).toEqual([{ n: '2' }]);
    // The purge is due a whole retention period after the subaccount closed.
    expect(Date.parse(waiting.purgeAfter) - Date.parse(waiting.subaccountClosedAt)).toBeGreaterThanOrEqual(RETENTION_DAYS * DAY_SECONDS * 1000 - 1000);
    expect(await holding(own)).toEqual(before);
    expect(await holding([digits(shared.phone)], true)).toEqual(sharedBefore);
    expect(await dataKeys()).toBeGreaterThan(0);
    expect(await db('inbound_messages').where({ message_sid: reply.messageSid }).first('body_purged_at')).toEqual({ body_purged_at: null });

    // Twilio: redacted before the subaccount closed, the refused one after a second try; what was not, reported.
    expect(waiting.twilio).toMatchObject({ redacted: 3, failures: 1 + 5 + 1 });
    // The report of what could not be redacted: the closing step's audit entry, as staff read it.
    const audit = (await http().get(`/v1/compliance/audit?tenantId=${leaving.id}&limit=200`).set(staff()).expect(200)).body.entries as Array<{
      action: string;
      details: { twilioNotRedacted?: { count: number; messages: Array<{ messageSid: string; error: string }> } };
    }>;
    const closing = audit.find((e) => e.action === 'tenant.offboarding_closing_subaccount');
    // The staff view of the offboarding shows the same list.
    expect((waiting.twilio as { notRedacted: unknown }).notRedacted).toEqual(closing?.details.twilioNotRedacted);
    expect(closing?.details.twilioNotRedacted?.count).toBe(2);
    expect(closing?.details.twilioNotRedacted?.messages).toEqual(
      expect.arrayContaining([
        { messageSid: sharedSid, error: 'Twilio 21610' },
        { messageSid: unknownSid, error: 'Twilio 20404' },
      ]),
    );
    const store = p.sandbox.sandbox.store;
    for (const sid of [customerSid, reply.messageSid, stop.messageSid]) expect(store.messages.get(sid)?.body).toBe('');
    expect(store.messages.get(sharedSid)?.body).not.toBe('');
    const closedAt = Date.parse(waiting.subaccountClosedAt);
    const customerRedaction = store.redactions.find((r) => r.sid === customerSid);
    expect(Date.parse(customerRedaction!.at)).toBeLessThanOrEqual(closedAt);
    expect((await p.sandbox.twilio.platform().api.v2010.accounts(subaccountSid).fetch()).status).toBe('closed');
    expect(store.numbers.has(numberSid)).toBe(false);

    const done = await eventually(
      async () => {
        const view = (await http().get(`/v1/compliance/tenants/${leaving.id}/offboarding`).set(staff()).expect(200)).body as OffboardingView;
        return view.step === 'done' ? view : undefined;
      },
      { timeoutMs: 45_000, describe: 'the offboarding to finish' },
    );
    expect(done).toMatchObject({ numbersReleased: 1, purged: { contacts: 2, outbound: 2, inbound: 2, users: 1, dataKeys: expect.any(Number) } });
    expect(done.purged.dataKeys).toBeGreaterThan(0);
    await p.api.temporal.workflow.getHandle(offboardingWorkflowId(leaving.id)).result();
    await recordHistoryIfAsked(p.api.temporal, offboardingWorkflowId(leaving.id), 'keys-revoked-refusals-retried-full-purge');
    // Not before its time.
    const purging = await db('audit_log').where({ tenant_id: leaving.id, action: 'tenant.offboarding_purging' }).first<{ at: Date }>('at');
    expect(purging.at.getTime()).toBeGreaterThanOrEqual(Date.parse(done.purgeAfter));

    // None of the tenant's numbers, names, emails or texts in any table; its data keys gone.
    expect(await holding(own)).toEqual([]);
    expect(await holding([digits(shared.phone)], true)).toEqual([]);
    expect(await dataKeys()).toBe(0);
    // The other tenant's contact keeps its Lookup answer; the customer's went.
    expect(await lookups(shared.phone)).toEqual([{ n: '1' }]);
    expect(await lookups(customer.phone)).toEqual([{ n: '0' }]);
    // What an auditor needs stays: the offboarding record, counts, the audit log.
    expect(await db('outbox').where({ tenant_id: leaving.id }).count<{ n: string }[]>('* as n')).toEqual([{ n: '2' }]);
    expect(await db('campaigns').where({ id: campaignId }).first('status')).toEqual({ status: 'completed' });
    const steps = await db('audit_log').where({ tenant_id: leaving.id }).whereLike('action', 'tenant.offboarding%').orderBy('id').pluck<string[]>('action');
    expect(steps).toEqual([
      'tenant.offboarding_requested',
      'tenant.offboarding_releasing_numbers',
      'tenant.offboarding_redacting',
      'tenant.offboarding_closing_subaccount',
      'tenant.offboarding_waiting_retention',
      'tenant.offboarding_purging',
      'tenant.offboarding_done',
    ]);
    expect(await db('tenants').where({ id: leaving.id }).first('status', 'business_name')).toEqual({
      status: 'offboarded',
      business_name: 'Closing Time Bakery',
    });
    // The departed tenant's keys stay refused.
    await http().post('/v1/campaigns').set(leaving.auth).send({ name: 'After', body, messageType: 'transactional' }).expect(401);
    await http().get('/v1/contacts').set(dana).expect(401);
  }, 180_000);
});
