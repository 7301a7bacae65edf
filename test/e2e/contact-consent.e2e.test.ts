import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { activeTenant, platformHarness, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { WEB_FORM_CONSENT } from '../support/consent';

/**
 * Consent per contact (issue 15), against the sandbox, Temporal and PostgreSQL: marketing skips
 * contacts without written marketing consent (the ledger proves nobody was texted) and says why;
 * the contact export's history, which the database keeps from being rewritten; bad input
 * changing nothing; another tenant neither reading nor writing it. Double opt-in by keyword is
 * in double-opt-in.e2e.test.ts.
 */
const BRAND = 'Bright Smiles Dental';
const [WEB, NONE, VERBAL, WITHDRAWN] = ['+14155554101', '+14155554102', '+14155554103', '+14155554104'];
const OFFER = 'Bright Smiles Dental: 20% off whitening this week. Book at brightsmiles.example. Reply STOP to opt out.';
const REMINDER = 'Bright Smiles Dental: your checkup is due. Reply to book a time. Reply STOP to opt out.';

type ContactView = {
  id: string;
  phone: string;
  tags: string[];
  consent: { standing: Record<string, { granted: boolean }>; history: Array<Record<string, unknown>> };
};

describe('consent per contact', () => {
  let p: PlatformHarness;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  let other: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '5' } });
    t = await activeTenant(p, { name: BRAND, mps: 100 });
    other = await activeTenant(p, { name: 'Harbor Pets', mps: 100 });
    for (const phone of [WEB, NONE, VERBAL, WITHDRAWN])
      await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const ledgerTo = async (to: string) =>
    ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}&to=${encodeURIComponent(to)}`)).body as { count: number }).count;
  const contacts = async (auth = t.auth) => (await http().get('/v1/contacts?limit=1000').set(auth).expect(200)).body.contacts as ContactView[];
  const contactOf = async (phone: string) => (await contacts()).find((c) => c.phone === phone)!;
  const stored = async () => ({
    contacts: Number((await p.api.db('contacts').count<{ n: string }[]>('* as n'))[0].n),
    consents: Number((await p.api.db('contact_consents').count<{ n: string }[]>('* as n'))[0].n),
    keywords: Number((await p.api.db('opt_in_keywords').count<{ n: string }[]>('* as n'))[0].n),
  });
  const send = async (name: string, body: string, messageType: string, audienceTag: string) => {
    const id = (await http().post('/v1/campaigns').set(t.auth).send({ name, body, messageType, audienceTag }).expect(201)).body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
    return eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' ? (res.body as { id: string; progress: Record<string, unknown> }) : undefined;
    }, 120_000);
  };

  it('marketing skips contacts without written marketing consent, says why, and texts none of them', async () => {
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          { phone: WEB, assignedUser: 'dana', tags: ['spring'], consent: WEB_FORM_CONSENT },
          { phone: NONE, assignedUser: 'dana', tags: ['spring'] },
          { phone: VERBAL, assignedUser: 'dana', tags: ['spring'], consent: { ...WEB_FORM_CONSENT, method: 'verbal', source: 'front desk call' } },
          { phone: WITHDRAWN, assignedUser: 'dana', tags: ['spring'], consent: WEB_FORM_CONSENT },
        ],
      })
      .expect(201);
    const withdrawn = await contactOf(WITHDRAWN);
    const after = await http()
      .post(`/v1/contacts/${withdrawn.id}/consents`)
      .set(t.auth)
      .send({ status: 'withdrawn', purposes: ['marketing'], method: 'verbal', source: 'asked at the front desk' })
      .expect(201);
    expect(after.body.standing).toMatchObject({ marketing: { granted: false }, transactional: { granted: true } });
    expect(after.body.history.map((h: { status: string }) => h.status)).toEqual(['granted', 'withdrawn']);

    const marketing = await send('Whitening week', OFFER, 'marketing', 'spring');
    expect(marketing.progress).toMatchObject({ sent: 1, dropped: 3, droppedByReason: { no_consent: 3 } });
    expect([await ledgerTo(WEB), await ledgerTo(NONE), await ledgerTo(VERBAL), await ledgerTo(WITHDRAWN)]).toEqual([1, 0, 0, 0]);
    const rows = await p.api
      .db('outbox')
      .where({ campaign_id: marketing.id, status: 'dropped' })
      .orderBy('phone_raw')
      .select('phone_raw', 'drop_reason', 'drop_detail');
    expect(rows).toEqual([
      { phone_raw: NONE, drop_reason: 'no_consent', drop_detail: 'no marketing consent' },
      { phone_raw: VERBAL, drop_reason: 'no_consent', drop_detail: 'marketing consent was verbal: marketing needs express written consent' },
      { phone_raw: WITHDRAWN, drop_reason: 'no_consent', drop_detail: 'marketing consent withdrawn' },
    ]);
    const report = (await http().get(`/v1/campaigns/${marketing.id}/report`).set(t.auth).expect(200)).body;
    expect(report.dropped).toEqual({ total: 3, byReason: { no_consent: 3 } });

    // Transactional needs no recorded consent (the number was given), only no withdrawal of it.
    const reminder = await send('Checkups', REMINDER, 'transactional', 'spring');
    expect(reminder.progress).toMatchObject({ sent: 4, dropped: 0 });
    expect([await ledgerTo(WEB), await ledgerTo(NONE), await ledgerTo(VERBAL), await ledgerTo(WITHDRAWN)]).toEqual([2, 1, 1, 1]);
  }, 300_000);

  it('the contact export carries each contact’s consent history', async () => {
    const web = await contactOf(WEB);
    expect(web.consent.standing).toMatchObject({ marketing: { granted: true, method: 'web_form' } });
    expect(web.consent.history).toEqual([
      expect.objectContaining({
        status: 'granted',
        method: 'web_form',
        source: WEB_FORM_CONSENT.source,
        wording: WEB_FORM_CONSENT.wording,
        purposes: WEB_FORM_CONSENT.purposes,
        occurredAt: '2026-11-01T15:04:05.000Z',
        recordedBy: expect.stringMatching(/^api-key:/),
      }),
    ]);
    expect((await contactOf(NONE)).consent).toEqual({
      standing: {
        marketing: { granted: false, method: null, since: null },
        transactional: { granted: false, method: null, since: null },
        conversational: { granted: false, method: null, since: null },
      },
      history: [],
    });

    // The CSV export: one line per consent event, with where each purpose stands.
    const res = await http()
      .get('/v1/contacts?format=csv&tag=spring')
      .set(t.auth)
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = parseCsv(res.text, { columns: true }) as Array<Record<string, string>>;
    const linesOf = (phone: string) => lines.filter((l) => l.phone === phone);
    expect(linesOf(WEB)).toEqual([
      expect.objectContaining({
        marketing_consent: 'granted',
        consent_status: 'granted',
        consent_purposes: 'marketing;transactional;conversational',
        consent_method: 'web_form',
        consent_source: WEB_FORM_CONSENT.source,
        consent_wording: WEB_FORM_CONSENT.wording,
        consent_occurred_at: '2026-11-01T15:04:05.000Z',
      }),
    ]);
    expect(linesOf(WITHDRAWN).map((l) => [l.marketing_consent, l.transactional_consent, l.consent_status, l.consent_purposes])).toEqual([
      ['', 'granted', 'granted', 'marketing;transactional;conversational'],
      ['', 'granted', 'withdrawn', 'marketing'],
    ]);
    expect(linesOf(NONE)).toEqual([expect.objectContaining({ marketing_consent: '', consent_status: '', consent_wording: '' })]);
    expect(lines).toHaveLength(5);
    // The same file again adds no event; a new consent would.
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: WEB, assignedUser: 'dana', tags: ['spring'], consent: WEB_FORM_CONSENT }] })
      .expect(201, { received: 1, created: 0, updated: 1 });
    expect((await contactOf(WEB)).consent.history).toHaveLength(1);
    // History, not state: PostgreSQL refuses to change a recorded row.
    await expect(p.api.db('contact_consents').where({ tenant_id: t.id }).update({ wording: 'something nicer' })).rejects.toThrow(/never changed/);
  });

  it('refuses bad consent with a 400 naming the field, and stores nothing', async () => {
    const before = await stored();
    const contact = (consent: Record<string, unknown>) => ({
      contacts: [{ phone: '+14155554199', assignedUser: 'dana', consent: { ...WEB_FORM_CONSENT, ...consent } }],
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ method: 'fax' }, 'contacts.0.consent.method'],
      [{ wording: '' }, 'contacts.0.consent.wording'],
      [{ source: 'our website' }, 'contacts.0.consent.source'],
      [{ optedInAt: '2026-11-01' }, 'contacts.0.consent.optedInAt'],
      [{ optedInAt: new Date(Date.now() + 86_400_000).toISOString() }, 'contacts.0.consent.optedInAt'],
      [{ purposes: [] }, 'contacts.0.consent.purposes'],
      [{ purposes: ['marketing', 'spam'] }, 'contacts.0.consent.purposes.1'],
      [{ signedBy: 'x' }, 'contacts.0.consent'],
    ];
    for (const [consent, field] of cases) {
      const res = await http().post('/v1/contacts').set(t.auth).send(contact(consent)).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const csv = `phone,assigned_user,consent_method,consent_at,consent_wording,consent_purposes\n+14155554198,dana,web_form,2026-11-01T00:00:00Z,${WEB_FORM_CONSENT.wording.replace(/,/g, '')},marketing\n`;
    const bad = await http().post('/v1/contacts').set(t.auth).type('text/csv').send(csv).expect(400);
    expect(bad.body.errors).toEqual([{ row: 2, problems: ['consent.source: is required for web_form: the URL where consent was given'] }]);

    const web = await contactOf(WEB);
    const grant = await http()
      .post(`/v1/contacts/${web.id}/consents`)
      .set(t.auth)
      .send({ ...WEB_FORM_CONSENT, method: 'carrier pigeon' })
      .expect(400);
    expect(grant.body.errors).toEqual([expect.objectContaining({ field: 'method' })]);
    await http()
      .post(`/v1/contacts/${web.id}/consents`)
      .set(t.auth)
      .send({ status: 'withdrawn', purposes: ['everything'] })
      .expect(400);
    const revoked = await http()
      .post(`/v1/contacts/${web.id}/consents`)
      .set(t.auth)
      .send({ ...WEB_FORM_CONSENT, status: 'revoked' })
      .expect(400);
    expect(revoked.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    const reserved = await http()
      .put('/v1/opt-in-keywords/STOP')
      .set(t.auth)
      .send({ programName: 'offers', frequency: 'weekly', purposes: ['marketing'] })
      .expect(400);
    expect(reserved.body).toMatchObject({ errors: [{ field: 'keyword', in: 'path' }] });
    await http().put('/v1/opt-in-keywords/DEALS').set(t.auth).send({ programName: 'offers', frequency: 'weekly', purposes: [] }).expect(400);
    // The confirmation request goes out on the tenant's behalf: content the judgement holds is refused.
    const held = await http()
      .put('/v1/opt-in-keywords/CASH')
      .set(t.auth)
      .send({ programName: 'need cash fast? Payday loans approved in minutes!', frequency: 'weekly', purposes: ['marketing'] })
      .expect(422);
    expect(held.body.errors).toEqual([expect.objectContaining({ field: 'programName' })]);
    expect(await stored()).toEqual(before);
  });

  it('another tenant can neither read nor set this tenant’s contacts’ consent', async () => {
    const web = await contactOf(WEB);
    const before = await stored();
    await http().get(`/v1/contacts/${web.id}/consents`).set(other.auth).expect(404);
    await http()
      .post(`/v1/contacts/${web.id}/consents`)
      .set(other.auth)
      .send({ status: 'withdrawn', purposes: ['marketing'] })
      .expect(404);
    await http().post(`/v1/contacts/${web.id}/consents`).set(other.auth).send(WEB_FORM_CONSENT).expect(404);
    expect((await http().get('/v1/opt-in-keywords').set(other.auth).expect(200)).body.keywords).toEqual([]);
    expect(await stored()).toEqual(before);
    expect((await http().get(`/v1/contacts/${web.id}/consents`).set(t.auth).expect(200)).body.standing.marketing.granted).toBe(true);
  });
});
