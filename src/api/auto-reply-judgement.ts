import type { Knex } from 'knex';
import { complianceContextOf } from '../db/compliance-context';
import { judgeMessage } from '../domain/compliance/judge';
import { HttpProblem } from './problem';

/**
 * Text clearsend sends on a tenant's behalf with nobody to review it (the HELP answer, a double
 * opt-in's confirmation request) is judged like a campaign, and anything a person would have to
 * clear is refused: a 422 naming `field`, with the findings.
 */
export async function refuseHeldAutoReply(db: Knex, tenantId: string, text: string, field: string, what: string): Promise<void> {
  const judgement = judgeMessage(text, await complianceContextOf(db, tenantId));
  if (!judgement.blocked) return;
  const detail = `The ${what} cannot be sent on your behalf: ${judgement.findings
    .filter((f) => f.verdict !== 'warn')
    .map((f) => f.reason)
    .join('; ')}`;
  throw new HttpProblem(422, 'Content blocked', detail, { errors: [{ field, message: detail }], findings: judgement.findings });
}
