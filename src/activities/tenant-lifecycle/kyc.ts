import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import { judgeMessage } from '../../domain/compliance/judge';
import { assessKycRisk, type KycAssessment, type KycSubmission } from '../../domain/kyc-risk';

/** The risk rules' judgement of the tenant's latest KYC submission. */
export function createKycActivities({ db, config }: ActivityDeps) {
  return {
    async assessKyc(tenantId: string): Promise<KycAssessment & { submissionId: string }> {
      const row = await db('kyc_submissions')
        .where({ tenant_id: tenantId })
        .orderBy('id', 'desc')
        .first<{ id: string; submission: KycSubmission } | undefined>();
      if (!row) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} has no KYC submission`, 'KycSubmissionMissing');
      const submission = row.submission;
      const assessment = assessKycRisk(submission, { approvedCountries: config.APPROVED_COUNTRIES }, (body) =>
        judgeMessage(body, { ageGated: submission.ageGate ?? false }),
      );
      await db.transaction(async (trx) => {
        await trx('kyc_submissions')
          .where({ id: row.id })
          .update({ risk_score: assessment.score, risk_level: assessment.level, risk_reasons: JSON.stringify(assessment.reasons), assessed_at: trx.fn.now() });
        await recordAudit(trx, {
          actor: 'system:kyc',
          actorKind: 'system',
          tenantId,
          action: 'kyc.assessed',
          details: { submissionId: row.id, score: assessment.score, level: assessment.level },
        });
      });
      return { ...assessment, submissionId: String(row.id) };
    },
  };
}
