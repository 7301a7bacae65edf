import type { Browser } from 'playwright-core';
import request from 'supertest';
import { signupBody } from '../support/api';
import { tenantPage } from './tenant-browser';
import { describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';

/**
 * The tenant console's home during onboarding, in a real browser against the real lifecycle: the
 * page names the step it waits on, a wrong Verify code is answered as such, the right one moves
 * the lifecycle on (the page follows without a reload), the sandbox test sends are made from
 * the page until the step after them, and a rejected application is fixed and resubmitted from
 * it. A viewer sees where onboarding stands but none of the forms.
 */
const OWNER_PHONE = '+14155550931';
const VIEWER_OWNER_PHONE = '+14155550932';

describeWithBrowser('tenant console: onboarding', () => {
  let p: PlatformHarness;
  let browser: Browser;
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('shows the step it waits on; the Verify code, the sandbox sends and a KYC resubmission entered on the page move the lifecycle on', async () => {
    const signedUp = await request(p.api.app)
      .post('/v1/tenants')
      .send(signupBody({ ownerPhone: OWNER_PHONE }))
      .expect(202);
    const [id, key] = [signedUp.body.tenant.id as string, signedUp.body.apiKey as string];
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);

    const base = p.config.PUBLIC_BASE_URL;
    const { context, page, errors } = await tenantPage(browser);
    await signIn(page, base, key);
    await page.goto(`${base}/console/tenant`);
    await page.getByRole('heading', { name: 'Now: Phone verification' }).waitFor();
    // The step list marks where the tenant is; the workflow's words say what to do (without the API hint).
    expect(await page.locator('[aria-current="step"]').textContent()).toContain('Phone verification');
    // The lifecycle shows the owner's phone by its last digits only.
    expect(await page.getByText(`Enter the code sent to …${OWNER_PHONE.slice(-4)}.`, { exact: true }).count()).toBe(1);
    expect(await page.getByText('POST /v1/').count()).toBe(0);
    await expectAccessible(page, 'tenant onboarding (verification)');
    await screenshot(page, 'tenant-onboarding');

    await page.getByRole('textbox', { name: 'Verification code' }).fill('000000');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByText('That code is not the one we sent. 4 attempts left.').waitFor();
    expect((await p.tenantState(id, key)).step).toBe('verification');
    // A new code on request (the platform's cooldown is a second; Verify texts the pending code again).
    await page.getByRole('button', { name: 'Send me a new code' }).click();
    await page.getByText(`A new code was sent to …${OWNER_PHONE.slice(-4)}.`).waitFor();

    const code = (await p.sandbox.control(`/__sandbox/verify/code?to=${encodeURIComponent(OWNER_PHONE)}`)).body.code as string;
    await page.getByRole('textbox', { name: 'Verification code' }).fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: 'Now: Sandbox test sends' }).waitFor();
    expect(await tenantReaches(p, id, key, (s) => s.verification.verified)).toMatchObject({ step: 'sandbox' });

    // Two successful test sends (the platform asks for two) from the page's form.
    const testSend = async (n: number) => {
      await page.getByLabel('Message', { exact: true }).fill(`Bright Smiles Dental test ${n}. Reply STOP to opt out.`);
      await page.getByRole('button', { name: 'Send test message' }).click();
    };
    await testSend(1);
    await page.getByText('1 of 2 successful test sends').waitFor();
    await testSend(2);
    await page.getByRole('heading', { name: 'Now: Compliance review' }).waitFor();
    expect((await p.tenantState(id, key)).step).toBe('review');
    await expectAccessible(page, 'tenant onboarding (review)');

    // Staff reject it: the page (still open) shows why and the form to resubmit; resubmitted, the
    // lifecycle goes back to review (the verified phone and the test sends are kept).
    await request(p.api.app)
      .post(`/v1/compliance/tenants/${id}/reject`)
      .set({ authorization: `Bearer ${p.staffKey}` })
      .send({ reason: 'samples lack the brand name' })
      .expect(202);
    await page.getByRole('heading', { name: 'Your application was rejected' }).waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'samples lack the brand name' }).count()).toBe(1);
    await expectAccessible(page, 'tenant onboarding (rejected, KYC form)');
    await page.getByLabel('Business name').fill('Bright Smiles Dental');
    await page.getByLabel('Website').fill('https://brightsmiles.example');
    await page.getByLabel('Name', { exact: true }).fill('Dana Ortiz');
    await page.getByLabel('Email').fill('dana@brightsmiles.example');
    await page.getByLabel('What you send').selectOption('appointment_reminders');
    await page.getByLabel('Describe your messages').fill('Appointment reminders for patients who booked online.');
    await page
      .getByLabel('Sample messages')
      .fill('Bright Smiles Dental: your cleaning is Tue 3pm. Reply STOP to opt out.\n\nBright Smiles Dental: time for your checkup. Reply STOP to opt out.');
    await page.getByLabel('How recipients opt in').selectOption('web_form');
    await page.getByLabel('Expected messages per month').fill('4000');
    await page.getByRole('button', { name: 'Resubmit application' }).click();
    await page.getByRole('heading', { name: 'Now: Compliance review' }).waitFor();
    const resubmitted = await p.api.db('kyc_submissions').where({ tenant_id: id }).orderBy('id', 'desc').first<{ submission: Record<string, unknown> }>();
    expect(resubmitted?.submission).toMatchObject({ sampleMessages: [expect.stringContaining('Tue 3pm'), expect.stringContaining('checkup')] });
    expect(errors()).toEqual([]);
    await context.close();
  }, 120_000);

  it('asks for another area code when none is left, takes it from the page, and shows the active account', async () => {
    const phone = '+15335550931';
    const signedUp = await request(p.api.app)
      .post('/v1/tenants')
      .send(signupBody({ ownerPhone: phone, areaCodePreference: '533' }))
      .expect(202);
    const [id, key] = [signedUp.body.tenant.id as string, signedUp.body.apiKey as string];
    const owner = { authorization: `Bearer ${key}` };
    // The steps before the number, through the API (the first test does them on the page).
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);
    const code = (await p.sandbox.control(`/__sandbox/verify/code?to=${encodeURIComponent(phone)}`)).body.code as string;
    await request(p.api.app).post(`/v1/tenants/${id}/verification`).set(owner).send({ code }).expect(200);
    await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
    for (let i = 0; i < 2; i++) await request(p.api.app).post('/v1/sandbox/messages').set(owner).send({ to: '+15005550006', body: 'test' }).expect(201);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    await request(p.api.app)
      .post(`/v1/compliance/tenants/${id}/approve`)
      .set({ authorization: `Bearer ${p.staffKey}` })
      .send({ reason: 'checked' })
      .expect(202);
    await tenantReaches(p, id, key, (s) => s.step === 'number' && s.openRequirements.length > 0);

    const { context, page, errors } = await tenantPage(browser);
    await signIn(page, p.config.PUBLIC_BASE_URL, key);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant`);
    await page.getByRole('heading', { name: 'Choose another area code' }).waitFor();
    expect(
      await page
        .getByRole('listitem')
        .filter({ hasText: /area code 533.*Choose another area code\.$/ })
        .count(),
    ).toBe(1);
    await expectAccessible(page, 'tenant onboarding (area code)');
    await page.getByRole('textbox', { name: 'Area code' }).fill('628');
    await page.getByRole('button', { name: 'Use this area code' }).click();
    await page.getByRole('heading', { name: 'Your account is active' }).waitFor({ timeout: 60_000 });
    const active = await p.tenantState(id, key);
    expect(active.phoneNumber).toMatch(/^\+1628/);
    await page.getByText(active.phoneNumber!, { exact: true }).waitFor();
    // The monitor's notices are listed there too (one written as the monitor writes a warning).
    await p.api.db('tenant_notices').insert({ tenant_id: id, kind: 'warned', title: 'Opt-out rate above 0.3 %', body: 'Check how recipients opted in.' });
    await page.reload();
    await page.getByRole('listitem').filter({ hasText: 'Opt-out rate above 0.3 %' }).getByText('Check how recipients opted in.').waitFor();
    await expectAccessible(page, 'tenant home (active)');
    expect(errors()).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a viewer where onboarding stands, without the forms only an admin may use', async () => {
    const signedUp = await request(p.api.app)
      .post('/v1/tenants')
      .send(signupBody({ ownerPhone: VIEWER_OWNER_PHONE }))
      .expect(202);
    const [id, key] = [signedUp.body.tenant.id as string, signedUp.body.apiKey as string];
    const owner = { authorization: `Bearer ${key}` };
    await request(p.api.app).put(`/v1/tenants/${id}/users/vera`).set(owner).send({ role: 'viewer' }).expect(200);
    const viewerKey = (await request(p.api.app).post(`/v1/tenants/${id}/users/vera/api-keys`).set(owner).send({}).expect(201)).body.apiKey as string;
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);

    const { context, page, errors } = await tenantPage(browser, { width: 390, height: 844 });
    await signIn(page, p.config.PUBLIC_BASE_URL, viewerKey);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant`);
    await page.getByRole('heading', { name: 'Now: Phone verification' }).waitFor();
    await page.getByText('An admin of your account answers these steps.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Verification code' }).count()).toBe(0);
    await expectAccessible(page, 'tenant onboarding (viewer)');
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);
});
