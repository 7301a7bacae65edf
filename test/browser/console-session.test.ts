import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { platformHarness, type PlatformHarness } from '../support/platform';

/**
 * The console's sign-in, sessions and CSRF defence in a real browser (Debian's chromium) against
 * the real API listening on 127.0.0.1: tenants and staff sign in through the page and out again,
 * a tenant session cannot open staff pages or another tenant's data, and a form that another
 * site (localhost, another host name) or another port of the same host (same-site) submits to a
 * state-changing route is refused and changes nothing.
 */
describeWithBrowser('console sign-in, sessions and CSRF in the browser', () => {
  let p: PlatformHarness;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness({ worker: false }), launchBrowser()]);
    base = p.config.PUBLIC_BASE_URL;
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  /** A fresh context (its own cookies) per role. */
  async function freshPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }
  /** Exceptions and CSP refusals (an answer's 4xx, such as the 401 before sign-in, is logged by the browser too, and is no fault). */
  const seriousErrors = (errors: string[]) => errors.filter((e) => e.startsWith('pageerror') || /Content Security Policy|Refused to/i.test(e));
  const statusOfFetch = (page: Page, url: string) => page.evaluate<number>(`fetch(${JSON.stringify(url)}).then((r) => r.status)`);
  const keyCount = async (tenantId: string) =>
    Number((await p.api.db('api_keys').where({ tenant_id: tenantId }).count<{ count: string }[]>('* as count'))[0].count);
  const auditCount = async (tenantId: string) =>
    Number((await p.api.db('audit_log').where({ tenant_id: tenantId }).count<{ count: string }[]>('* as count'))[0].count);

  it('shows an accessible sign-in page that says why a key is refused', async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('API key').waitFor();
    await expectAccessible(page, 'the sign-in page');
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('cs_tenant_000000000000_not-a-real-key-at-all-xxxxxxxx');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The API key is not valid.').waitFor();
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await expectAccessible(page, 'the sign-in page with its error');
    expect(seriousErrors(errors)).toEqual([]);
  });

  it('signs a tenant in through the page into the tenant console; the cookie is HttpOnly', async () => {
    const tenant = await p.api.activeTenant({ businessName: 'Browser Dental' });
    const { page, errors } = await freshPage();
    await signIn(page, base, tenant.key);
    expect(new URL(page.url()).pathname).toBe('/console/tenant');
    await page.getByRole('banner').getByText('Browser Dental').waitFor();
    expect(await page.evaluate('document.cookie')).toBe('');
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'cs_session', httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    await expectAccessible(page, 'the tenant shell');
    expect(seriousErrors(errors)).toEqual([]);
  });

  it('signs staff in to the staff console and out again: the session is gone', async () => {
    const { page, errors } = await freshPage();
    await signIn(page, base, p.staffKey);
    expect(new URL(page.url()).pathname).toBe('/console/staff');
    await expectAccessible(page, 'the staff shell');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await statusOfFetch(page, '/console/session')).toBe(401);
    await page.reload();
    await page.getByLabel('API key').waitFor();
    expect(seriousErrors(errors)).toEqual([]);
  });

  it('keeps a deep link through sign-in, navigates in place from the header, and follows Back', async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${base}/console/staff/no-such-page`);
    await page.getByLabel('API key').fill(p.staffKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/staff/no-such-page');
    // A marker on the window survives only if the header's link navigates without loading a page.
    await page.evaluate('window.stillTheSameDocument = true');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${base}/console/staff`);
    expect(await page.evaluate('window.stillTheSameDocument')).toBe(true);
    expect(await page.title()).toMatch(/· clearsend console$/);
    await page.goBack();
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(seriousErrors(errors)).toEqual([]);
  });

  it('keeps a tenant session out of staff pages (403 page) and out of another tenant’s data (404 from the API)', async () => {
    const [tenant, other] = [await p.api.activeTenant(), await p.api.activeTenant({ businessName: 'Someone Else' })];
    const { page } = await freshPage();
    await signIn(page, base, tenant.key);
    await page.goto(`${base}/console/staff`);
    await page.getByRole('heading', { name: '403: not allowed with this session' }).waitFor();
    await expectAccessible(page, 'the 403 page');
    expect(await statusOfFetch(page, '/v1/compliance/reviews')).toBe(403);
    expect(await statusOfFetch(page, `/v1/tenants/${other.id}/api-keys`)).toBe(404);
    expect(await statusOfFetch(page, `/v1/tenants/${tenant.id}/api-keys`)).toBe(200);
  });

  describe('a form on another page posting to the API with the signed-in session', () => {
    let attacker: Server;
    let attackerPort: number;
    /** What the attacker's page submits: set per test, served at / of the attacker's server. */
    let form = { action: '', fields: {} as Record<string, string> };
    beforeAll(async () => {
      attacker = createServer((_req, res) => {
        const inputs = Object.entries(form.fields)
          .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
          .join('');
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          `<!doctype html><title>win a prize</title><form id="f" method="post" action="${form.action}">${inputs}</form><script>document.getElementById('f').submit()</script>`,
        );
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      attackerPort = (attacker.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())));

    /** Opens the attacker's page at `origin` in the victim's context; returns the status the app answered the form with. */
    async function submitFrom(page: Page, origin: string, action: string, fields: Record<string, string>): Promise<number> {
      form = { action, fields };
      const answered = page.waitForResponse((r) => r.url() === action && r.request().method() === 'POST');
      await page.goto(`${origin}/`);
      return (await answered).status();
    }

    it('refuses a cross-site post (attacker on localhost): the cookie is not even sent, nothing changes', async () => {
      const tenant = await p.api.activeTenant();
      const { page } = await freshPage();
      await signIn(page, base, tenant.key);
      const [keys, audit] = [await keyCount(tenant.id), await auditCount(tenant.id)];
      const status = await submitFrom(page, `http://localhost:${attackerPort}`, `${base}/v1/tenants/${tenant.id}/api-keys`, { label: 'planted' });
      // SameSite=Strict: no cookie went with it, so the API saw no session at all.
      expect(status).toBe(401);
      // A sign-in posted from there (to sign the victim in as the attacker) is refused by origin, cookie or not.
      const attackerKey = (await p.api.activeTenant()).key;
      expect(await submitFrom(page, `http://localhost:${attackerPort}`, `${base}/console/session`, { key: attackerKey })).toBe(403);
      expect([await keyCount(tenant.id), await auditCount(tenant.id)]).toEqual([keys, audit]);
      await page.goto(`${base}/console/`);
      await page.getByRole('banner').getByText('Bright Smiles Dental').waitFor();
    });

    it('refuses a same-site post from another port of the app’s host (the cookie is sent): 403, nothing changes', async () => {
      const tenant = await p.api.activeTenant();
      const { page } = await freshPage();
      await signIn(page, base, tenant.key);
      const [keys, audit] = [await keyCount(tenant.id), await auditCount(tenant.id)];
      const status = await submitFrom(page, `http://127.0.0.1:${attackerPort}`, `${base}/v1/tenants/${tenant.id}/api-keys`, { label: 'planted' });
      expect(status).toBe(403);
      // Even with a token the attacker somehow had, the origin check alone refuses it.
      const csrfToken = await page.evaluate<string>(`fetch('${base}/console/session').then((r) => r.json()).then((s) => s.csrfToken)`);
      expect(
        await submitFrom(page, `http://127.0.0.1:${attackerPort}`, `${base}/v1/tenants/${tenant.id}/api-keys`, { label: 'planted', _csrf: csrfToken }),
      ).toBe(403);
      expect(await submitFrom(page, `http://127.0.0.1:${attackerPort}`, `${base}/console/session/sign-out`, {})).toBe(403);
      expect([await keyCount(tenant.id), await auditCount(tenant.id)]).toEqual([keys, audit]);
      // Still signed in: the sign-out was refused too.
      expect(await statusOfFetch(page, '/console/session')).toBe(200);
    });
  });
});
