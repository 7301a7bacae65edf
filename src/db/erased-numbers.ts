import { createHmac, hkdfSync } from 'node:crypto';
import type { Knex } from 'knex';

/** What the erasure hash is keyed with: ERASURE_HASH_KEY, or a key derived from CREDENTIALS_KEY when unset. */
export function erasureHashKey(config: { ERASURE_HASH_KEY?: string; CREDENTIALS_KEY: string }): Buffer {
  if (config.ERASURE_HASH_KEY) return Buffer.from(config.ERASURE_HASH_KEY, 'base64');
  // A separate key for a separate purpose: the hash never reveals anything about the credentials key.
  return Buffer.from(hkdfSync('sha256', Buffer.from(config.CREDENTIALS_KEY, 'base64'), Buffer.alloc(0), 'clearsend erased-number hash v1', 32));
}

/**
 * HMAC-SHA256 of an E.164 number. Keyed, so the table of hashes cannot be reversed by hashing
 * every possible number (there are only about 10^10 in a country) without the key.
 */
export function erasedNumberHash(e164: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(e164, 'utf8').digest();
}

/** Which of `phones` (E.164) the tenant erased on a person's request: never texted again. */
export async function erasedAmong(db: Knex | Knex.Transaction, tenantId: string, phones: string[], key: Buffer): Promise<Set<string>> {
  if (!phones.length) return new Set();
  const byHash = new Map(phones.map((p) => [erasedNumberHash(p, key).toString('hex'), p]));
  const found = await db('erased_numbers')
    .where({ tenant_id: tenantId })
    .whereIn(
      'phone_hash',
      [...byHash.keys()].map((h) => Buffer.from(h, 'hex')),
    )
    .pluck<Buffer[]>('phone_hash');
  return new Set(found.map((h) => byHash.get(h.toString('hex'))!));
}

/** Records that the tenant erased `e164` (idempotent). */
export async function recordErasedNumber(db: Knex | Knex.Transaction, tenantId: string, e164: string, key: Buffer): Promise<void> {
  await db('erased_numbers')
    .insert({ tenant_id: tenantId, phone_hash: erasedNumberHash(e164, key) })
    .onConflict(['tenant_id', 'phone_hash'])
    .ignore();
}
