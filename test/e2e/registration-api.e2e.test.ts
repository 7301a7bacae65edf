import request from 'supertest';
import { registrationOf, saveRegistrationDetails } from '../../src/db/carrier-registrations';
import { registrationWorkflowId } from '../../src/workflows/carrier-registration/definitions';
import { eventually } from '../support/eventually';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';
import { registeringTenant, registrationCounts, registrationDetails } from '../support/registering-tenant';

/**
 * The carrier registration over the API (issue 14), on the real worker, sandbox, Temporal and
 * PostgreSQL: a tenant reads its own registration and answers it through the workflow's Updates
 * (a correction, the OTP), bad input is refused naming the field with nothing sent to Twilio,
 * another tenant sees nothing; staff list every registration from the database and read one
 * with its phase history and audit trail.
 */
describe('registration API', () => {
  let p: PlatformHarness;
  let staff: { authorization: string };
  beforeAll(async () => {
    p = await platformHarness({ sandbox: { vettingMs: 300 } });
    staff = { authorization: `Bearer ${p.staffKey}` };
  });
  afterAll(() => p.close());
  const http = () => request(p.api.app);

  /** Activities the workflow scheduled, by type: a refused correction schedules none. */
  const activitiesRun = async (tenantId: string) => {
    const history = await p.api.temporal.workflow.getHandle(registrationWorkflowId(tenantId)).fetchHistory();
    return (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
  };

  it('shows a tenant its failed brand, refuses bad corrections by field with nothing sent, and takes the good one to approval', async () => {
    const a = await registeringTenant(p, { ein: '000000001' });
    await a.atPhase('brand_failed');
    const intruder = await activeTenant(p, { name: 'Intruder Plumbing' });
    const reg = `/v1/tenants/${a.tenant.id}/registration`;

    const shown = await http().get(reg).set(a.tenant.auth).expect(200);
    expect(shown.body).toMatchObject({ tenantId: a.tenant.id, kind: '10dlc', phase: 'brand_failed', reasons: [expect.objectContaining({ code: 30799 })] });
    expect(shown.body.openRequirements).toEqual([expect.stringMatching(/Correct the brand/)]);

    // Another tenant: A's registration does not exist for it, and it has none of its own.
    for (const path of [reg, `/v1/tenants/${intruder.id}/registration`]) {
      const res = await http().get(path).set(intruder.auth).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain('30799');
    }
    await http()
      .post(`${reg}/corrections`)
      .set(intruder.auth)
      .send({ business: { ein: '12-3456789' } })
      .expect(404);

    const before = {
      stored: await registrationOf(p.api.db, a.tenant.id),
      counts: await registrationCounts(p, a.accountSid),
      run: await activitiesRun(a.tenant.id),
    };
    const refused = async (body: unknown, status: number, field?: string) => {
      const res = await http()
        .post(`${reg}/corrections`)
        .set(a.tenant.auth)
        .send(body as object)
        .expect(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (field) expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      return res.body;
    };
    expect((await refused({ business: { ein: 'not an EIN' } }, 400, 'business.ein')).errors[0].message).toMatch(/9 digits/);
    await refused({ business: { mobile: '415-555-0100' } }, 400, 'business.mobile');
    await refused({ business: { ein: '12-3456789', color: 'red' } }, 400, 'business');
    await refused({ campaign: { samples: ['too short'] } }, 400, 'campaign.samples');
    await refused({}, 400, '(root)');
    // Well formed, but a brand failure is not corrected through the campaign: the workflow's validator says so.
    const misfit = await refused({ campaign: { description: 'Appointment reminders for patients who booked online at our clinic.' } }, 400, 'campaign');
    expect(misfit).toMatchObject({ title: 'InvalidInput', detail: expect.stringMatching(/brand failure is corrected through business/) });
    // The OTP Updates only fit a sole proprietor's brand waiting for it.
    for (const otp of ['otp-answered', 'otp-resend']) expect((await http().post(`${reg}/${otp}`).set(a.tenant.auth).expect(409)).body.title).toBe('NotInStep');
    await http().post(`${reg}/otp-answered`).set(a.tenant.auth).send({ code: '1234' }).expect(400);

    // Nothing reached Twilio or the registration: same row, same resources, no activity scheduled.
    expect(await registrationOf(p.api.db, a.tenant.id)).toEqual(before.stored);
    expect(await registrationCounts(p, a.accountSid)).toEqual(before.counts);
    expect(await activitiesRun(a.tenant.id)).toEqual(before.run);
    expect((await http().get(reg).set(a.tenant.auth).expect(200)).body.phase).toBe('brand_failed');

    const accepted = await http()
      .post(`${reg}/corrections`)
      .set(a.tenant.auth)
      .send({ business: { ein: '12-3456789' } })
      .expect(202);
    expect(accepted.headers.location).toBe(reg);
    const approved = await eventually(async () => {
      const res = await http().get(reg).set(a.tenant.auth).expect(200);
      return res.body.phase === 'approved' ? res.body : undefined;
    }, 60_000);
    expect(approved.history.map((h: { phase: string }) => h.phase)).toEqual([
      'profile_review',
      'brand_review',
      'brand_failed',
      'brand_review',
      'campaign_review',
      'approved',
    ]);
    expect((await refused({ business: { ein: '98-7654321' } }, 409)).title).toBe('NotInStep');
    const audit = await p.api.db('audit_log').where({ tenant_id: a.tenant.id, action: 'registration.correction_submitted' });
    expect(audit).toEqual([expect.objectContaining({ actor: `tenant:${a.tenant.id}`, details: { phase: 'brand_failed', fields: ['business.ein'] } })]);

    // Staff: every registration from the database (A's workflow has completed), filtered by phase.
    const listed = async (query = '') =>
      (await http().get(`/v1/compliance/registrations${query}`).set(staff).expect(200)).body.registrations as Array<Record<string, unknown>>;
    const mine = (await listed()).find((r) => r.tenantId === a.tenant.id);
    expect(mine).toMatchObject({
      businessName: 'Acme Dental LLC',
      kind: '10dlc',
      brandType: 'STANDARD',
      phase: 'approved',
      reasons: [],
      sids: {
        customerProfile: expect.stringMatching(/^BU/),
        trustProduct: expect.stringMatching(/^BU/),
        brand: expect.stringMatching(/^BN/),
        messagingService: expect.stringMatching(/^MG/),
        campaign: expect.stringMatching(/^QE/),
      },
      statuses: { customerProfile: 'twilio-approved', trustProduct: 'twilio-approved', brand: 'APPROVED', campaign: 'VERIFIED' },
      updatedAt: expect.any(String),
    });
    expect((await listed('?phase=approved,brand_failed')).map((r) => r.tenantId)).toContain(a.tenant.id);
    expect((await listed('?phase=brand_failed')).map((r) => r.tenantId)).not.toContain(a.tenant.id);
    expect((await http().get('/v1/compliance/registrations?phase=done').set(staff).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'phase', in: 'query' }),
    ]);

    const detail = (await http().get(`/v1/compliance/registrations/${a.tenant.id}`).set(staff).expect(200)).body;
    expect(detail).toMatchObject({ phase: 'approved', workflow: { status: 'COMPLETED' }, details: { business: { ein: '12-3456789' } } });
    expect(detail.history).toEqual([
      expect.objectContaining({ phase: 'profile_review', at: expect.any(String) }),
      expect.objectContaining({ phase: 'brand_review' }),
      expect.objectContaining({ phase: 'brand_failed', note: expect.stringMatching(/.+/) }),
      expect.objectContaining({ phase: 'brand_review' }),
      expect.objectContaining({ phase: 'campaign_review' }),
      expect.objectContaining({ phase: 'approved' }),
    ]);
    const actions = (detail.audit as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['registration.customerProfile.created', 'registration.brand.created', 'registration.correction_submitted']),
    );
    expect(actions.every((action) => action.startsWith('registration.'))).toBe(true);

    // Tenants never reach the staff view, not even their own registration's.
    for (const path of ['/v1/compliance/registrations', `/v1/compliance/registrations/${a.tenant.id}`]) {
      const res = await http().get(path).set(a.tenant.auth).expect(403);
      expect(res.text).not.toContain(a.tenant.id);
    }
    await http().get(`/v1/compliance/registrations/${intruder.id}`).set(staff).expect(404);
    expect((await http().get('/v1/compliance/registrations/not-a-tenant').set(staff).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'tenantId', in: 'path' }),
    ]);
  }, 120_000);

  it('answers a sole proprietor’s OTP through the API, and shows staff a registration no workflow answers for', async () => {
    const solo = await registeringTenant(p, { brandType: 'SOLE_PROPRIETOR', mobile: '+14155550142' });
    const waiting = await solo.atPhase('brand_otp');
    const reg = `/v1/tenants/${solo.tenant.id}/registration`;
    expect(
      (
        await http()
          .post(`${reg}/corrections`)
          .set(solo.tenant.auth)
          .send({ business: { mobile: '+14155550143' } })
          .expect(409)
      ).body.title,
    ).toBe('NotInStep');

    // The sandbox keeps when each OTP text went out: the resend is a second one.
    const textsSent = async () =>
      ((await p.sandbox.control(`/__sandbox/registrations?accountSid=${solo.accountSid}`)).body.brands as Array<{ otp: { sentAt: string[] } | null }>)[0].otp
        ?.sentAt.length;
    expect(await textsSent()).toBe(1);
    await http().post(`${reg}/otp-resend`).set(solo.tenant.auth).expect(202);
    expect(await textsSent()).toBe(2);

    const brandSid = waiting.submissions.brand!.sid;
    // The workflow's reads of the brand are slowed, so it is still at brand_otp when the owner has
    // answered: a resend then is refused by Twilio (no OTP awaited any more), and the API says so.
    await p.sandbox.control('/__sandbox/faults', { body: { latencyMs: 3_000, accountSid: solo.accountSid, only: { method: 'GET', pathEndsWith: brandSid } } });
    await p.sandbox.control('/__sandbox/registrations/otp-reply', { body: { brandRegistrationSid: brandSid, reply: 'YES' } });
    const refused = await http().post(`${reg}/otp-resend`).set(solo.tenant.auth).expect(502);
    expect(refused.body).toMatchObject({ title: 'Twilio refused', twilioCode: 20001, detail: expect.stringMatching(/awaiting verification/) });
    await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    await http().post(`${reg}/otp-answered`).set(solo.tenant.auth).send({}).expect(202);
    await solo.atPhase('approved');
    const actions = await p.api.db('audit_log').where({ tenant_id: solo.tenant.id }).where('action', 'like', 'registration.otp%').orderBy('id').pluck('action');
    // The refused resend is not audited: nothing was done.
    expect(actions).toEqual(['registration.otp_resend_requested', 'registration.otp_answered']);

    // Details stored, no workflow started (or one Temporal no longer keeps): staff still see the row.
    const unstarted = await activeTenant(p, { name: 'Later Registrant' });
    await saveRegistrationDetails(p.api.db, { tenantId: unstarted.id, kind: '10dlc', brandType: 'STANDARD', details: registrationDetails() });
    const detail = (await http().get(`/v1/compliance/registrations/${unstarted.id}`).set(staff).expect(200)).body;
    expect(detail).toMatchObject({ tenantId: unstarted.id, phase: 'starting', sids: {}, history: null, workflow: { status: null }, audit: [] });
    expect(detail.historyUnavailable).toMatch(/no such workflow/);
    await http().get(`/v1/tenants/${unstarted.id}/registration`).set(unstarted.auth).expect(404);
  }, 120_000);
});
