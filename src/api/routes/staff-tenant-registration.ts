import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { requireStaff, staffActorOf } from '../auth';
import { HttpProblem } from '../problem';
import { auditedStaffUpdate } from '../audited-staff-update';
import { registrationTimings } from '../workflow-timings';
import { recordAudit } from '../../db/audit';
import { registrationOf, saveRegistrationDetails } from '../../db/carrier-registrations';
import { startRegistrationOptions } from '../../workflows/carrier-registration/definitions';
import { carrierRegistration } from '../../workflows/carrier-registration/workflow';
import { lifecycleWorkflowId, restartRegistrationUpdate } from '../../workflows/tenant-lifecycle/definitions';
import { registrationDetailsSchema, registrationToStore } from './registration-details-schema';
import { registrationStarted } from './tenant-registration';
import { staffActionSchema } from './tenant-schemas';

const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });
const staffStartSchema = staffActionSchema.extend({ registration: registrationDetailsSchema.optional() }).strict();

/**
 * Staff and carrier registration (mounted behind the staff key, beside the other staff tenant
 * routes): start one for a tenant that went active before the lifecycle registered tenants,
 * and restart one the lifecycle holds because Twilio never decided it. Both audited.
 */
export function staffTenantRegistrationRoutes({ db, temporal, config }: Pick<ApiDeps, 'db' | 'temporal' | 'config'>): Router {
  const router = Router();

  router.post('/v1/compliance/tenants/:id/registration', requireStaff('registrations.start'), async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const { reason, registration } = staffStartSchema.parse(req.body);
    const by = staffActorOf(res);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ lifecycle_step: string } | undefined>('lifecycle_step');
    if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
    if (tenant.lifecycle_step !== 'active')
      throw new HttpProblem(409, 'NotInStep', `The tenant is at ${tenant.lifecycle_step}: its lifecycle registers it before it goes active.`);
    const exists = () => new HttpProblem(409, 'RegistrationExists', `Tenant ${tenantId} already has a carrier registration.`);
    if (await registrationStarted(temporal, tenantId)) throw exists();
    const stored = registration ? registrationToStore(registration) : await registrationOf(db, tenantId);
    if (!stored) {
      const detail = 'The tenant has given no registration details: send them as registration.';
      throw new HttpProblem(400, 'Invalid request', detail, { errors: [{ field: 'registration', message: detail }] });
    }
    const kind = stored.kind;
    const brandType = stored.brandType ?? undefined;
    if (registration) await saveRegistrationDetails(db, { tenantId, kind, brandType, details: stored.details });
    const input = { tenantId, kind, ...(brandType ? { brandType } : {}), timings: registrationTimings(config) };
    try {
      // REJECT_DUPLICATE: two staff starts at once make one registration; the second is told so.
      await temporal.workflow.start(carrierRegistration, {
        ...startRegistrationOptions(input, config.TEMPORAL_TASK_QUEUE),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw exists();
      throw err;
    }
    await recordAudit(db, { actor: by, actorKind: 'staff', tenantId, action: 'registration.started_by_staff', reason, details: { kind, brandType } });
    res
      .status(202)
      .location(`/v1/compliance/tenants/${tenantId}/registration`)
      .json({ accepted: true, workflowId: startRegistrationOptions(input, '').workflowId, kind });
  });

  /** A registration that timed out holds the lifecycle with a staff case; this starts it again. */
  router.post('/v1/compliance/tenants/:id/registration/restart', requireStaff('registrations.start'), async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const { reason } = staffActionSchema.parse(req.body);
    const by = staffActorOf(res);
    const lifecycle = temporal.workflow.getHandle(lifecycleWorkflowId(tenantId));
    const { auditId, answer: state } = await auditedStaffUpdate(db, `tenant ${tenantId}`, { tenantId, decision: 'restart_registration', by, reason }, (id) =>
      lifecycle.executeUpdate(restartRegistrationUpdate, { args: [{ by, reason, auditId: id }] }),
    );
    res.status(202).location(`/v1/tenants/${tenantId}`).json({ accepted: true, auditId, step: state.step });
  });

  return router;
}
