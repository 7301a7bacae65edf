import { Router } from 'express';
import type { Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { ApiDeps } from '../app';
import { authenticate, ownTenantId, requireTenant } from '../auth';
import { HttpProblem, InvalidInput } from '../problem';
import { parseQuery } from '../request-input';
import { onWorkflow } from '../workflow-errors';
import { recordAudit } from '../../db/audit';
import { REGISTRATION_RESOURCES, registrationOf, type RegistrationResource } from '../../db/carrier-registrations';
import {
  isRegistrationRefusal,
  registrationOtpAnsweredUpdate,
  registrationStateQuery,
  registrationWorkflowId,
  resendRegistrationOtpUpdate,
  resubmitRegistrationUpdate,
  type RegistrationCorrection,
} from '../../workflows/carrier-registration/definitions';
import { Refusal } from '../../workflows/shared-definitions';
import { CORRECTION_PARTS, emptyBodySchema, registrationCorrectionSchema, registrationListQuery, registrationTenantId } from './registration-schemas';

/** Phases a registration ends in: its workflow has closed and takes no more Updates. */
const FINAL_PHASES: ReadonlySet<string> = new Set(['approved', 'rejected', 'timed_out']);

/** How long the staff view waits for the workflow's history before answering without it. */
const HISTORY_DEADLINE_MS = 3_000;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_NOT_FOUND = 5;

const REGISTRATION_COLUMNS = [
  'r.tenant_id as tenantId',
  't.business_name as businessName',
  'r.kind',
  'r.brand_type as brandType',
  'r.state as phase',
  'r.statuses',
  'r.reasons',
  'r.created_at as createdAt',
  'r.updated_at as updatedAt',
  ...Object.values(REGISTRATION_RESOURCES).map((column) => `r.${column}`),
];

type ListedRow = Record<string, unknown> & { statuses: Record<string, string> };

/** A stored registration as staff read it: its SID columns gathered under `sids`, next to Twilio's statuses. */
function registrationView(row: ListedRow) {
  const sids: Partial<Record<RegistrationResource, string>> = {};
  const rest: Record<string, unknown> = { ...row };
  for (const [resource, column] of Object.entries(REGISTRATION_RESOURCES) as Array<[RegistrationResource, string]>) {
    if (typeof row[column] === 'string') sids[resource] = row[column];
    delete rest[column];
  }
  return { ...rest, sids };
}

const pathTenantId = (req: Request) => {
  const parsed = registrationTenantId.safeParse(req.params.tenantId);
  if (!parsed.success) throw new InvalidInput([{ field: 'tenantId', message: parsed.error.issues[0].message }], 'path');
  return parsed.data;
};

/**
 * A refused correction names what it refused: the validator's InvalidInput names the part the
 * failed step does not read (`… not campaign`); ContentBlocked is the samples the compliance
 * judgement blocked. Other refusals (NotInStep, no registration) name no field.
 */
function namingTheField(err: unknown, correction: RegistrationCorrection): unknown {
  if (!(err instanceof HttpProblem)) return err;
  const sent = CORRECTION_PARTS.filter((part) => correction[part] !== undefined);
  let fields: string[] = [];
  if (err.title === Refusal.InvalidInput) {
    const named = sent.filter((part) => err.detail?.endsWith(`not ${part}`));
    fields = named.length ? named : sent;
  } else if (err.title === Refusal.ContentBlocked) fields = ['campaign.samples'];
  if (!fields.length) return err;
  const errors = fields.map((field) => ({ field, message: err.detail ?? err.title }));
  return new HttpProblem(err.status, err.title, err.detail, { ...err.extensions, errors }, err.headers);
}

/** Twilio's refusal of a call an Update's handler made (an activity failed with a registration refusal), if that is what failed. */
function twilioRefusalOf(err: unknown): { code?: number; description: string } | undefined {
  const activity = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  const refusal = activity instanceof ActivityFailure ? activity.cause : undefined;
  if (!(refusal instanceof ApplicationFailure) || !isRegistrationRefusal(refusal.type)) return undefined;
  const details = (refusal.details?.[0] ?? {}) as { code?: number; description?: string };
  return { code: details.code, description: details.description ?? refusal.message };
}

/**
 * Carrier registration over the API (issue 14). Tenants read their own registration (the
 * workflow's registrationState query) and answer it through its Updates: a correction after a
 * failure, the OTP answered, the OTP sent again; refusals map to HTTP as every Update's do.
 * Staff list every registration from carrier_registrations (so a finished or vanished workflow
 * still shows) and read one with its phase history and audit trail.
 */
export function registrationRoutes({ db, temporal }: ApiDeps): Router {
  const router = Router();
  const tenantKey = authenticate(db, 'tenant');
  const staffKey = authenticate(db, 'staff');
  const registration = (tenantId: string) => temporal.workflow.getHandle(registrationWorkflowId(tenantId));
  const subject = (tenantId: string) => `registration for tenant ${tenantId}`;
  /**
   * An Update to the tenant's registration. One that has ended (its workflow closed) is a 409
   * saying how it ended, not the 404 of a registration that never started; Twilio refusing the
   * call an Update makes (the OTP re-sent) is a 502 with Twilio's words.
   */
  const update = <T>(tenantId: string, call: (handle: WorkflowHandle) => Promise<T>) =>
    onWorkflow(subject(tenantId), () => call(registration(tenantId))).catch(async (err: unknown) => {
      const twilio = twilioRefusalOf(err);
      if (twilio) throw new HttpProblem(502, 'Twilio refused', twilio.description, { twilioCode: twilio.code });
      const ended = err instanceof HttpProblem && err.status === 404 ? (await registrationOf(db, tenantId))?.state : undefined;
      if (ended && FINAL_PHASES.has(ended)) throw new HttpProblem(409, Refusal.NotInStep, `The registration has ended (${ended}): it takes no more answers.`);
      throw err;
    });

  router.get('/v1/tenants/:id/registration', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    res.json(await onWorkflow(subject(tenantId), () => registration(tenantId).query(registrationStateQuery)));
  });

  router.post('/v1/tenants/:id/registration/corrections', tenantKey, requireTenant('onboarding'), async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const correction = registrationCorrectionSchema.parse(req.body);
    const state = await update(tenantId, (handle) => handle.executeUpdate(resubmitRegistrationUpdate, { args: [correction] })).catch((err: unknown) => {
      throw namingTheField(err, correction);
    });
    const fields = CORRECTION_PARTS.flatMap((part) => Object.keys(correction[part] ?? {}).map((field) => `${part}.${field}`));
    await recordAudit(db, {
      actor: `tenant:${tenantId}`,
      actorKind: 'tenant',
      tenantId,
      action: 'registration.correction_submitted',
      details: { phase: state.phase, fields },
    });
    res.status(202).location(`/v1/tenants/${tenantId}/registration`).json(state);
  });

  const otpRoutes = [
    ['otp-answered', registrationOtpAnsweredUpdate, 'registration.otp_answered'],
    ['otp-resend', resendRegistrationOtpUpdate, 'registration.otp_resend_requested'],
  ] as const;
  for (const [path, otpUpdate, action] of otpRoutes) {
    router.post(`/v1/tenants/:id/registration/${path}`, tenantKey, requireTenant('onboarding'), async (req, res) => {
      const tenantId = ownTenantId(req, res);
      emptyBodySchema.parse(req.body ?? {});
      const state = await update(tenantId, (handle) => handle.executeUpdate(otpUpdate));
      await recordAudit(db, { actor: `tenant:${tenantId}`, actorKind: 'tenant', tenantId, action });
      res.status(202).location(`/v1/tenants/${tenantId}/registration`).json(state);
    });
  }

  router.get('/v1/compliance/registrations', staffKey, async (req, res) => {
    const { phase, kind, limit } = parseQuery(registrationListQuery, req.query);
    const rows = await db('carrier_registrations as r')
      .join('tenants as t', 't.id', 'r.tenant_id')
      .modify((q) => {
        if (phase) void q.whereIn('r.state', phase);
        if (kind) void q.where('r.kind', kind);
      })
      .orderBy('r.updated_at', 'desc')
      .limit(limit)
      .select<ListedRow[]>(REGISTRATION_COLUMNS);
    res.json({ registrations: rows.map(registrationView) });
  });

  router.get('/v1/compliance/registrations/:tenantId', staffKey, async (req, res) => {
    const tenantId = pathTenantId(req);
    const row = await db('carrier_registrations as r')
      .join('tenants as t', 't.id', 'r.tenant_id')
      .where('r.tenant_id', tenantId)
      .first<(ListedRow & { details: unknown }) | undefined>([...REGISTRATION_COLUMNS, 'r.details']);
    if (!row) throw new HttpProblem(404, 'Not found', `Tenant ${tenantId} has no carrier registration.`);
    const audit: unknown[] = await db('audit_log')
      .where({ tenant_id: tenantId })
      .where('action', 'like', 'registration.%')
      .orderBy('id', 'asc')
      .select('id', 'at', 'actor', 'actor_kind as actorKind', 'action', 'reason', 'details');
    res.json({ ...registrationView(row), ...(await workflowHistory(temporal, registration(tenantId))), audit });
  });

  return router;
}

/**
 * The phases the workflow went through, with times and reasons, from its query (a closed run
 * answers too while Temporal keeps it). Bounded: a run Temporal no longer has, or no worker to
 * answer, leaves the history out and says why, and the stored row still answers.
 */
async function workflowHistory(temporal: ApiDeps['temporal'], handle: WorkflowHandle) {
  try {
    const [state, described] = await temporal.withDeadline(Date.now() + HISTORY_DEADLINE_MS, () =>
      Promise.all([handle.query(registrationStateQuery), handle.describe()]),
    );
    return { workflow: { id: handle.workflowId, status: described.status.name }, history: state.history };
  } catch (err) {
    const code = (err as { code?: number }).code;
    const why =
      err instanceof WorkflowNotFoundError || code === GRPC_NOT_FOUND
        ? 'Temporal has no such workflow (never started, or past its retention)'
        : code === GRPC_DEADLINE_EXCEEDED
          ? `the workflow did not answer within ${HISTORY_DEADLINE_MS / 1000} s`
          : `Temporal did not answer: ${(err as Error).message}`;
    return { workflow: { id: handle.workflowId, status: null }, history: null, historyUnavailable: why };
  }
}
