import request from 'supertest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveSignal, lifecycleWorkflowId, rejectSignal, staffDecisionUpdates } from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { signupBody } from '../support/api';
import { recordHistoryIfAsked } from '../support/histories';
import { monitorReaches, platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';
import { textsOfHistory } from '../support/history-texts';

/** Sign-up to active through the HTTP API, against real Temporal, PostgreSQL and the sandbox. */
describe('tenant lifecycle end to end', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { MONITOR_INTERVAL_SECONDS: '1' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const signUp = async (overrides: Record<string, unknown> = {}) => {
    const res = await http().post('/v1/tenants').send(signupBody(overrides)).expect(202);
    return { id: res.body.tenant.id as string, key: res.body.apiKey as string };
  };
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const codeFor = async (phone: string) => (await p.sandbox.control(`/__sandbox/verify/code?to=${encodeURIComponent(phone)}`)).body.code as string;
  const staff = (id: string, action: string, reason: string) => http().post(`/v1/compliance/tenants/${id}/${action}`).set(as(p.staffKey)).send({ reason });

  async function verify(id: string, key: string, phone = '+14155552671') {
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);
    const wrong = await http().post(`/v1/tenants/${id}/verification`).set(as(key)).send({ code: '000000' }).expect(422);
    expect(wrong.body).toEqual({ status: 'wrong_code', attemptsLeft: 4 });
    const right = await http()
      .post(`/v1/tenants/${id}/verification`)
      .set(as(key))
      .send({ code: await codeFor(phone) })
      .expect(200);
    expect(right.body.status).toBe('approved');
  }

  async function sandboxSends(id: string, key: string) {
    await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
    for (const [to, code] of [
      ['+15005550001', 21211],
      ['+15005550002', 21612],
      ['+15005550003', 21408],
      ['+15005550004', 21610],
      ['+15005550009', 21614],
    ] as const) {
      const res = await http().post('/v1/sandbox/messages').set(as(key)).send({ to, body: 'test' }).expect(422);
      expect(res.body).toMatchObject({ ok: false, errorCode: code, to });
    }
    const real = await http().post('/v1/sandbox/messages').set(as(key)).send({ to: '+14155552671', body: 'to a real number' }).expect(400);
    expect(real.body.title).toBe('NotMagicNumber');
    const text = `Sandbox test ${id}: wintergreen`;
    for (let i = 0; i < 2; i++) {
      const ok = await http().post('/v1/sandbox/messages').set(as(key)).send({ to: '+15005550006', body: text }).expect(201);
      expect(ok.body.sid).toMatch(/^SM/);
    }
    // Twilio got the text; the lifecycle's history (which keeps the Update's argument) holds it only sealed.
    const ledger = (await p.sandbox.control('/__sandbox/ledger?to=%2B15005550006')).body as { entries: Array<{ body: string }> };
    expect(ledger.entries.filter((e) => e.body === text)).toHaveLength(2);
    const history = textsOfHistory(await p.api.temporal.workflow.getHandle(lifecycleWorkflowId(id)).fetchHistory()).join('\n');
    expect(history).toContain('sealedBody');
    expect(history).not.toContain('wintergreen');
  }

  async function approve(id: string, key: string, opts: { afterReminder?: boolean } = {}) {
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    if (opts.afterReminder) {
      // REVIEW_REMINDER_INTERVAL_SECONDS is 1 here: the waiting case collects reminders.
      await until(async () => ((await p.api.db('compliance_cases').where({ tenant_id: id, kind: 'onboarding_review' }).first())?.reminders_sent ?? 0) >= 1);
    }
    const queue = await http().get('/v1/compliance/reviews').set(as(p.staffKey)).expect(200);
    expect(queue.body.reviews).toEqual(expect.arrayContaining([expect.objectContaining({ tenantId: id, kind: 'onboarding_review', status: 'open' })]));
    await staff(id, 'approve', 'business and opt-in page checked').expect(202);
  }

  it('takes a tenant from sign-up to active: one subaccount, one number, sealed token, audit trail', async () => {
    const { id, key } = await signUp();
    await verify(id, key);
    await sandboxSends(id, key);
    await approve(id, key, { afterReminder: true });
    const active = await tenantReaches(p, id, key, (s) => s.step === 'active');
    expect(active.history.map((h: { step: string }) => h.step)).toEqual([
      'kyc',
      'verification',
      'sandbox',
      'review',
      'provisioning',
      'number',
      'registration',
      'active',
    ]);

    const accounts = await p.sandbox.twilio.platform().api.v2010.accounts.list();
    const mine = accounts.filter((a) => a.friendlyName.startsWith(`cs:${id}:`));
    expect(mine).toHaveLength(1);
    expect(mine[0].friendlyName).toMatch(new RegExp(`^cs:${id}:bright-smiles-dental-`));
    const creds = await p.api.db('tenant_credentials').where({ tenant_id: id }).first();
    expect(creds.subaccount_sid).toBe(mine[0].sid);
    expect(creds.sealed_auth_token).not.toContain(mine[0].authToken);
    const numbers = await p.sandbox.subaccountClient(mine[0].sid, mine[0].authToken).incomingPhoneNumbers.list();
    expect(numbers).toHaveLength(1);
    expect(numbers[0].smsUrl).toBe(`${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`);
    expect(numbers[0].phoneNumber).toMatch(/^\+1415/);
    expect(active.phoneNumber).toBe(numbers[0].phoneNumber);

    // Activation starts the tenant's monitor, which outlives the finished lifecycle. The query shows
    // 'active' before the step's audit entry is written; the monitor starts only after it, so
    // waiting for the monitor first makes the trail below complete.
    const monitor = await monitorReaches(p, id, (s) => s.evaluations >= 1);
    expect(monitor).toMatchObject({ state: 'good', lastEvaluation: { band: 'unjudged' } });
    expect((await p.api.temporal.workflow.getHandle(monitorWorkflowId(id)).describe()).status.name).toBe('RUNNING');

    // The whole trail: under load the review waits longer, and each second of it adds a reminder entry.
    const audit = await http().get(`/v1/compliance/audit?tenantId=${id}&limit=500`).set(as(p.staffKey)).expect(200);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'tenant.signed_up',
        'kyc.assessed',
        'case.opened',
        'case.reminder',
        'case.approved',
        'subaccount.provisioned',
        'number.granted',
        'lifecycle.active',
      ]),
    );
    expect(audit.body.entries.find((e: { action: string }) => e.action === 'case.approved')).toMatchObject({
      actor: expect.stringMatching(/^staff:/),
      reason: 'business and opt-in page checked',
    });
    expect((await p.api.db('tenants').where({ id }).first()).status).toBe('active');
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'happy-path');
  });

  it('rejects high KYC risk with reasons, and lets the tenant resubmit', async () => {
    const { id, key } = await signUp({ useCase: 'debt_collection', contact: { name: 'X', email: 'x@gmail.com' } });
    const rejected = await tenantReaches(p, id, key, (s) => s.step === 'rejected');
    expect(rejected.reasons.join(' ')).toMatch(/debt collection/);
    expect(rejected.openRequirements[0]).toMatch(/resubmit/i);

    const { ownerPhone: _o, relayCadenceMinutes: _r, registration: _g, ...kyc } = signupBody();
    await http().post(`/v1/tenants/${id}/kyc`).set(as(key)).send(kyc).expect(202);
    await tenantReaches(p, id, key, (s) => s.step === 'verification');
  });

  it('routes medium risk through a person, whose rejection is final until resubmission', async () => {
    const { id, key } = await signUp({ website: null, contact: { name: 'Y', email: 'y@yahoo.com' } });
    const review = await tenantReaches(p, id, key, (s) => s.step === 'kyc_review' && s.review);
    expect(review.kyc?.level).toBe('medium');
    await staff(id, 'reject', 'no verifiable business presence').expect(202);
    const rejected = await tenantReaches(p, id, key, (s) => s.step === 'rejected');
    expect(rejected.reasons).toEqual(['no verifiable business presence']);
    await http().post(`/v1/tenants/${id}/verification`).set(as(key)).send({ code: '123456' }).expect(409);
  });

  it('lets compliance reject after review and the tenant resubmit and finish', async () => {
    const { id, key } = await signUp({ ownerPhone: '+14155550123' });
    await verify(id, key, '+14155550123');
    await sandboxSends(id, key);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    await staff(id, 'reject', 'samples lack the brand name').expect(202);
    await tenantReaches(p, id, key, (s) => s.step === 'rejected');
    const { ownerPhone: _o, relayCadenceMinutes: _r, registration: _g, ...kyc } = signupBody();
    await http().post(`/v1/tenants/${id}/kyc`).set(as(key)).send(kyc).expect(202);
    // Verified phone and sandbox sends are kept: straight back to review.
    await approve(id, key);
    const active = await tenantReaches(p, id, key, (s) => s.step === 'active');
    expect(active.history.map((h: { step: string }) => h.step)).toEqual([
      'kyc',
      'verification',
      'sandbox',
      'review',
      'rejected',
      'kyc',
      'review',
      'provisioning',
      'number',
      'registration',
      'active',
    ]);
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'rejected-then-resubmitted');
  });

  it('retries through Twilio 429s and 5xx answers and still provisions exactly once', async () => {
    const { id, key } = await signUp({ ownerPhone: '+14155550456' });
    await verify(id, key, '+14155550456');
    await sandboxSends(id, key);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    // Creating the subaccount meets 429s, then 503s: each is retried with backoff, then it goes through.
    const aim = { accountSid: p.config.TWILIO_ACCOUNT_SID, only: { method: 'POST', pathEndsWith: '/Accounts.json' } };
    const injected = async () => (await p.sandbox.control('/__sandbox/faults')).body.injected as Record<string, number>;
    await p.sandbox.control('/__sandbox/faults', { body: { rate429: 1, ...aim } });
    try {
      await staff(id, 'approve', 'approved during a Twilio brown-out').expect(202);
      await until(async () => (await injected())['429'] >= 2, 30_000);
      await p.sandbox.control('/__sandbox/faults', { body: { rate503: 1, ...aim } });
      await until(async () => (await injected())['503'] >= 1, 30_000);
      expect((await p.tenantState(id, key)).step).toBe('provisioning');
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }
    await tenantReaches(p, id, key, (s) => s.step === 'active');
    const mine = (await p.sandbox.twilio.platform().api.v2010.accounts.list()).filter((a) => a.friendlyName.startsWith(`cs:${id}:`));
    expect(mine).toHaveLength(1);
    expect(await p.sandbox.subaccountClient(mine[0].sid, mine[0].authToken).incomingPhoneNumbers.list()).toHaveLength(1);
  });

  it('lets staff suspend a tenant mid-onboarding (nothing moves, no sends) and reinstate it', async () => {
    const { id, key } = await signUp({ ownerPhone: '+14155550789' });
    await verify(id, key, '+14155550789');
    await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
    await staff(id, 'suspend', 'complaint under investigation').expect(202);
    await tenantReaches(p, id, key, (s) => s.suspended);
    await staff(id, 'suspend', 'again').expect(409);
    const refused = await http().post('/v1/sandbox/messages').set(as(key)).send({ to: '+15005550006', body: 'x' }).expect(409);
    expect(refused.body.title).toBe('NotInStep');
    await staff(id, 'reinstate', 'complaint resolved').expect(202);
    await tenantReaches(p, id, key, (s) => !s.suspended);
    await http().post('/v1/sandbox/messages').set(as(key)).send({ to: '+15005550006', body: 'x' }).expect(201);
    // The whole trail: under load the review waits longer, and each second of it adds a reminder entry.
    const audit = await http().get(`/v1/compliance/audit?tenantId=${id}&limit=500`).set(as(p.staffKey)).expect(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['tenant.suspended', 'tenant.reinstated']));
  });

  it('asks the tenant for another area code when none is available', async () => {
    const { id, key } = await signUp({ ownerPhone: '+15335550123', areaCodePreference: '533' });
    await verify(id, key, '+15335550123');
    await sandboxSends(id, key);
    await approve(id, key);
    const stuck = await tenantReaches(p, id, key, (s) => s.step === 'number' && s.openRequirements.length > 0);
    expect(stuck.openRequirements[0]).toMatch(/area code 533.*Choose another area code/);
    await http().post(`/v1/tenants/${id}/number-preference`).set(as(key)).send({ areaCode: '628' }).expect(202);
    expect((await tenantReaches(p, id, key, (s) => s.step === 'active')).phoneNumber).toMatch(/^\+1628/);
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'new-area-code');
  });

  it("ignores approvals and rejections signalled (or sent as Updates) straight to Temporal; the API's still count", async () => {
    const { id, key } = await signUp({ ownerPhone: '+14155550911' });
    await verify(id, key, '+14155550911');
    await sandboxSends(id, key);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    const auditOf = async () =>
      (await http().get(`/v1/compliance/audit?tenantId=${id}&limit=500`).set(as(p.staffKey)).expect(200)).body.entries as {
        id: string;
        action: string;
        reason: string;
        actor: string;
      }[];
    const signedUp = (await auditOf()).find((e) => e.action === 'tenant.signed_up')!;

    // Anyone who reaches Temporal can signal: no audit entry, a made-up one, one that is not a staff decision.
    const lifecycle = p.api.temporal.workflow.getHandle(lifecycleWorkflowId(id));
    await lifecycle.signal(approveSignal, { by: 'staff:mallory', reason: 'forged' });
    await lifecycle.signal(approveSignal, { by: 'staff:mallory', reason: 'forged', auditId: '987654321' });
    await lifecycle.signal(approveSignal, { by: 'staff:mallory', reason: 'forged', auditId: signedUp.id });
    await lifecycle.signal(rejectSignal, { by: 'staff:mallory', reason: 'forged', auditId: '987654322' });
    // The Update fits the step, so its validator lets it through; the audit check refuses it.
    const forgedUpdate = await lifecycle
      .executeUpdate(staffDecisionUpdates.approve, { args: [{ by: 'staff:mallory', reason: 'forged', auditId: '987654323' }] })
      .catch((err: unknown) => err);
    expect(forgedUpdate).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((forgedUpdate as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'DecisionNotAudited' });
    const refused = await eventually(async () => {
      const entries = (await auditOf()).filter((e) => e.action === 'staff_decision.refused');
      return entries.length === 5 ? entries : undefined;
    });
    expect(refused.map((e) => e.reason).sort()).toEqual(
      [
        'the decision names no audit entry',
        'audit entry 987654321 does not exist',
        `audit entry ${signedUp.id} records tenant.signed_up, not staff_decision.approve`,
        'audit entry 987654322 does not exist',
        'audit entry 987654323 does not exist',
      ].sort(),
    );
    expect(await p.tenantState(id, key)).toMatchObject({ step: 'review', review: { kind: 'onboarding_review' } });
    expect((await p.api.db('compliance_cases').where({ tenant_id: id, kind: 'onboarding_review' }).first()).status).toBe('open');

    const approved = await staff(id, 'approve', 'business and opt-in page checked').expect(202);
    expect(approved.body.auditId).toMatch(/^\d+$/);
    await tenantReaches(p, id, key, (s) => s.step === 'active');
    const audit = await auditOf();
    expect(audit.find((e) => e.action === 'staff_decision.approve')).toMatchObject({
      id: approved.body.auditId,
      actor: expect.stringMatching(/^staff:/),
      reason: 'business and opt-in page checked',
    });
    expect(audit.filter((e) => e.action === 'case.approved')).toEqual([
      expect.objectContaining({ actor: audit.find((e) => e.action === 'staff_decision.approve')!.actor }),
    ]);
    expect(audit.some((e) => e.actor === 'staff:mallory')).toBe(false);
    await recordHistoryIfAsked(p.api.temporal, lifecycleWorkflowId(id), 'audited-decisions');
  });

  it('onboards when PostgreSQL remembers Twilio resources Twilio no longer knows: the Verify service is made again, a stale number row released', async () => {
    // What a sandbox started from nothing (or a service or number gone in Twilio's console) looks like.
    const setting = `verify_service_sid:${p.config.TWILIO_ACCOUNT_SID}`;
    const forget = (stale: string) => p.api.db('platform_settings').insert({ key: setting, value: stale }).onConflict('key').merge();
    const remembered = async () => (await p.api.db('platform_settings').where({ key: setting }).first()).value as string;
    const stale = `VA${'0'.repeat(31)}1`;
    await forget(stale);
    const { id, key } = await signUp({ ownerPhone: '+14155550921' });
    await verify(id, key, '+14155550921');
    const replacement = await remembered();
    expect(replacement).not.toBe(stale);
    expect((await p.sandbox.twilio.platform().verify.v2.services.list()).map((s) => s.sid)).toContain(replacement);
    const replaced = await p.api.db('audit_log').where({ action: 'platform.verify_service_replaced' }).whereRaw(`details->>'staleServiceSid' = ?`, [stale]);
    expect(replaced).toEqual([expect.objectContaining({ details: { staleServiceSid: stale, serviceSid: replacement } })]);
    await sandboxSends(id, key);
    // The number Twilio will sell this tenant is, in PostgreSQL, still another tenant's.
    const [candidate] = await p.sandbox.twilio.platform().availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 1 });
    const [previous] = await p.api
      .db('tenants')
      .insert({ slug: `gone-${id.slice(0, 8)}`, business_name: 'Gone Dental', status: 'active', lifecycle_step: 'active' })
      .returning<{ id: string }[]>('id');
    await p.api.db('tenant_phone_numbers').insert({
      phone_number_sid: `PN${'0'.repeat(31)}1`,
      tenant_id: previous.id,
      subaccount_sid: `AC${'0'.repeat(31)}1`,
      phone_number: candidate.phoneNumber,
      sms_url: 'http://127.0.0.1/gone',
    });
    await approve(id, key);
    expect((await tenantReaches(p, id, key, (s) => s.step === 'active')).phoneNumber).toBe(candidate.phoneNumber);
    expect(
      await p.api.db('tenant_phone_numbers').where({ phone_number: candidate.phoneNumber }).orderBy('granted_at').select('tenant_id', 'released_at'),
    ).toEqual([
      { tenant_id: previous.id, released_at: expect.any(Date) },
      { tenant_id: id, released_at: null },
    ]);
    expect(await p.api.db('audit_log').where({ tenant_id: previous.id, action: 'number.lost' }).select('details')).toEqual([
      { details: { phoneNumber: candidate.phoneNumber, phoneNumberSid: `PN${'0'.repeat(31)}1`, nowHeldBy: id } },
    ]);

    // Forgotten between the code and its check: the service Twilio still has under clearsend's name is found again, and the code checks.
    const second = await signUp({ ownerPhone: '+14155550922' });
    await tenantReaches(p, second.id, second.key, (s) => s.step === 'verification' && s.verification.sentTo);
    await forget(`VA${'0'.repeat(31)}2`);
    await http()
      .post(`/v1/tenants/${second.id}/verification`)
      .set(as(second.key))
      .send({ code: await codeFor('+14155550922') })
      .expect(200);
    await tenantReaches(p, second.id, second.key, (s) => s.step === 'sandbox');
    expect(await remembered()).toBe(replacement);
  });
});
