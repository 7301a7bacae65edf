import type { Knex } from 'knex';
import type { JudgeContext } from '../domain/compliance/judge';
import { senderTypeOf } from '../domain/phone';

/**
 * What a tenant's content is judged against: the route of its sending number (10DLC until it
 * has one) and whether its latest KYC submission declares an age gate at opt-in.
 */
export async function complianceContextOf(db: Knex, tenantId: string): Promise<Required<Pick<JudgeContext, 'senderType' | 'ageGated'>>> {
  const [number, kyc] = await Promise.all([
    db('tenant_phone_numbers')
      .where({ tenant_id: tenantId })
      .whereNull('released_at')
      .orderBy('granted_at')
      .first<{ phone_number: string } | undefined>('phone_number'),
    db('kyc_submissions')
      .where({ tenant_id: tenantId })
      .orderBy('id', 'desc')
      .first<{ age_gate: boolean | null } | undefined>(db.raw("(submission->>'ageGate')::boolean as age_gate")),
  ]);
  return { senderType: number ? senderTypeOf(number.phone_number) : '10dlc', ageGated: kyc?.age_gate === true };
}
