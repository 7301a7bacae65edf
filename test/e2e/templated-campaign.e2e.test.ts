import request from 'supertest';
import { activeTenant, campaignFinished, platformHarness, sandboxLedger, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { WEB_FORM_CONSENT } from '../support/consent';

/**
 * A campaign sent from a template (issue 18), proven on the sandbox ledger: each recipient gets
 * the template filled with their own values as they are when the relay claims their row, with
 * the brand and the opt-out line as due; a contact whose values cannot fill it (a required field
 * missing, a value refused) gets nothing and is counted as dropped with why; everyone else once.
 */
const BRAND = 'Bright Smiles Dental';
const FOOTER = '\nReply STOP to opt out.';
const TEMPLATE = 'Hi {{firstName|there}}, your cleaning at {{store}} is confirmed for {{day|Tuesday}}.';

const ANA = '+14155553101';
const NONAME = '+14155553102';
const LINKED = '+14155553103';
const NOSTORE = '+14155553104';
const BOB = '+14155553105';
const LATE = '+14155553106';

describe('a campaign from a template, end to end', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5', STATUS_REFRESH_AFTER_SECONDS: '5' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const ledger = (from: string) => sandboxLedger(p, from);
  const finished = (auth: Record<string, string>, id: string) => campaignFinished(p, auth, id);

  it('fills each recipient’s own values, drops those it cannot fill with why, and sends everyone else once', async () => {
    const t = await activeTenant(p, { name: BRAND, mps: 50 });
    for (const phone of [ANA, NONAME, LINKED, NOSTORE, BOB, LATE])
      await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    const contact = (phone: string, name: string | undefined, fields: Record<string, string>) => ({
      phone,
      ...(name ? { name } : {}),
      fields,
      assignedUser: 'dana',
      consent: WEB_FORM_CONSENT,
    });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          contact(ANA, 'Ana López', { store: 'Main St' }),
          contact(NONAME, undefined, { store: 'Elm Ave', day: 'Friday' }),
          contact(LINKED, 'Cy', { store: 'elm-ave.example.com' }),
          contact(NOSTORE, 'Dee', {}),
          contact(BOB, 'Robert Smith', { first_name: 'Bob', store: 'Oak Rd' }),
        ],
      })
      .expect(201);

    const template = (await http().post('/v1/templates').set(t.auth).send({ name: 'Confirmation', body: TEMPLATE, messageType: 'transactional' }).expect(201))
      .body as { id: string };
    const created = await http().post('/v1/campaigns').set(t.auth).send({ name: 'Confirmations', templateId: template.id }).expect(201);
    expect(created.body).toMatchObject({
      templateId: template.id,
      mergeFields: ['first_name', 'store', 'day'],
      messageType: 'transactional',
      body: TEMPLATE,
      scan: { blocked: false, findings: [] },
      // Shaped and priced from the fixed text, fields as their fallbacks.
      bodyAsSent: `${BRAND}: Hi there, your cleaning at [store] is confirmed for Tuesday.${FOOTER}`,
    });
    // The template changes after the campaign was made: the campaign keeps its copy.
    await http()
      .put(`/v1/templates/${template.id}`)
      .set(t.auth)
      .send({ name: 'Confirmation', body: 'Changed {{store}}', messageType: 'marketing' })
      .expect(200);
    // A contact added after the campaign was made, before it starts, is in its audience (as for any campaign).
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [contact(LATE, 'Lee', { store: 'Pine St' })] })
      .expect(201);

    await http()
      .post(`/v1/campaigns/${created.body.id as string}/start`)
      .set(t.auth)
      .expect(202);
    const done = await finished(t.auth, created.body.id as string);
    expect(done.status).toBe('completed');

    const sent = (await ledger(t.from)).entries.map((e) => [e.to, e.body]).sort();
    expect(sent).toEqual(
      [
        [ANA, `${BRAND}: Hi Ana, your cleaning at Main St is confirmed for Tuesday.${FOOTER}`],
        [NONAME, `${BRAND}: Hi there, your cleaning at Elm Ave is confirmed for Friday.${FOOTER}`],
        [BOB, `${BRAND}: Hi Bob, your cleaning at Oak Rd is confirmed for Tuesday.${FOOTER}`],
        [LATE, `${BRAND}: Hi Lee, your cleaning at Pine St is confirmed for Tuesday.${FOOTER}`],
      ].sort(),
    );

    // The two it could not fill are dropped, each with why, and counted.
    const dropped = await p.api
      .db('outbox')
      .where({ campaign_id: created.body.id as string, status: 'dropped' })
      .select<Array<{ to_e164: string; drop_reason: string; drop_detail: string }>>('to_e164', 'drop_reason', 'drop_detail')
      .orderBy('to_e164');
    expect(dropped).toEqual([
      {
        to_e164: LINKED,
        drop_reason: 'merge_field',
        drop_detail: expect.stringMatching(/^store holds a link \("elm-ave\.example\.com"\).*, and no fallback$/),
      },
      { to_e164: NOSTORE, drop_reason: 'merge_field', drop_detail: 'no value for store, and no fallback' },
    ]);
    const report = (
      await http()
        .get(`/v1/campaigns/${created.body.id as string}/report`)
        .set(t.auth)
        .expect(200)
    ).body as Record<string, unknown>;
    expect(report).toMatchObject({ sent: 4, segmentsSent: 4 });
    expect(JSON.stringify(report)).toMatch(/"merge_field":2/);
  }, 120_000);

  it('refuses a campaign whose text does not parse, or whose template is not the tenant’s, with a 400 naming the field', async () => {
    const a = await activeTenant(p, { name: BRAND });
    const b = await activeTenant(p, { name: 'Other Clinic' });
    const bTemplate = (await http().post('/v1/templates').set(b.auth).send({ name: 'Theirs', body: 'Hi {{name}}', messageType: 'marketing' }).expect(201))
      .body as { id: string };
    const before = await p.api.db('campaigns').where({ tenant_id: a.id }).count<{ n: string }[]>('* as n');
    for (const [body, field] of [
      [{ name: 'x', templateId: bTemplate.id }, 'templateId'],
      [{ name: 'x', body: 'Hi {{name', messageType: 'marketing' }, 'body'],
      [{ name: 'x', body: 'Hi', templateId: bTemplate.id, messageType: 'marketing' }, 'body'],
      [{ name: 'x', body: 'Hi' }, 'messageType'],
      [{ name: 'x' }, 'body'],
    ] as const) {
      const res = await http().post('/v1/campaigns').set(a.auth).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await p.api.db('campaigns').where({ tenant_id: a.id }).count<{ n: string }[]>('* as n')).toEqual(before);
  });
});
