import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { tenantPage } from './tenant-browser';
import { describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { handsetSays } from '../support/handset';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';

/**
 * The tenant console's replies inbox and reports in a real browser against the real platform:
 * a handset's reply (through the sandbox's inbound simulation and the signed webhook) shows in
 * the inbox; the report links download CSV with the session cookie; a viewer sees reports only.
 */
const CONTACT = '+14155550411';
const REPLY = 'Can I move my cleaning to Friday morning?';
const OTHER_CONTACT = '+14155550412';
const LATER_REPLY = 'Is parking available at the clinic?';

describeWithBrowser('tenant console: replies and reports', () => {
  let p: PlatformHarness;
  let browser: Browser;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness(), launchBrowser()]);
    t = await activeTenant(p);
    await request(p.api.app)
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          { phone: CONTACT, name: 'Ana Lopez', assignedUser: 'dana' },
          { phone: OTHER_CONTACT, name: 'Ben Okafor', assignedUser: 'sam' },
        ],
      })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  const signedIn = async (key: string, viewport = { width: 1280, height: 900 }) => {
    const opened = await tenantPage(browser, viewport);
    await signIn(opened.page, p.config.PUBLIC_BASE_URL, key);
    return opened;
  };
  /** Clicks a download link and returns the file's text and name. */
  const download = async (page: Page, linkName: string | RegExp) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  };

  it('shows a handset’s reply in the inbox, newest first, without a reload', async () => {
    const { context, page, errors } = await signedIn(t.key);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/replies`);
    await page.getByText('No replies yet.').waitFor();
    await handsetSays(p, { from: CONTACT, to: t.from, body: REPLY });
    // The inbox re-reads every few seconds: the reply appears on the page already open.
    const row = page.getByRole('listitem').filter({ hasText: REPLY });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('Ana Lopez');
    expect(await row.textContent()).toContain(CONTACT);
    // A later reply, from another contact to another user, is listed above it.
    await handsetSays(p, { from: OTHER_CONTACT, to: t.from, body: LATER_REPLY });
    await page.getByRole('listitem').filter({ hasText: LATER_REPLY }).waitFor({ timeout: 15_000 });
    const listed = await page
      .getByRole('listitem')
      .filter({ hasText: /Friday morning|parking/ })
      .allTextContents();
    expect(listed.map((text) => (text.includes(LATER_REPLY) ? 'later' : 'first'))).toEqual(['later', 'first']);
    expect(listed[0]).toContain('For sam');
    await expectAccessible(page, 'tenant replies');
    await screenshot(page, 'tenant-replies');
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);

  it('downloads the daily summary, opt-outs and contacts as CSV', async () => {
    await handsetSays(p, { from: CONTACT, to: t.from, body: 'STOP' });
    const { context, page, errors } = await signedIn(t.key);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/reports`);
    await page.getByRole('heading', { name: 'Daily summary' }).waitFor();
    await expectAccessible(page, 'tenant reports');

    const daily = await download(page, /Download the daily summary/);
    expect(daily.name).toMatch(/\.csv$/);
    expect(daily.text.split('\n')[0]).toContain('sends');
    const optOuts = await download(page, /Download opt-outs/);
    expect(optOuts.text.split('\n')[0]).toBe('phone,keyword,optedOutAt,sender,contactName,assignedUser,stillSuppressed');
    expect(optOuts.text).toContain(CONTACT);
    const contacts = await download(page, 'Download contacts (CSV)');
    expect(contacts.text).toContain(CONTACT);
    // Each download is an export the API audits: proof the browser's GET went through the API with the session.
    const exports = await p.api.db('audit_log').where({ tenant_id: t.id }).whereLike('action', 'export.%').pluck('action');
    expect(exports.length).toBeGreaterThanOrEqual(3);
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);

  it('a viewer sees reports and campaigns but not replies, the composer or contact exports', async () => {
    await request(p.api.app).put(`/v1/tenants/${t.id}/users/vera`).set(t.auth).send({ role: 'viewer' }).expect(200);
    const viewerKey = (await request(p.api.app).post(`/v1/tenants/${t.id}/users/vera/api-keys`).set(t.auth).send({}).expect(201)).body.apiKey as string;
    const { context, page, errors } = await signedIn(viewerKey, { width: 390, height: 844 });
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/reports`);
    await page.getByRole('heading', { name: 'Daily summary' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Reports' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Replies' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Download opt-outs|Download contacts/ }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByText('No campaigns yet.').waitFor();
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/replies`);
    await page.getByText('your role reads reports only').waitFor();
    expect(await page.getByText(REPLY).count()).toBe(0);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/campaigns/new`);
    await page.getByText('Creating campaigns needs an admin or a sender').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message text' }).count()).toBe(0);
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);
});
