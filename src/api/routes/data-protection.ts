import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { assignedUserScope, authenticate, callerTenantId, ownTenantId, principalOf, requireStaff, requireTenant, staffActorOf } from '../auth';
import { HttpProblem } from '../problem';
import { parseQuery } from '../request-input';
import { recordAudit } from '../../db/audit';
import { eraseContact, erasureOf } from '../../db/contact-erasure';
import { erasureHashKey } from '../../db/erased-numbers';
import { retentionRuns } from '../../db/retention';
import { contactErasure } from '../../workflows/contact-erasure/workflow';
import { startErasureOptions } from '../../workflows/contact-erasure/definitions';
import { tenantOffboarding } from '../../workflows/offboarding/workflow';
import { startOffboardingOptions } from '../../workflows/offboarding/definitions';

const erasureBody = z
  .object({ reason: z.string().trim().min(3).max(2000).optional() })
  .strict()
  .optional();
const offboardingBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
const staffRunsQuery = runsQuery.extend({ tenantId: z.uuid().optional() }).strict();

const notFound = (what: string, id: string) => new HttpProblem(404, 'Not found', `No ${what} ${id}.`);
const isUuid = (id: string) => z.uuid().safeParse(id).success;

/**
 * Retention, erasure and offboarding (issue 15): a tenant erases one contact on request and
 * reads its retention reports; staff read every report and offboard a tenant. The retention
 * period itself is a setting (PATCH /v1/tenants/:id/settings, `retentionDays`).
 */
