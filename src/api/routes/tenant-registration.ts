import { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ApiDeps } from '../app';
import { authenticate, ownTenantId, requireTenant } from '../auth';
import { HttpProblem } from '../problem';
import { recordAudit } from '../../db/audit';
import { saveRegistrationDetails } from '../../db/carrier-registrations';
import { isTollFreeNumber } from '../../domain/toll-free';
import { registrationStateQuery, registrationWorkflowId } from '../../workflows/carrier-registration/definitions';
import { lifecycleWorkflowId, registrationDetailsGivenSignal, type TenantLifecycleState } from '../../workflows/tenant-lifecycle/definitions';
import { registrationDetailsSchema, registrationToStore } from './registration-details-schema';

/** Whether a carrierRegistration run (of any status) holds the tenant's registration id. */
export async function registrationStarted(temporal: Client, tenantId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(registrationWorkflowId(tenantId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * The tenant's progress with its registration as it stands now: the lifecycle only knows what
 * it last saw, the child workflow knows its phase. A registration that cannot be read leaves
 * the lifecycle's view as it is (the tenant's own 404s come from the lifecycle, not from here).
 */
export async function withLiveRegistration(temporal: Client, state: TenantLifecycleState): Promise<TenantLifecycleState> {
  const view = state.registration;
  if (!view || view.held || view.phase === 'details_missing' || state.step !== 'registration') return state;
  try {
    const live = await temporal.workflow.getHandle(view.workflowId).query(registrationStateQuery);
    return {
      ...state,
      registration: { ...view, phase: live.phase, reasons: live.reasons, openRequirements: live.openRequirements },
      openRequirements: live.openRequirements.length ? live.openRequirements : state.openRequirements,
    };
  } catch {
    return state;
  }
}

/** `PUT /v1/tenants/:id/registration-details`: what carrier registration needs, until the registration starts. */
export function tenantRegistrationRoutes({ db, temporal }: Pick<ApiDeps, 'db' | 'temporal'>): Router {
  const router = Router();
  const tenantKey = authenticate(db, 'tenant');

  router.put('/v1/tenants/:id/registration-details', tenantKey, requireTenant('onboarding'), async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const request = registrationDetailsSchema.parse(req.body);
    if (await registrationStarted(temporal, tenantId))
      throw new HttpProblem(409, 'RegistrationStarted', 'The carrier registration has started: correct it through the registration instead.');
    const number = await db('tenant_phone_numbers').where({ tenant_id: tenantId }).whereNull('released_at').first<{ phone_number: string } | undefined>();
    if (number && isTollFreeNumber(number.phone_number) !== (request.numberType === 'tollfree')) {
      const detail = `numberType must be ${isTollFreeNumber(number.phone_number) ? 'tollfree' : 'local'}: your number ${number.phone_number} is already bought.`;
      throw new HttpProblem(409, 'NumberTypeFixed', detail, { errors: [{ field: 'numberType', message: detail }] });
    }
    const stored = registrationToStore(request);
    await db.transaction(async (trx) => {
      await saveRegistrationDetails(trx, { tenantId, ...stored });
      // The facts themselves (an EIN among them) stay out of the audit log.
      await recordAudit(trx, {
        actor: `tenant:${tenantId}`,
        actorKind: 'tenant',
        tenantId,
        action: 'registration.details_given',
        details: { kind: stored.kind, brandType: stored.brandType ?? null },
      });
    });
    // A lifecycle waiting for them looks again; one that ended (a tenant active before registration) has nothing to wake.
    await temporal.workflow
      .getHandle(lifecycleWorkflowId(tenantId))
      .signal(registrationDetailsGivenSignal)
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    res.json({ numberType: request.numberType, ...(stored.brandType ? { brandType: stored.brandType } : {}), stored: true });
  });

  return router;
}
