import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';
import { tenantPage } from './tenant-browser';

/**
 * Issue 16's demo from the browser alone: a newcomer signs up on the sign-up page (the API's
 * field errors shown by their fields, nothing created), keeps the key shown once, continues
 * signed in, reads the Verify code through the local sandbox's link, makes the test sends, is
 * approved by staff on the review page, gives the carrier-registration details on the home page
 * (a bad EIN answered by its field) and sees the account active with its number.
 */
const OWNER_PHONE = '+14155550951';

describeWithBrowser('tenant console: sign-up to active', () => {
  let p: PlatformHarness;
  let browser: Browser;
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('signs up, verifies through the sandbox link, test-sends, is approved, registers from the page and becomes active', async () => {
    const base = p.config.PUBLIC_BASE_URL;
    const businessName = `Lakeside Clinic ${randomBytes(3).toString('hex')}`;
    const tenantsNamed = async () => (await p.api.db('tenants').where({ business_name: businessName })).length;
    const { context, page, errors } = await tenantPage(browser);

    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Sign up your business' }).click();
    await page.getByRole('heading', { name: 'Sign up your business' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/sign-up');

    // Refused by the API: each message next to its field, and no tenant created.
    await page.getByLabel('Business name').fill(businessName);
    await page.getByLabel('Contact email').fill('not an email');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.locator('#field-contact-email-error').waitFor();
    expect(await page.getByLabel('Contact email').getAttribute('aria-invalid')).toBe('true');
    for (const field of ['contact-name', 'ownerPhone', 'useCaseDescription', 'sampleMessages', 'expectedMonthlyVolume'])
      expect(await page.locator(`#field-${field}-error`).count()).toBe(1);
    expect(await page.locator('#field-businessName-error').count()).toBe(0);
    expect(await tenantsNamed()).toBe(0);
    await expectAccessible(page, 'sign-up (field errors)');
    expect(await page.locator('#field-ownerPhone-error').textContent()).toBe('Owner’s phone: is required');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'tenant-sign-up');

    await page.getByLabel('Website').fill('https://lakeside.example');
    await page.getByLabel('Contact name').fill('Robin Vale');
    await page.getByLabel('Contact email').fill('robin@lakeside.example');
    await page.getByLabel(/Owner.s phone/).fill(OWNER_PHONE);
    await page.getByLabel('What you send').selectOption('appointment_reminders');
    await page.getByLabel('Describe your messages').fill('Appointment reminders for patients who booked online.');
    await page
      .getByLabel('Sample messages')
      .fill('Lakeside Clinic: your visit is Tue 3pm. Reply STOP to opt out.\n\nLakeside Clinic: time for your checkup. Reply STOP to opt out.');
    await page.getByLabel('How recipients opt in').selectOption('web_form');
    await page.getByLabel('Expected messages per month').fill('3000');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();

    // The key, once; Continue signs in with it (no key in the address, nothing in storage).
    await page.getByText('Save this key: it is shown only now.').waitFor();
    const key = await page.getByLabel('Your API key').inputValue();
    expect(key).toMatch(/^cs_tenant_/);
    expect(await tenantsNamed()).toBe(1);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/tenant');
    expect(page.url()).not.toContain(key);
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    const tenantId = (await p.api.db('tenants').where({ business_name: businessName }).first<{ id: string }>('id')).id;

    // The sandbox holds the code Verify "texted": the page links it; the test reads it from that link.
    await page.getByRole('heading', { name: 'Now: Phone verification' }).waitFor({ timeout: 30_000 });
    const link = page.getByRole('link', { name: /Verify code page/ });
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(`${p.sandbox.sandbox.url}/__sandbox/verify/code?to=${encodeURIComponent(OWNER_PHONE)}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await tenantReaches(p, tenantId, key, (s) => s.step === 'verification' && s.verification.sentTo);
    const { code } = (await (await fetch(href)).json()) as { code: string };
    await page.getByRole('textbox', { name: 'Verification code' }).fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: 'Now: Sandbox test sends' }).waitFor();
    expect(await page.getByRole('link', { name: /Verify code page/ }).count()).toBe(0);

    for (const n of [1, 2]) {
      await page.getByLabel('Message', { exact: true }).fill(`Lakeside Clinic test ${n}. Reply STOP to opt out.`);
      await page.getByRole('button', { name: 'Send test message' }).click();
      if (n === 1) await page.getByText('1 of 2 successful test sends').waitFor();
    }
    await page.getByRole('heading', { name: 'Now: Compliance review' }).waitFor();

    // Staff approve it from the review queue, in their own session.
    const staff = await tenantPage(browser);
    await signIn(staff.page, base, p.staffKey);
    await staff.page.goto(`${base}/console/staff/reviews`);
    await staff.page.getByRole('link', { name: businessName }).click();
    await staff.page.getByLabel(/Note/).fill('Clinic checked');
    await staff.page.getByRole('button', { name: 'Approve' }).click();
    await staff.page.getByRole('status').filter({ hasText: 'Approve: the tenant is now at step' }).waitFor();
    expect(staff.errors()).toEqual([]);
    await staff.context.close();

    // Registration waits on its details: the home page asks for them.
    await page.getByRole('heading', { name: 'Carrier registration details' }).waitFor({ timeout: 60_000 });
    expect((await p.tenantState(tenantId, key)).registration).toMatchObject({ phase: 'details_missing' });
    await page.getByLabel('EIN').fill('12-34');
    await page.getByLabel('Business type').selectOption('Limited Liability Corporation');
    await page.getByLabel('Industry').selectOption('HEALTHCARE');
    await page.getByLabel('Company type').selectOption('private');
    await page.getByLabel('Street').fill('1 Main St');
    await page.getByLabel('City').fill('San Francisco');
    await page.getByLabel('State or region').fill('CA');
    await page.getByLabel('Postal code').fill('94103');
    await page.getByLabel('First name').fill('Robin');
    await page.getByLabel('Last name').fill('Vale');
    await page.getByLabel('Representative email').fill('robin@lakeside.example');
    await page.getByLabel('Representative phone').fill('+14155550100');
    await page.getByLabel('Job title').fill('Owner');
    await page.getByRole('button', { name: 'Submit registration details' }).click();
    await page.locator('#field-business-ein-error').waitFor();
    expect((await p.tenantState(tenantId, key)).registration).toMatchObject({ phase: 'details_missing' });
    await expectAccessible(page, 'tenant registration details (EIN refused)');
    await page.getByRole('heading', { name: 'Carrier registration details' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'tenant-registration');

    await page.getByLabel('EIN').fill('12-3456789');
    await page.getByRole('button', { name: 'Submit registration details' }).click();
    await page.getByRole('heading', { name: 'Your account is active' }).waitFor({ timeout: 60_000 });
    const active = await p.tenantState(tenantId, key);
    expect(active.step).toBe('active');
    await page.getByText(active.phoneNumber!, { exact: true }).waitFor();
    expect(errors()).toEqual([]);
    await context.close();
  }, 180_000);
  it('takes the carrier-registration details at sign-up when their section is opened (its errors under its fields too)', async () => {
    const base = p.config.PUBLIC_BASE_URL;
    const businessName = `Hilltop Vet ${randomBytes(3).toString('hex')}`;
    const { context, page, errors } = await tenantPage(browser);
    await page.goto(`${base}/console/sign-up`);
    await page.getByLabel('Business name').fill(businessName);
    await page.getByLabel('Contact name').fill('Sam Hill');
    await page.getByLabel('Contact email').fill('sam@hilltop.example');
    await page.getByLabel(/Owner.s phone/).fill('+14155550952');
    await page.getByLabel('Describe your messages').fill('Vaccination reminders for pets of our clients.');
    await page
      .getByLabel('Sample messages')
      .fill('Hilltop Vet: Rex is due for a shot. Reply STOP to opt out.\n\nHilltop Vet: see you Friday at 10. Reply STOP to opt out.');
    await page.getByLabel('Expected messages per month').fill('800');
    await page.getByText('Carrier registration details').click();
    await page.getByLabel('EIN').fill('98-76');
    await page.getByLabel('Street').fill('2 Hill Rd');
    await page.getByLabel('City').fill('Austin');
    await page.getByLabel('State or region').fill('TX');
    await page.getByLabel('Postal code').fill('73301');
    await page.getByLabel('First name').fill('Sam');
    await page.getByLabel('Last name').fill('Hill');
    await page.getByLabel('Representative email').fill('sam@hilltop.example');
    await page.getByLabel('Representative phone').fill('+14155550101');
    await page.getByLabel('Job title').fill('Owner');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.locator('#field-registration-business-ein-error').waitFor();
    expect(await p.api.db('tenants').where({ business_name: businessName }).count<{ count: string }[]>('* as count')).toEqual([{ count: '0' }]);
    await expectAccessible(page, 'sign-up (registration details open, EIN refused)');

    await page.getByLabel('EIN').fill('98-7654321');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByText('Save this key: it is shown only now.').waitFor();
    const tenant = await p.api.db('tenants').where({ business_name: businessName }).first<{ id: string }>('id');
    const stored = await p.api.db('carrier_registrations').where({ tenant_id: tenant.id }).first<{ kind: string; brand_type: string; details: unknown }>();
    expect(stored).toMatchObject({
      kind: '10dlc',
      brand_type: 'STANDARD',
      details: { business: { ein: '98-7654321', address: { city: 'Austin', isoCountry: 'US' } } },
    });
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);
});