export function dataProtectionRoutes({ db, temporal, config, log }: ApiDeps): Router {
  const router = Router();
  const tenantKey = authenticate(db, 'tenant');
  const staffKey = authenticate(db, 'staff');

  /**
   * Erases the contact and everything of theirs at once (202): only a keyed hash of the number
   * is kept, so it is never texted again. Twilio's copies of their messages are redacted by the
   * workflow it starts (GET /v1/erasures/:id shows how far it is).
   */
  router.post('/v1/contacts/:contactId/erasure', tenantKey, requireTenant('contacts.erase'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const contactId = String(req.params.contactId);
    const body = erasureBody.parse(req.body && Object.keys(req.body as object).length ? req.body : undefined);
    if (!isUuid(contactId)) throw notFound('contact', contactId);
    const outcome = await eraseContact(db, {
      tenantId,
      contactId,
      requestedBy: `api-key:${principalOf(res).keyId}`,
      reason: body?.reason ?? null,
      hashKey: erasureHashKey(config),
      // A user restricted to their assigned contacts finds no other's (404, nothing erased).
      assignedUser: assignedUserScope(res),
    });
    if (!outcome.ok && outcome.problem === 'not_found') throw notFound('contact', contactId);
    if (!outcome.ok)
      throw new HttpProblem(
        409,
        'Message being sent',
        `A message to this contact is being handed to Twilio; nothing was erased. Try again in a minute.`,
        {},
        {
          'Retry-After': '60',
        },
      );
    try {
      await temporal.workflow.start(
        contactErasure,
        startErasureOptions(
          { erasureId: outcome.erasureId, tenantId, heartbeatTimeoutMs: config.ERASURE_HEARTBEAT_TIMEOUT_SECONDS * 1000 },
          config.TEMPORAL_TASK_QUEUE,
        ),
      );
    } catch (err) {
      // Erased here already; the queued redactions are also taken by the next retention pass.
      log.error({ err, erasureId: outcome.erasureId }, 'could not start the erasure workflow; the retention pass will redact at Twilio');
    }
    res
      .status(202)
      .location(`/v1/erasures/${outcome.erasureId}`)
      .json({ id: outcome.erasureId, contactId, erased: outcome.erased, twilio: { queued: outcome.twilioQueued } });
  });

  router.get('/v1/erasures/:id', tenantKey, requireTenant('contacts.read'), async (req, res) => {
    const id = String(req.params.id);
    const erasure = isUuid(id) ? await erasureOf(db, callerTenantId(res), id, { requestedByUser: assignedUserScope(res) }) : undefined;
    if (!erasure) throw notFound('erasure', id);
    res.json(erasure);
  });

  router.get('/v1/tenants/:id/retention-runs', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const q = parseQuery(runsQuery, req.query);
    res.json({ runs: await retentionRuns(db, { tenantId, limit: q.limit }) });
  });

  router.get('/v1/compliance/retention-runs', staffKey, async (req, res) => {
    const q = parseQuery(staffRunsQuery, req.query);
    res.json({ runs: await retentionRuns(db, { tenantId: q.tenantId, limit: q.limit }) });
  });

  /**
   * Offboards a tenant (202): sending stops, numbers are released, Twilio's copies redacted,
   * the subaccount closed, and its data purged after its retention period. Once per tenant.
   */
  router.post('/v1/compliance/tenants/:id/offboarding', staffKey, requireStaff('tenants.offboard'), async (req, res) => {
    const tenantId = String(req.params.id);
    const { reason } = offboardingBody.parse(req.body);
    if (!isUuid(tenantId) || !(await db('tenants').where({ id: tenantId }).first('id'))) throw notFound('tenant', tenantId);
    const by = staffActorOf(res);
    await db.transaction(async (trx) => {
      const inserted = await trx('tenant_offboardings')
        .insert({ tenant_id: tenantId, requested_by: by, reason })
        .onConflict('tenant_id')
        .ignore()
        .returning('tenant_id');
      if (!inserted.length) throw new HttpProblem(409, 'Already offboarding', `Tenant ${tenantId} is already being offboarded.`);
      await recordAudit(trx, { actor: by, actorKind: 'staff', tenantId, action: 'tenant.offboarding_requested', reason });
      // Started inside the transaction: a start that fails leaves no offboarding row behind.
      try {
        await temporal.workflow.start(
          tenantOffboarding,
          startOffboardingOptions({ tenantId, dayMs: config.RETENTION_DAY_SECONDS * 1000 }, config.TEMPORAL_TASK_QUEUE),
        );
      } catch (err) {
        log.error({ err, tenantId }, 'could not start the offboarding workflow');
        throw new HttpProblem(503, 'Service unavailable', 'Offboarding could not start; nothing was changed. Try again.', {}, { 'Retry-After': '5' });
      }
    });
    res
      .status(202)
      .location(`/v1/compliance/tenants/${tenantId}/offboarding`)
      .json(await offboardingOf(tenantId));
  });

  const offboardingOf = async (tenantId: string) => {
    const r = await db('tenant_offboardings').where({ tenant_id: tenantId }).first<Record<string, unknown> | undefined>();
    if (!r) throw notFound('offboarding of tenant', tenantId);
    // What Twilio would not redact before the subaccount closed, as listed when that step began
    // (the redaction queue itself is purged later).
    const closing = await db('audit_log')
      .where({ tenant_id: tenantId, action: 'tenant.offboarding_closing_subaccount' })
      .orderBy('id', 'desc')
      .first<{ details: { twilioNotRedacted?: unknown } } | undefined>('details');
    return {
      tenantId,
      step: r.step,
      requestedBy: r.requested_by,
      reason: r.reason,
      requestedAt: r.requested_at,
      campaignsCanceled: r.campaigns_canceled,
      numbersReleased: r.numbers_released,
      twilio: { redacted: r.twilio_redacted, failures: r.twilio_failures, notRedacted: closing?.details.twilioNotRedacted ?? null },
      subaccountClosedAt: r.subaccount_closed_at,
      purgeAfter: r.purge_after,
      purged: r.purged,
      finishedAt: r.finished_at,
    };
  };

  router.get('/v1/compliance/tenants/:id/offboarding', staffKey, async (req, res) => {
    const tenantId = String(req.params.id);
    if (!isUuid(tenantId)) throw notFound('offboarding of tenant', tenantId);
    res.json(await offboardingOf(tenantId));
  });

  return router;
}
