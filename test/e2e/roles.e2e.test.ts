import request from 'supertest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { activeTenant, platformHarness, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { WEB_FORM_CONSENT } from '../support/consent';
import { campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';

/**
 * Tenant users' roles end to end (issue 15), against the sandbox, Temporal (with the worker) and
 * PostgreSQL: a viewer's key is refused a campaign (403, nothing stored, no workflow started),
 * and a sender user's key creates and starts one that reaches the sandbox's ledger.
 */
const PATIENTS = ['+14155554301', '+14155554302'];
const REMINDER = 'Bright Smiles Dental: your checkup is due. Reply to book a time. Reply STOP to opt out.';

describe('roles end to end', () => {
  let p: PlatformHarness;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS } });
    t = await activeTenant(p, { name: 'Bright Smiles Dental', mps: 100 });
    for (const phone of PATIENTS) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const ledgerTo = async (to: string) =>
    ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}&to=${encodeURIComponent(to)}`)).body as { count: number }).count;
  const userKey = async (name: string, role: 'sender' | 'viewer') => {
    await http().put(`/v1/tenants/${t.id}/users/${name}`).set(t.auth).send({ role }).expect(200);
    const issued = await http().post(`/v1/tenants/${t.id}/users/${name}/api-keys`).set(t.auth).send({}).expect(201);
    return { authorization: `Bearer ${issued.body.apiKey as string}` };
  };
  /** Every campaignSend workflow Temporal knows for this tenant (by the TenantId search attribute). */
  const campaignWorkflows = async () => {
    const ids: string[] = [];
    for await (const wf of p.api.temporal.workflow.list({ query: `WorkflowType = 'campaignSend' AND TenantId = '${t.id}'` })) ids.push(wf.workflowId);
    return ids;
  };
  const campaign = { name: 'Checkups', body: REMINDER, messageType: 'transactional' };

  it('a viewer’s campaign is 403 with nothing stored and no workflow; a sender user’s is delivered', async () => {
    const vera = await userKey('vera', 'viewer');
    const sam = await userKey('sam', 'sender');
    await http()
      .post('/v1/contacts')
      .set(sam)
      .send({ contacts: PATIENTS.map((phone) => ({ phone, assignedUser: 'sam', consent: WEB_FORM_CONSENT })) })
      .expect(201);

    const refused = await http().post('/v1/campaigns').set(vera).send(campaign);
    expect({ status: refused.status, type: refused.headers['content-type'], detail: refused.body.detail as string }).toEqual({
      status: 403,
      type: expect.stringMatching(/^application\/problem\+json/),
      detail: expect.stringMatching(/role \(viewer\)/),
    });
    expect(await p.api.db('campaigns').where({ tenant_id: t.id })).toEqual([]);

    // The sender's draft: the viewer may not start it either, and no workflow is started.
    const created = await http().post('/v1/campaigns').set(sam).send(campaign).expect(201);
    const id = created.body.id as string;
    const start = await http().post(`/v1/campaigns/${id}/start`).set(vera).send({});
    expect(start.status).toBe(403);
    await expect(p.api.temporal.workflow.getHandle(campaignWorkflowId(id)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await p.api.db('campaigns').where({ id }).first<{ status: string }>('status')).status).toBe('draft');
    expect(await p.api.db('outbox').where({ tenant_id: t.id })).toEqual([]);
    expect(await campaignWorkflows()).toEqual([]);
    expect(await Promise.all(PATIENTS.map(ledgerTo))).toEqual([0, 0]);

    await http().post(`/v1/campaigns/${id}/start`).set(sam).send({}).expect(202);
    const done = await eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(sam).expect(200);
      return res.body.status === 'completed' ? (res.body as { progress: Record<string, unknown> }) : undefined;
    }, 120_000);
    expect(done.progress).toMatchObject({ sent: 2, dropped: 0 });
    expect(await Promise.all(PATIENTS.map(ledgerTo))).toEqual([1, 1]);
    await eventually(async () => ((await campaignWorkflows()).length === 1 ? true : undefined), 30_000);
    expect(await campaignWorkflows()).toEqual([campaignWorkflowId(id)]);
  }, 300_000);
});
