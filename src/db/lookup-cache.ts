import type { Db } from './knex';

/** Twilio Lookup's answer for a number, kept for the TTL so the next campaign need not ask again. */
export interface LookupAnswer {
  phone_e164: string;
  valid: boolean;
  line_type: string | null;
  country: string | null;
  looked_up_at: Date;
}

export type CachedLookup = Pick<LookupAnswer, 'phone_e164' | 'valid' | 'line_type'>;

/** The cached answers for `numbers` looked up since `freshSince`, by number. */
export async function freshLookups(db: Db, numbers: string[], freshSince: Date): Promise<Map<string, CachedLookup>> {
  const rows = await db('lookup_cache')
    .whereIn('phone_e164', numbers)
    .andWhere('looked_up_at', '>=', freshSince)
    .select<CachedLookup[]>('phone_e164', 'valid', 'line_type');
  return new Map(rows.map((r) => [r.phone_e164, r]));
}

/** Caches new answers; a number asked again replaces its old answer. */
export async function storeLookups(db: Db, answers: LookupAnswer[]): Promise<void> {
  if (answers.length) await db('lookup_cache').insert(answers).onConflict('phone_e164').merge();
}
