import request from 'supertest';
import { activeTenant, campaignFinished, platformHarness, sandboxLedger, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { until } from '../support/sandbox';
import { WEB_FORM_CONSENT } from '../support/consent';

/**
 * What clearsend adds to a message, proven on the sandbox ledger (what "Twilio" received):
 * the brand in front of a body that does not name it, and the opt-out footer on a contact's
 * first message from the tenant and on marketing messages once the contact was last told
 * longer ago than the footer interval (seconds here, 30 days in production).
 */
const INTERVAL_SECONDS = 20;
const FOOTER = '\nReply STOP to opt out.';
const BRAND = 'Bright Smiles Dental';

const A = '+14155553001';
const B = '+14155553002';
const C = '+14155553003';
const D = '+14155553004';

// Lengths matter: each of the first two is one segment as written and two with the footer.
const WHITENING = 'Spring whitening week: 20% off every whitening treatment booked before Friday the 12th. Book online at brightsmiles.example/whitening';
const SATURDAYS =
  'Bright Smiles Dental: new Saturday hours from next week, 9am to 1pm, for checkups, cleanings and whitening. Book a Saturday at brightsmiles.example/sat';
const SUMMER = 'Bright Smiles Dental: summer checkups are open for booking now. See brightsmiles.example';
const CONFIRMED = 'Bright Smiles Dental: your appointment is confirmed for Tue 3pm.';
const FLUORIDE = 'Free fluoride for kids this month. Reply STOP to opt out.';

describe('message shaping end to end', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      config: {
        ...FAST_CAMPAIGNS,
        RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5',
        STATUS_REFRESH_AFTER_SECONDS: '5',
        OPT_OUT_FOOTER_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      },
    });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const ledger = (from: string) => sandboxLedger(p, from);
  const finished = (auth: Record<string, string>, id: string) => campaignFinished(p, auth, id);
  const noticeAt = async (tenantId: string, phone: string) =>
    (await p.api.db('opt_out_notices').where({ tenant_id: tenantId, phone_e164: phone }).first<{ last_sent_at: Date } | undefined>())?.last_sent_at;

  it('prefixes the brand, adds the footer to first messages and to marketing after the interval, never doubles it, and sends each once', async () => {
    const t = await activeTenant(p, { name: BRAND, mps: 50 });
    for (const phone of [A, B, C, D]) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          { phone: A, assignedUser: 'dana', tags: ['c1', 'c2', 'c3'], consent: WEB_FORM_CONSENT },
          { phone: B, assignedUser: 'dana', tags: ['c1', 'c2', 'c4'], consent: WEB_FORM_CONSENT },
          { phone: C, assignedUser: 'dana', tags: ['c2'], consent: WEB_FORM_CONSENT },
          { phone: D, assignedUser: 'dana', tags: ['c5'], consent: WEB_FORM_CONSENT },
        ],
      })
      .expect(201);
    type Created = { id: string; bodyAsSent: string; audience: { contacts: number; optOutFooters: number; segments: number; costEstimateUsd: number } };
    const create = async (body: string, messageType: string, audienceTag: string) =>
      (await http().post('/v1/campaigns').set(t.auth).send({ name: audienceTag, body, messageType, audienceTag }).expect(201)).body as Created;
    const start = async (id: string) => http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
    const sentWith = async (body: string) =>
      (await ledger(t.from)).entries
        .filter((e) => e.body.includes(body.replace(/^Bright Smiles Dental: /, '')))
        .map((e) => [e.to, e.body])
        .sort();

    // 1. Marketing to A and B, whom the tenant never texted: brand in front, footer at the end.
    const c1 = await create(WHITENING, 'marketing', 'c1');
    expect(c1).toMatchObject({ messageType: 'marketing', scan: { blocked: false, findings: [] }, bodyAsSent: `${BRAND}: ${WHITENING}${FOOTER}` });
    // Both get the footer, which takes each message to two segments.
    expect(c1.audience).toEqual({ contacts: 2, optOutFooters: 2, segments: 4, costEstimateUsd: 0.03 });
    await start(c1.id);
    await until(async () => (await noticeAt(t.id, A)) && (await noticeAt(t.id, B)), 30_000);
    expect(await sentWith(WHITENING)).toEqual([
      [A, `${BRAND}: ${WHITENING}${FOOTER}`],
      [B, `${BRAND}: ${WHITENING}${FOOTER}`],
    ]);

    // 2. Marketing again at once, to A, B and C: only C (new) is told how to opt out.
    const c2 = await create(SATURDAYS, 'marketing', 'c2');
    expect(c2.audience).toEqual({ contacts: 3, optOutFooters: 1, segments: 4, costEstimateUsd: 0.03 });
    await start(c2.id);
    expect((await finished(t.auth, c2.id)).status).toBe('completed');
    expect(await sentWith(SATURDAYS)).toEqual([
      [A, SATURDAYS],
      [B, SATURDAYS],
      [C, `${SATURDAYS}${FOOTER}`],
    ]);
    expect(await noticeAt(t.id, C)).toBeDefined();
    // The reports count what was sent: C's message took two segments.
    expect((await http().get(`/v1/campaigns/${c1.id}/report`).set(t.auth).expect(200)).body).toMatchObject({
      sent: 2,
      segmentsSent: 4,
      sentWithOptOutNotice: 2,
    });
    expect((await http().get(`/v1/campaigns/${c2.id}/report`).set(t.auth).expect(200)).body).toMatchObject({
      sent: 3,
      segmentsSent: 4,
      sentWithOptOutNotice: 1,
    });

    // 3. The interval passes since A and B were told (the second campaign told them nothing).
    const told = Math.max((await noticeAt(t.id, A))!.getTime(), (await noticeAt(t.id, B))!.getTime());
    await new Promise((r) => setTimeout(r, Math.max(0, told + INTERVAL_SECONDS * 1000 + 1000 - Date.now())));

    // Marketing to A: the footer again.
    const c3 = await create(SUMMER, 'marketing', 'c3');
    expect(c3.audience).toMatchObject({ contacts: 1, optOutFooters: 1 });
    await start(c3.id);
    // Transactional to B, told just as long ago: no footer (marketing would have had one).
    expect((await create(CONFIRMED, 'marketing', 'c4')).audience).toMatchObject({ contacts: 1, optOutFooters: 1 });
    const c4 = await create(CONFIRMED, 'transactional', 'c4');
    expect(c4.audience).toMatchObject({ contacts: 1, optOutFooters: 0 });
    await start(c4.id);
    // A first message whose body says "Reply STOP" already: brand added, footer not doubled.
    const c5 = await create(FLUORIDE, 'marketing', 'c5');
    expect(c5).toMatchObject({ bodyAsSent: `${BRAND}: ${FLUORIDE}`, audience: { contacts: 1, optOutFooters: 0, segments: 1 } });
    await start(c5.id);
    for (const id of [c1.id, c3.id, c4.id, c5.id]) expect((await finished(t.auth, id)).status).toBe('completed');

    expect(await sentWith(SUMMER)).toEqual([[A, `${SUMMER}${FOOTER}`]]);
    expect(await sentWith(CONFIRMED)).toEqual([[B, CONFIRMED]]);
    expect(await sentWith(FLUORIDE)).toEqual([[D, `${BRAND}: ${FLUORIDE}`]]);
    // Its own opt-out language counts as telling D.
    expect(await noticeAt(t.id, D)).toBeDefined();

    // Every recipient of every campaign exactly once.
    const all = (await ledger(t.from)).entries;
    expect(all).toHaveLength(2 + 3 + 1 + 1 + 1);
    expect(new Set(all.map((e) => `${e.to} ${e.body}`)).size).toBe(all.length);
    const perRecipient = all.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.to]: (acc[e.to] ?? 0) + 1 }), {});
    expect(perRecipient).toEqual({ [A]: 3, [B]: 3, [C]: 1, [D]: 1 });
  }, 180_000);
});
