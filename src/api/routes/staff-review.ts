import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { HttpProblem } from '../problem';
import { judgeMessage } from '../../domain/compliance/judge';
import type { KycSubmission } from '../../domain/kyc-risk';
import { definiteRefusal } from '../workflow-errors';
import { lifecycleWorkflowId, tenantStateQuery, type TenantLifecycleState } from '../../workflows/tenant-lifecycle/definitions';

const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });

interface KycRow {
  submission: KycSubmission;
  submitted_at: Date;
  risk_score: number | null;
  risk_level: string | null;
  risk_reasons: unknown;
}

/** The lifecycle's view, or undefined when there is no lifecycle to ask (a tenant made outside onboarding). */
async function lifecycleStateOf(temporal: ApiDeps['temporal'], tenantId: string): Promise<TenantLifecycleState | undefined> {
  try {
    return await temporal.workflow.getHandle(lifecycleWorkflowId(tenantId)).query(tenantStateQuery);
  } catch (err) {
    if (definiteRefusal(err)?.type === 'NotFound') return undefined;
    throw err;
  }
}

/**
 * `GET /v1/compliance/tenants/:id/review` (staff, audited as every staff read): what a person
 * needs to decide a tenant's review in one answer — its cases, the latest KYC answers with the
 * risk score and reasons, Verify and sandbox results, and each sample message judged by the
 * compliance engine as the risk rules judged it (findings with their spans in the sample).
 */
export function staffReviewRoutes({ db, temporal }: Pick<ApiDeps, 'db' | 'temporal'>): Router {
  const router = Router();
  router.get('/v1/compliance/tenants/:id/review', async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const tenant = await db('tenants')
      .where({ id: tenantId })
      .first<Record<string, unknown> | undefined>('id', 'business_name as businessName', 'status', 'lifecycle_step as step', 'sending_state as sendingState');
    if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
    const [cases, kyc, sandboxSends, lifecycle] = await Promise.all([
      db('compliance_cases')
        .where({ tenant_id: tenantId })
        .orderBy('opened_at', 'desc')
        .limit(20)
        .select(
          'id',
          'kind',
          'status',
          'summary',
          'details',
          'opened_at as openedAt',
          'reminders_sent as remindersSent',
          'decided_by as decidedBy',
          'decision_reason as decisionReason',
        ),
      db('kyc_submissions')
        .where({ tenant_id: tenantId })
        .orderBy('id', 'desc')
        .first<KycRow | undefined>('submission', 'submitted_at', 'risk_score', 'risk_level', 'risk_reasons'),
      db('sandbox_test_sends')
        .where({ tenant_id: tenantId })
        .orderBy('id', 'asc')
        .limit(50)
        .select('to_number as to', 'status', 'error_code as errorCode', 'error_message as errorMessage', 'sent_at as sentAt'),
      lifecycleStateOf(temporal, tenantId),
    ]);
    const samples = (kyc?.submission.sampleMessages ?? []).map((body) => ({
      body,
      ...judgeMessage(body, { ageGated: kyc?.submission.ageGate ?? false }),
    }));
    res.json({
      tenant,
      workflows: { lifecycle: lifecycleWorkflowId(tenantId) },
      cases: cases as unknown[],
      kyc: kyc
        ? { answers: kyc.submission, submittedAt: kyc.submitted_at, risk: { score: kyc.risk_score, level: kyc.risk_level, reasons: kyc.risk_reasons ?? [] } }
        : null,
      samples,
      verification: lifecycle ? { verified: lifecycle.verification.verified, attemptsLeft: lifecycle.verification.attemptsLeft } : null,
      sandbox: { sends: sandboxSends as unknown[], successfulSends: lifecycle?.sandbox.successfulSends ?? null, required: lifecycle?.sandbox.required ?? null },
      lifecycle: lifecycle
        ? { step: lifecycle.step, suspended: lifecycle.suspended, reasons: lifecycle.reasons, openRequirements: lifecycle.openRequirements }
        : null,
    });
  });
  return router;
}
