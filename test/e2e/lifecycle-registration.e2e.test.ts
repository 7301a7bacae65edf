import request from 'supertest';
import { registrationOf } from '../../src/db/carrier-registrations';
import { registrationStateQuery, registrationWorkflowId, resubmitRegistrationUpdate } from '../../src/workflows/carrier-registration/definitions';
import { lifecycleWorkflowId, type TenantLifecycleState } from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { registrationDetailsBody, signupBody } from '../support/api';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { activeTenant, platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';
import { ONE_10DLC_REGISTRATION } from '../support/registration';

/**
 * The lifecycle's registration step end to end (issue 14): sign-up through the API to active,
 * which now passes through carrierRegistration as a child workflow against the sandbox's Trust
 * Hub, brands, campaigns and toll-free verification. Reviews take half a second; a submission
 * Twilio has not decided in 4 s times out (held for staff).
 */
describe('carrier registration in the tenant lifecycle', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ sandbox: { vettingMs: 500 }, config: { REGISTRATION_GIVE_UP_SECONDS: '4', MONITOR_INTERVAL_SECONDS: '60' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const staffAuth = () => ({ authorization: `Bearer ${p.staffKey}` });
  let phones = 0;

  /** Sign-up, Verify, magic-number sends and the staff approval: the lifecycle goes on to its subaccount, number and registration. */
  async function onboarded(overrides: Record<string, unknown> = {}) {
    const ownerPhone = `+1415555${String(3000 + phones++).padStart(4, '0')}`;
    const res = await http()
      .post('/v1/tenants')
      .send(signupBody({ ownerPhone, ...overrides }))
      .expect(202);
    const id = res.body.tenant.id as string;
    const key = res.body.apiKey as string;
    const auth = { authorization: `Bearer ${key}` };
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);
    const { code } = (await p.sandbox.control(`/__sandbox/verify/code?to=${encodeURIComponent(ownerPhone)}`)).body as { code: string };
    await http().post(`/v1/tenants/${id}/verification`).set(auth).send({ code }).expect(200);
    await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
    for (let i = 0; i < 2; i++) await http().post('/v1/sandbox/messages').set(auth).send({ to: '+15005550006', body: 'test' }).expect(201);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    await http().post(`/v1/compliance/tenants/${id}/approve`).set(staffAuth()).send({ reason: 'checked' }).expect(202);
    return { id, key, auth };
  }
  const subaccountOf = async (id: string) => (await p.api.db('tenant_credentials').where({ tenant_id: id }).first<{ subaccount_sid: string }>()).subaccount_sid;
  const counts = async (id: string) =>
    (await p.sandbox.control(`/__sandbox/registrations?accountSid=${await subaccountOf(id)}`)).body.counts as Record<string, number>;
  /** Activation starts the monitor a moment after the step shows: once it runs, it is stopped (nothing to watch here). */
  const stopMonitor = (id: string) =>
    eventually(() =>
      p.api.temporal.workflow
        .getHandle(monitorWorkflowId(id))
        .terminate('test over')
        .then(() => true),
    );

  it('goes active only after the registration is approved: the tenant sees each phase, and is not active while in review', async () => {
    const { id, key } = await onboarded();
    const seen: TenantLifecycleState[] = [];
    const active = await tenantReaches(p, id, key, (s) => (seen.push(s), s.step === 'active'), 90_000);
    const inReview = seen.filter((s) => s.step === 'registration' && /_review$/.test(s.registration?.phase ?? ''));
    expect(inReview.length).toBeGreaterThan(0);
    expect(inReview.every((s) => s.step !== 'active')).toBe(true);
    expect(active).toMatchObject({ registration: { phase: 'approved', workflowId: registrationWorkflowId(id) } });
    expect(active.history.map((h) => h.step).slice(-3)).toEqual(['number', 'registration', 'active']);
    const child = await p.api.temporal.workflow.getHandle(registrationWorkflowId(id)).query(registrationStateQuery);
    expect(child.history.map((h) => h.phase)).toEqual(['profile_review', 'brand_review', 'campaign_review', 'approved']);
    expect(await counts(id)).toEqual(ONE_10DLC_REGISTRATION);
    expect((await p.api.db('tenants').where({ id }).first()).status).toBe('active');
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'registration-approved');
    await stopMonitor(id);
  });

  it('buys a toll-free number for a toll-free tenant and verifies it instead of 10DLC', async () => {
    const { id, key } = await onboarded({ registration: registrationDetailsBody({ numberType: 'tollfree' }) });
    const active = await tenantReaches(p, id, key, (s) => s.step === 'active', 90_000);
    expect(active.phoneNumber).toMatch(/^\+18(00|33|44|55|66|77|88)\d{7}$/);
    expect(await counts(id)).toMatchObject({ tollfreeVerifications: 1, brands: 0, customerProfiles: 0, campaigns: 0 });
    expect(await registrationOf(p.api.db, id)).toMatchObject({ kind: 'tollfree', state: 'approved', statuses: { tollfree: 'TWILIO_APPROVED' } });
    await stopMonitor(id);
  });

  it('shows a failed brand’s reasons in the tenant’s progress; corrected through resubmitRegistration, it goes active', async () => {
    const failing = registrationDetailsBody();
    const { id, key } = await onboarded({ registration: { ...failing, business: { ...failing.business, ein: '000000001' } } });
    const failed = await tenantReaches(p, id, key, (s) => s.registration?.phase === 'brand_failed', 90_000);
    expect(failed.step).toBe('registration');
    expect(failed.registration?.reasons).toEqual([expect.objectContaining({ code: 30799 })]);
    expect(failed.openRequirements[0]).toMatch(/resubmit/);
    await p.api.temporal.workflow
      .getHandle(registrationWorkflowId(id))
      .executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-3456789' } }] });
    await tenantReaches(p, id, key, (s) => s.step === 'active', 90_000);
    expect(await counts(id)).toMatchObject({ brands: 1, customerProfiles: 1, campaigns: 1 });
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'registration-brand-failed-resubmitted');
    await stopMonitor(id);
  });

  it('holds a registration Twilio does not decide in time for staff, who restart it; then it goes active', async () => {
    // Reviews take 6 s from now: the customer profile is not decided within the 4 s allowed.
    await p.sandbox.control('/__sandbox/registrations/timing', { body: { vettingMs: 6_000 } });
    const { id, key } = await onboarded();
    try {
      const held = await tenantReaches(p, id, key, (s) => s.registration?.held, 60_000);
      expect(held).toMatchObject({ step: 'registration', registration: { phase: 'timed_out' } });
      const cases = (await http().get('/v1/compliance/cases').set(staffAuth()).expect(200)).body.cases as Array<{ id: string; summary: string }>;
      expect(cases.find((c) => c.id === held.registration!.held!.caseId)?.summary).toMatch(/Carrier registration timed out/);
    } finally {
      await p.sandbox.control('/__sandbox/registrations/timing', { body: { vettingMs: 500 } });
    }
    await http().post(`/v1/compliance/tenants/${id}/registration/restart`).set(staffAuth()).send({ reason: 'Twilio reviewed it' }).expect(202);
    const again = await http().post(`/v1/compliance/tenants/${id}/registration/restart`).set(staffAuth()).send({ reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.title).toBe('NotInStep');
    await tenantReaches(p, id, key, (s) => s.step === 'active', 90_000);
    expect(await counts(id)).toMatchObject({ customerProfiles: 1, trustProducts: 1, brands: 1, campaigns: 1 });
    const audit = (await http().get(`/v1/compliance/audit?tenantId=${id}`).set(staffAuth()).expect(200)).body.entries as Array<{ action: string }>;
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['staff_case.opened', 'staff_decision.restart_registration', 'staff_decision.refused', 'staff_case.closed']),
    );
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'registration-timed-out-restart-audited');
    await stopMonitor(id);
  });

  it('lets staff start a registration for a tenant active before registration existed, once (409 after)', async () => {
    const legacy = await activeTenant(p, { name: 'Acme Dental LLC' });
    await p.api.db('kyc_submissions').insert({ tenant_id: legacy.id, submission: JSON.stringify({ ...signupBody(), contactEmail: 'owner@tenant.example' }) });
    const start = (body: object) => http().post(`/v1/compliance/tenants/${legacy.id}/registration`).set(staffAuth()).send(body);
    const without = await start({ reason: 'registering a tenant from before' }).expect(400);
    expect(without.body.errors).toEqual([expect.objectContaining({ field: 'registration' })]);
    await start({ reason: 'registering a tenant from before', registration: registrationDetailsBody() }).expect(202);
    const twice = await start({ reason: 'again', registration: registrationDetailsBody() }).expect(409);
    expect(twice.body.title).toBe('RegistrationExists');
    const done = await p.api.temporal.workflow.getHandle(registrationWorkflowId(legacy.id)).result();
    expect(done.phase).toBe('approved');
    expect(await counts(legacy.id)).toEqual(ONE_10DLC_REGISTRATION);
    const audit = (await http().get(`/v1/compliance/audit?tenantId=${legacy.id}`).set(staffAuth()).expect(200)).body.entries as Array<{
      action: string;
      actor: string;
    }>;
    expect(audit.find((e) => e.action === 'registration.started_by_staff')?.actor).toMatch(/^staff:/);
  });

  it('refuses bad registration details with 400 naming the field and stores nothing; a started registration refuses new details', async () => {
    const bad = registrationDetailsBody();
    const name = `Bad Details ${Date.now()}`;
    const signup = await http()
      .post('/v1/tenants')
      .send(signupBody({ businessName: name, registration: { ...bad, business: { ...bad.business, ein: '12-34' } } }))
      .expect(400);
    expect(signup.body.errors).toEqual([expect.objectContaining({ field: 'registration.business.ein', message: expect.stringMatching(/9 digits/) })]);
    expect(await p.api.db('tenants').where({ business_name: name }).first()).toBeUndefined();

    const { registration: _r, ...withoutDetails } = signupBody({ ownerPhone: '+14155554000' });
    const res = await http().post('/v1/tenants').send(withoutDetails).expect(202);
    const auth = { authorization: `Bearer ${res.body.apiKey as string}` };
    const id = res.body.tenant.id as string;
    const put = (body: object) => http().put(`/v1/tenants/${id}/registration-details`).set(auth).send(body);
    const soleProprietor = await put(registrationDetailsBody({ brandType: 'SOLE_PROPRIETOR' })).expect(400);
    expect(soleProprietor.body.errors).toEqual([expect.objectContaining({ field: 'business.mobile' })]);
    const unknown = await put({ ...registrationDetailsBody(), numberType: 'mobile' }).expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'numberType' })]);
    expect(await registrationOf(p.api.db, id)).toBeUndefined();
    expect(await put(registrationDetailsBody()).expect(200)).toMatchObject({ body: { numberType: 'local', brandType: 'STANDARD' } });
    expect(await registrationOf(p.api.db, id)).toMatchObject({ kind: '10dlc', brandType: 'STANDARD', details: { business: { ein: '12-3456789' } } });
    await p.api.temporal.workflow.getHandle(lifecycleWorkflowId(id)).terminate('test over');

    // A number already bought fixes the number type; once a registration runs, its details change only through corrections.
    const registered = await activeTenant(p);
    const tollfree = await http()
      .put(`/v1/tenants/${registered.id}/registration-details`)
      .set(registered.auth)
      .send(registrationDetailsBody({ numberType: 'tollfree' }))
      .expect(409);
    expect(tollfree.body).toMatchObject({ title: 'NumberTypeFixed', errors: [expect.objectContaining({ field: 'numberType' })] });
    expect(await registrationOf(p.api.db, registered.id)).toBeUndefined();
    await http()
      .post(`/v1/compliance/tenants/${registered.id}/registration`)
      .set(staffAuth())
      .send({ reason: 'start', registration: registrationDetailsBody() })
      .expect(202);
    const late = await http().put(`/v1/tenants/${registered.id}/registration-details`).set(registered.auth).send(registrationDetailsBody()).expect(409);
    expect(late.body.title).toBe('RegistrationStarted');
    await p.api.temporal.workflow.getHandle(registrationWorkflowId(registered.id)).terminate('test over');
  });
});
