import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { tenantPage } from './tenant-browser';
import { describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { activeTenant, platformHarness, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';

/**
 * The tenant console's campaign pages in a real browser against the real platform: a tenant
 * composes a campaign (the scan's verdict, segments and cost shown while typing; a forbidden
 * text blocked), starts it and watches its counts reach the final figures without a reload.
 */
const COMPLIANT = 'Bright Smiles Dental: your checkup is due. Book at brightsmiles.example. Reply STOP to opt out.';
const FORBIDDEN = 'Short on rent? Borrow up to $800 before your next paycheck, approved in minutes.';
const PHONES = ['+14155550301', '+14155550302', '+14155550303'];
/** Runs in the page (a string: the tests compile without DOM types): records each new delivered figure shown. */
const WATCH_DELIVERED = `(() => {
  const seen = (window.deliveredSeen = []);
  setInterval(() => {
    const shown = document.querySelector('[data-count="delivered"] dd')?.textContent?.trim();
    if (shown && seen[seen.length - 1] !== shown) seen.push(shown);
  }, 50);
})()`;

describeWithBrowser('tenant console: campaigns', () => {
  let p: PlatformHarness;
  let browser: Browser;
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness({ config: FAST_CAMPAIGNS }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  const count = (page: Page, which: string) => page.locator(`[data-count="${which}"] dd`);

  it('composes with a live preview, refuses a forbidden text, starts the campaign and shows its counts live until it finishes', async () => {
    const t = await activeTenant(p, { mps: 50 });
    for (const phone of PHONES) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await request(p.api.app)
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: PHONES.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    const base = p.config.PUBLIC_BASE_URL;
    const { context, page, errors } = await tenantPage(browser);
    await signIn(page, base, t.key);

    await page.goto(`${base}/console/tenant/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Checkup reminders');
    await page.getByLabel('Message text').fill(FORBIDDEN);
    const verdict = page.getByTestId('verdict');
    await verdict.getByText('Verdict: Blocked').waitFor();
    // The forbidden words are marked in the text, with the policy's reason listed.
    expect(await page.locator('mark.finding-block').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Create draft' }).isDisabled()).toBe(true);
    await page.getByTestId('segments').getByText('Estimated cost for 3 recipients').waitFor();
    await expectAccessible(page, 'tenant composer (blocked text)');
    await screenshot(page, 'tenant-composer');

    // Alcohol without a declared age gate: a person must approve it first.
    await page.getByLabel('Message text').fill('Bright Smiles Dental: $4 craft beer pints at our open house tonight.');
    await verdict.getByText('Verdict: Needs compliance review').waitFor();
    expect(await page.locator('mark.finding-review').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Create draft' }).isDisabled()).toBe(false);

    await page.getByLabel('Message text').fill(COMPLIANT);
    await verdict.getByText('Verdict: Ready to send').waitFor();
    const segments = page.getByTestId('segments');
    await segments.getByText('Estimated cost for 3 recipients').waitFor();
    expect(await segments.textContent()).toMatch(/\d+ characters, GSM-7, 1 segment per message/);

    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByText('It will reach 3 contacts').waitFor();
    // From here on the page keeps its document (a mark on window survives only without a reload)
    // and notes each delivered figure it shows, to prove the figure moved while the page watched.
    await page.evaluate(WATCH_DELIVERED);
    await page.getByRole('button', { name: 'Start sending' }).click();
    await page.waitForURL(/\/console\/tenant\/campaigns\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;

    await page.getByTestId('campaign-status').getByText('Status: completed').waitFor({ timeout: 90_000 });
    await count(page, 'delivered').getByText('3', { exact: true }).waitFor();
    const seen = await page.evaluate<string[] | undefined>('window.deliveredSeen');
    expect(seen?.[0]).not.toBe('3');
    expect(seen?.at(-1)).toBe('3');
    const shown = Object.fromEntries(
      await Promise.all(['sent', 'delivered', 'failed', 'opted-out'].map(async (k) => [k, (await count(page, k).textContent())?.trim()])),
    );
    const report = (await request(p.api.app).get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
    expect(shown).toEqual({ sent: '3', delivered: '3', failed: '0', 'opted-out': '0' });
    expect(report).toMatchObject({ sent: 3, delivery: { delivered: 3 } });
    await expectAccessible(page, 'tenant campaign page');
    await screenshot(page, 'tenant-campaign');
    // The recipient report: a plain link, downloaded with the session cookie.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the recipient report (CSV)' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toBe('contact_id,phone,to_e164,outcome,reason,detail,message_sid,error_code,delivery_status,delivery_error_code');
    for (const phone of PHONES) expect(csv).toMatch(new RegExp(`\\${phone},delivered,`));

    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: 'Checkup reminders' }).waitFor();
    await expectAccessible(page, 'tenant campaign list');
    expect(errors()).toEqual([]);
    await context.close();
  }, 180_000);

  it('cancels a running campaign from its page after a confirmation; the page ends at the canceled figures', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const phones = Array.from({ length: 12 }, (_, i) => `+1415555${String(3400 + i)}`);
    for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await request(p.api.app)
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    // One message a batch, a batch a second: long enough to cancel from the page.
    const created = await request(p.api.app)
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Slow reminders', body: COMPLIANT, messageType: 'transactional', batchSize: 1 })
      .expect(201);
    const id = created.body.id as string;
    await request(p.api.app).post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);

    const { context, page, errors } = await tenantPage(browser);
    await signIn(page, p.config.PUBLIC_BASE_URL, t.key);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/campaigns/${id}`);
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    // Nothing is canceled until it is confirmed.
    expect((await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body.status).not.toBe('canceled');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByTestId('campaign-status').getByText('Status: canceled').waitFor({ timeout: 60_000 });
    const report = (await request(p.api.app).get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
    expect(report.sent).toBeLessThan(12);
    expect(report.dropped.byReason.canceled).toBe(12 - report.sent);
    await count(page, 'sent').getByText(String(report.sent), { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel campaign' }).count()).toBe(0);
    expect(errors()).toEqual([]);
    await context.close();
  }, 90_000);
});
