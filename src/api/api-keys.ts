import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * API keys look like `cs_tenant_<prefix>_<secret>`. The prefix finds the row; only a SHA-256
 * of the secret is stored (the secret is 192 random bits, so a slow password hash adds
 * nothing) and it is compared in constant time. A key is shown once, when issued.
 */
export type Principal = { kind: 'tenant'; tenantId: string; keyId: string } | { kind: 'staff'; name: string; keyId: string };

const KEY_PATTERN = /^cs_(tenant|staff)_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;
const digest = (secret: string) => createHash('sha256').update(secret).digest();

export async function issueApiKey(db: Knex | Knex.Transaction, owner: { role: 'tenant'; tenantId: string; label?: string } | { role: 'staff'; label: string }): Promise<{ id: string; key: string }> {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const [row] = await db('api_keys')
    .insert({ role: owner.role, tenant_id: owner.role === 'tenant' ? owner.tenantId : null, key_prefix: prefix, key_hash: digest(secret), label: owner.label ?? null })
    .returning<{ id: string }[]>('id');
  return { id: row.id, key: `cs_${owner.role}_${prefix}_${secret}` };
}

export async function authenticateApiKey(db: Knex, presented: string): Promise<Principal | undefined> {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return undefined;
  const [, role, prefix, secret] = match;
  const row = await db('api_keys')
    .where({ key_prefix: prefix, role })
    .whereNull('revoked_at')
    .first<{ id: string; tenant_id: string | null; key_hash: Buffer; label: string | null } | undefined>();
  if (!row || !timingSafeEqual(row.key_hash, digest(secret))) return undefined;
  return role === 'tenant' ? { kind: 'tenant', tenantId: row.tenant_id!, keyId: row.id } : { kind: 'staff', name: row.label ?? row.id, keyId: row.id };
}
