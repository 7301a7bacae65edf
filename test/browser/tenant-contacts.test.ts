import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { tenantPage } from './tenant-browser';
import { describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { activeTenant, platformHarness, type PlatformHarness } from '../support/platform';

/**
 * The tenant console's contacts page in a real browser against the real platform: a contact added
 * through the form with its marketing consent, a CSV imported, a withdrawal recorded from the
 * contact's page, an erasure after its confirmation; the composer counts the contacts; a viewer
 * sees no contacts.
 */
const WORDING = 'Yes, text me Bright Smiles offers. Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to opt out.';
const csv = (secondRowSource: string) =>
  [
    'phone,name,assigned_user,tags,consent_method,consent_at,consent_source,consent_wording,consent_purposes',
    `+14155550602,Ben Okafor,sam,spring,web_form,2026-11-30T14:05:00Z,https://brightsmiles.example/texts,"${WORDING}",marketing;transactional`,
    `+14155550603,Cleo Park,sam,spring,web_form,2026-11-30T14:06:00Z,${secondRowSource},"${WORDING}",marketing`,
    '+14155550604,Dev Shah,dana,,,,,,',
  ].join('\n');

describeWithBrowser('tenant console: contacts', () => {
  let p: PlatformHarness;
  let browser: Browser;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    [p, browser] = await Promise.all([platformHarness(), launchBrowser()]);
    t = await activeTenant(p);
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  const storedPhones = async () => await p.api.db('contacts').where({ tenant_id: t.id }).orderBy('phone').pluck<string[]>('phone');
  const signedIn = async (key: string, viewport = { width: 1280, height: 900 }) => {
    const opened = await tenantPage(browser, viewport);
    await signIn(opened.page, p.config.PUBLIC_BASE_URL, key);
    return opened;
  };
  const importFile = async (page: Page, text: string) => {
    await page.getByLabel('CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByRole('button', { name: 'Import' }).click();
  };
  const rowOf = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name }) });

  it('adds a contact with its consent, imports a CSV, counts them in the composer, records a withdrawal and erases', async () => {
    const { context, page, errors } = await signedIn(t.key);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await page.getByText('No contacts yet.').waitFor();

    // An invalid number: the API's error under the field, nothing stored.
    await page.getByLabel('Mobile number').fill('12');
    await page.getByLabel('Name (optional)').fill('Ana Lopez');
    await page.getByLabel('Assigned user: who answers their replies').fill('dana');
    await page.getByLabel('Tags (separated by commas, optional)').fill('spring, vip');
    await page.getByLabel('How they consented').selectOption('web_form');
    await page.getByLabel(/Source: the form/).fill('https://brightsmiles.example/texts');
    await page.getByLabel('Exact words they agreed to').fill(WORDING);
    await page.getByLabel(/Marketing: offers/).check();
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByText('is too short to be a phone number').waitFor();
    expect(await page.getByLabel('Mobile number').getAttribute('aria-invalid')).toBe('true');
    expect(await storedPhones()).toEqual([]);
    await expectAccessible(page, 'tenant contacts: add form with a field error');

    await page.getByLabel('Mobile number').fill('+14155550601');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('status').getByText('Contact added.').waitFor();
    await rowOf(page, 'Ana Lopez').getByText('marketing: granted (web form); transactional: granted (web form)').waitFor();
    expect(await storedPhones()).toEqual(['+14155550601']);

    // A CSV with a web-form consent without its URL on line 3: the API stores none of the rows.
    await importFile(page, csv(''));
    const refused = page.getByRole('table', { name: 'Rows the import refused' });
    await refused.waitFor();
    expect((await refused.getByRole('row').allTextContents()).slice(1)).toEqual([expect.stringMatching(/^Line 3.*consent\.source: is required for web_form/)]);
    expect(await storedPhones()).toEqual(['+14155550601']);
    await importFile(page, csv('https://brightsmiles.example/texts'));
    await page.getByRole('status').getByText('Imported 3 rows: 3 new, 0 updated.').waitFor();
    expect(await refused.count()).toBe(0);
    for (const name of ['Ben Okafor', 'Cleo Park', 'Dev Shah']) await rowOf(page, name).waitFor();
    expect(await rowOf(page, 'Dev Shah').textContent()).toContain('none recorded');
    expect(await storedPhones()).toEqual(['+14155550601', '+14155550602', '+14155550603', '+14155550604']);
    // The tag filter asks the API for that tag only.
    await page.getByRole('searchbox', { name: 'Tag' }).fill('vip');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').getByText('1 contact on this page tagged “vip”.').waitFor();
    expect(await rowOf(page, 'Ben Okafor').count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Tag' }).fill('');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').getByText('4 contacts on this page.').waitFor();
    await expectAccessible(page, 'tenant contacts list');
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'tenant-contacts');

    // The composer's estimate counts them.
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/campaigns/new`);
    await page.getByLabel('Message text').fill('Bright Smiles Dental: your checkup is due. Book at brightsmiles.example');
    await page.getByTestId('segments').getByText('Estimated cost for 4 recipients').waitFor();

    // A withdrawal from the contact's page shows on the list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await rowOf(page, 'Ben Okafor').getByRole('link').click();
    await page.getByRole('heading', { name: 'Ben Okafor' }).waitFor();
    expect(await page.getByRole('table', { name: /Consent history/ }).textContent()).toContain('https://brightsmiles.example/texts');
    await expectAccessible(page, 'tenant contact detail');
    await page.getByRole('button', { name: 'Record withdrawal' }).click();
    await page.getByText('Withdrawal recorded.').waitFor();
    await page.getByText('Consent now: marketing: withdrawn; transactional: granted (web form).').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await rowOf(page, 'Ben Okafor').getByText('marketing: withdrawn; transactional: granted (web form)').waitFor();

    // Erasure asks first and says what it does; the contact is then gone.
    await rowOf(page, 'Dev Shah').getByRole('link').click();
    await page.getByRole('button', { name: 'Erase contact…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Erase this contact for good?' });
    expect(await dialog.textContent()).toContain('cannot be restored');
    expect(await storedPhones()).toHaveLength(4);
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await rowOf(page, 'Ana Lopez').waitFor();
    expect(await rowOf(page, 'Dev Shah').count()).toBe(0);
    expect(await storedPhones()).toEqual(['+14155550601', '+14155550602', '+14155550603']);
    expect(errors()).toEqual([]);
    await context.close();
  }, 90_000);

  it('a viewer at phone width sees no contacts page or link', async () => {
    await request(p.api.app).put(`/v1/tenants/${t.id}/users/vera`).set(t.auth).send({ role: 'viewer' }).expect(200);
    const viewerKey = (await request(p.api.app).post(`/v1/tenants/${t.id}/users/vera/api-keys`).set(t.auth).send({}).expect(201)).body.apiKey as string;
    const { context, page, errors } = await signedIn(viewerKey, { width: 390, height: 844 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Reports' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Contacts' }).count()).toBe(0);
    await page.goto(`${p.config.PUBLIC_BASE_URL}/console/tenant/contacts`);
    await page.getByText('Contacts are personal data; your role reads reports only.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add contact' }).count()).toBe(0);
    expect(errors()).toEqual([]);
    await context.close();
  }, 60_000);
});
