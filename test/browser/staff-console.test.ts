import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { recordAudit } from '../../src/db/audit';
import { campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { signupBody } from '../support/api';
import { collectPageErrors, describeWithBrowser, expectAccessible, launchBrowser, screenshot, signIn } from '../support/browser';
import { eventually } from '../support/eventually';
import {
  activeTenant,
  FAST_CAMPAIGNS,
  platformHarness,
  startCampaignTo,
  startMonitor,
  stopMonitor,
  tenantReaches,
  type PlatformHarness,
} from '../support/platform';

/**
 * The staff console in a real browser against the real platform (Temporal, PostgreSQL, the
 * sandbox, the worker): a review found in the queue is decided on its page and the lifecycle
 * moves on; a tenant is suspended from its chart page and its running campaign holds, then
 * reinstated and the campaign goes on; the audit log shows the notes. axe on every page.
 */
const TEMPORAL_UI = 'http://127.0.0.1:8233';

describeWithBrowser('staff console', () => {
  let p: PlatformHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let pageErrors: string[];
  beforeAll(async () => {
    // One message per batch, a batch a second: the suspend test's campaign (120 contacts) would need two minutes,
    // so the suspension lands mid-way even on a slow machine; the test cancels it, never waits for its end.
    [p, browser] = await Promise.all([
      platformHarness({ config: { ...FAST_CAMPAIGNS, CAMPAIGN_BATCH_SIZE: '1', TEMPORAL_UI_URL: TEMPORAL_UI } }),
      launchBrowser(),
    ]);
    base = p.config.PUBLIC_BASE_URL;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
    await signIn(page, base, p.staffKey);
  });
  // A script error or a CSP refusal (a chart style, an inline script) shows here, whatever the page looked like.
  // Answers the pages expect (401 before signing in, the monitor's 404 before activation) are no error.
  afterEach(() => expect(pageErrors.splice(0).filter((e) => !e.includes('Failed to load resource'))).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  const http = () => request(p.api.app);
  const staff = () => ({ authorization: `Bearer ${p.staffKey}` });
  const auditOf = async (tenantId: string) =>
    (await http().get(`/v1/compliance/audit?tenantId=${tenantId}&limit=500`).set(staff()).expect(200)).body.entries as Array<{
      action: string;
      actor: string;
      reason: string | null;
    }>;
  const unique = () => randomBytes(3).toString('hex');

  it('finds a medium-risk tenant in the review queue, sees its evidence, and approves it with a note; the lifecycle moves on', async () => {
    const name = `Harbor Market ${unique()}`;
    // A wine sample without a declared age gate needs a person: medium risk, the KYC review step.
    const samples = ['Wine tasting Friday at Harbor Market! Reply STOP to opt out.', 'Harbor Market: your order is ready for pickup. Reply STOP to opt out.'];
    const signedUp = await http()
      .post('/v1/tenants')
      .send(signupBody({ businessName: name, ownerPhone: '+14155550977', sampleMessages: samples }))
      .expect(202);
    const [id, key] = [signedUp.body.tenant.id as string, signedUp.body.apiKey as string];
    await tenantReaches(p, id, key, (s) => s.step === 'kyc_review' && s.review);

    await page.goto(`${base}/console/staff/reviews`);
    await page.getByRole('link', { name }).waitFor();
    await expectAccessible(page, 'staff review queue');
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 2 }).waitFor();
    // The risk and its reason, the KYC answers, and the sample with the engine's finding marked.
    await page.getByRole('heading', { name: 'Risk' }).waitFor();
    expect(await page.locator('section[aria-labelledby="risk-h"]').textContent()).toMatch(/Score\s*\d+, level\s*medium.*Sample message 1 needs a person/s);
    expect(await page.locator('section[aria-labelledby="kyc-h"]').textContent()).toContain('appointment reminders');
    expect(await page.locator('mark').first().textContent()).toMatch(/^Wine/);
    expect(await page.locator('section[aria-labelledby="samples-h"] li').first().textContent()).toMatch(/review/);
    await expectAccessible(page, 'staff review');
    // The picture starts at the evidence: the risk and the samples with their findings marked.
    await page.getByRole('heading', { name: 'Risk' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'staff-review');

    // No note, no decision: the browser refuses the form and nothing is sent.
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByLabel(/Note/).evaluate((el: { validity: { valueMissing: boolean } }) => el.validity.valueMissing)).toBe(true);
    expect((await p.tenantState(id, key)).step).toBe('kyc_review');

    const note = `Wine shop checked ${unique()}: age gate at the door`;
    await page.getByLabel(/Note/).fill(note);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approve: the tenant is now at step' }).waitFor();
    await tenantReaches(p, id, key, (s) => s.step === 'verification');
    expect(await auditOf(id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'case.approved', reason: note, actor: expect.stringMatching(/^staff:/) })]),
    );

    // A decision that no longer fits is refused by the workflow, in its words, and changes nothing.
    await page.getByLabel(/Note/).fill('approve once more');
    await page.getByRole('button', { name: 'Approve' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('The tenant has no open review to approve.');
    expect((await p.tenantState(id, key)).step).toBe('verification');
    expect((await auditOf(id)).filter((e) => e.action === 'case.approved')).toHaveLength(1);
  });

  it('suspends a tenant from its chart page: the running campaign holds; reinstating lets it go on', async () => {
    const name = `Bright Smiles ${unique()}`;
    const t = await activeTenant(p, { name });
    // Two days of earlier traffic for the charts: error rates of 1-4 % and opt-outs up to 0.2 %, below the
    // thresholds, so the monitor leaves the tenant alone (the suspension is the staff member's).
    await p.api.db('tenant_traffic_counters').insert(
      Array.from({ length: 46 }, (_, i) => ({
        tenant_id: t.id,
        hour: p.api.db.raw(`date_trunc('hour', now()) - make_interval(hours => ?)`, [i + 2]),
        shard: 0,
        sent: 1_100,
        segments: 1_100,
        delivered: 1_000,
        undelivered: 10 * (1 + (i % 4)),
        opt_outs: i % 3,
      })),
    );
    await startMonitor(p, t.id, 5_000);
    try {
      const phones = Array.from({ length: 120 }, (_, i) => `+1628771${String(i).padStart(4, '0')}`);
      const campaignId = await startCampaignTo(p, t, phones, 'Spring checkups');
      const progressOf = async () =>
        (await http().get(`/v1/campaigns/${campaignId}`).set(t.auth).expect(200)).body as { status: string; progress?: { sent: number; held?: string } };

      await page.goto(`${base}/console/staff/tenants`);
      await page.getByLabel('Business name').fill(name);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name }).waitFor();
      await expectAccessible(page, 'staff tenants list');
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
      await page.locator('figure.rate-chart canvas').first().waitFor();
      expect(await page.locator('figcaption').first().textContent()).toMatch(
        /Error rate per hour.*approaching above 4\.50 %, bad above 6\.00 %.*highest: 3\.85 %/is,
      );
      // The campaign and the monitor link to their runs in the Temporal UI.
      const runUrl = (workflowId: string) => `${TEMPORAL_UI}/namespaces/${p.config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`;
      expect(await page.getByRole('link', { name: /Spring checkups/ }).getAttribute('href')).toBe(runUrl(campaignWorkflowId(campaignId)));
      expect(await page.getByRole('link', { name: /Monitor run in Temporal/ }).getAttribute('href')).toBe(runUrl(monitorWorkflowId(t.id)));
      await expectAccessible(page, 'staff tenant');

      // The monitor's rung decides which of suspend and reinstate the page offers.
      expect(await page.getByRole('button', { name: 'Reinstate' }).count()).toBe(0);
      const reason = `Complaints under investigation ${unique()}`;
      await page.getByLabel(/Note/).fill(reason);
      await page.getByRole('button', { name: 'Suspend sending' }).click();
      await page.getByRole('status').filter({ hasText: 'Suspend sending: the tenant moved from good to suspended' }).waitFor();
      const held = await eventually(
        async () => {
          const c = await progressOf();
          return c.progress?.held ? c : undefined;
        },
        { timeoutMs: 30_000, describe: 'the campaign to hold' },
      );
      expect(held.progress?.held).toMatch(/suspended/);
      expect(held.status).not.toBe('completed');
      expect((await p.api.temporal.workflow.getHandle(campaignWorkflowId(campaignId)).describe()).status.name).toBe('RUNNING');
      const sentWhenHeld = held.progress?.sent ?? 0;
      expect(sentWhenHeld).toBeLessThan(phones.length);
      // The relay held on the tenant's stored standing: the page, read again, shows it too.
      await page.reload();
      expect(await page.getByTestId('sending-state').textContent()).toBe('suspended');
      await page.locator('figure.rate-chart canvas').first().waitFor();
      await page.getByRole('heading', { name: 'Rates, last 7 days' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'staff-tenant');

      await page.getByLabel(/Note/).fill('Complaints resolved');
      await page.getByRole('button', { name: 'Reinstate' }).click();
      await page.getByRole('status').filter({ hasText: 'Reinstate: the tenant moved from suspended to good' }).waitFor();
      await eventually(
        async () => {
          const c = await progressOf();
          return !c.progress?.held && (c.progress?.sent ?? 0) > sentWhenHeld ? c : undefined;
        },
        { timeoutMs: 30_000, describe: 'the campaign to go on after reinstatement' },
      );
      const actions = (await auditOf(t.id)).filter((e) => e.action === 'monitor.state_changed').map((e) => e.reason);
      expect(actions).toEqual(expect.arrayContaining([reason, 'Complaints resolved']));
      await http().post(`/v1/campaigns/${campaignId}/cancel`).set(t.auth).expect(202);
    } finally {
      await stopMonitor(p, t.id);
    }
  });

  it('shows the audit log newest first, filtered by tenant, and pages back with "Older entries"', async () => {
    await page.goto(`${base}/console/staff`);
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    await expectAccessible(page, 'staff home');
    await page.goto(`${base}/console/staff/audit`);
    await page.getByRole('table').waitFor();
    // The README's picture: the whole log as it stands (the decisions above among its newest entries).
    await screenshot(page, 'staff-audit');
    const t = await activeTenant(p, { name: `Audit Trail ${unique()}` });
    // 60 entries of this tenant's: a first page of 50, then 10 more.
    for (let n = 1; n <= 60; n++)
      await recordAudit(p.api.db, { actor: 'system:test', actorKind: 'system', tenantId: t.id, action: 'test.entry', reason: `entry ${n}` });
    await page.getByLabel('Tenant id (optional)').fill(t.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    const reasons = () => page.locator('tbody tr td:nth-child(5)').allTextContents();
    await eventually(async () => (await reasons())[0] === 'entry 60', { describe: "the tenant's newest entry first" });
    expect((await reasons()).filter((r) => r.startsWith('entry '))).toHaveLength(50);
    await expectAccessible(page, 'staff audit log');
    await page.getByRole('button', { name: 'Older entries' }).click();
    await eventually(async () => (await reasons()).includes('entry 1'), { describe: 'the second page' });
    const shown = (await reasons()).filter((r) => r.startsWith('entry '));
    expect(shown).toEqual(Array.from({ length: 60 }, (_, i) => `entry ${60 - i}`));
    expect(await page.getByRole('button', { name: 'Older entries' }).count()).toBe(0);
  });
});
