import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { StaffRole, TenantRole } from '../domain/permissions';

/**
 * API keys look like `cs_tenant_<prefix>_<secret>`. The prefix finds the row; only a SHA-256
 * of the secret is stored (the secret is 192 random bits, so a slow password hash adds
 * nothing) and it is compared in constant time. A key is shown once, when issued.
 */
export type Principal = TenantPrincipal | StaffPrincipal;
/**
 * A tenant key acts with its user's role as it stands now (a changed role applies to the
 * user's next request); a key without a user is the owner's and acts as admin.
 */
export interface TenantPrincipal {
  kind: 'tenant';
  tenantId: string;
  keyId: string;
  role: TenantRole;
  /** The user the key belongs to; null for the owner's keys. */
  user: string | null;
  /** Whether the user sees only the contacts assigned to them. */
  restrictedToAssigned: boolean;
}
export interface StaffPrincipal {
  kind: 'staff';
  name: string;
  keyId: string;
  role: StaffRole;
}

/** Why a well-formed key whose secret matched is still refused, and since when. */
export type KeyRefusal = { state: 'revoked' | 'expired'; since: Date };
export type Authentication = { ok: true; principal: Principal } | { ok: false; refusal?: KeyRefusal };

const KEY_PATTERN = /^cs_(tenant|staff)_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;
const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * A key's state by the database's clock (one clock for every API process). A revocation may
 * lie in the future: a rotated key keeps working through its grace.
 */
export const KEY_STATE_SQL = `CASE WHEN revoked_at <= now() THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'active' END`;
export type KeyState = 'active' | 'revoked' | 'expired';

/** `last_used_at` is written at most once a minute per key: a burst of requests is one write, not one each. */
const LAST_USE_STALE_SQL = `(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;

export async function issueApiKey(
  db: Knex | Knex.Transaction,
  owner: { role: 'tenant'; tenantId: string; label?: string | null; user?: string | null } | { role: 'staff'; label: string; staffRole?: StaffRole },
  options: { expiresAt?: Date | null; rotatedFrom?: string } = {},
): Promise<{ id: string; key: string; prefix: string }> {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const [row] = await db('api_keys')
    .insert({
      role: owner.role,
      tenant_id: owner.role === 'tenant' ? owner.tenantId : null,
      user_name: owner.role === 'tenant' ? (owner.user ?? null) : null,
      // Staff keys made before roles (tests, the demo) were all-powerful; the CLI asks for a role.
      staff_role: owner.role === 'staff' ? (owner.staffRole ?? 'admin') : null,
      key_prefix: prefix,
      key_hash: digest(secret),
      label: owner.label ?? null,
      expires_at: options.expiresAt ?? null,
      rotated_from: options.rotatedFrom ?? null,
    })
    .returning<{ id: string }[]>('id');
  return { id: row.id, key: `cs_${owner.role}_${prefix}_${secret}`, prefix: `cs_${owner.role}_${prefix}` };
}

interface KeyRow {
  id: string;
  role: 'tenant' | 'staff';
  tenant_id: string | null;
  user_name: string | null;
  staff_role: StaffRole | null;
  user_role: TenantRole | null;
  restricted_to_assigned: boolean | null;
  key_hash: Buffer;
  label: string | null;
  revoked_at: Date | null;
  expires_at: Date | null;
  state: KeyState;
  last_use_stale: boolean;
}

export async function authenticateApiKey(db: Knex, presented: string): Promise<Authentication> {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return { ok: false };
  const [, role, prefix, secret] = match;
  const row = await selectKeys(db).where({ 'k.key_prefix': prefix, 'k.role': role }).first<KeyRow | undefined>();
  if (!row || !timingSafeEqual(row.key_hash, digest(secret))) return { ok: false };
  return principalOfRow(db, row);
}

/**
 * Who a key acts as now, found by its id: a console session holds the key's id (never its
 * secret) and asks on every request, so a revoked or expired key, or a changed role, counts at once.
 */
export async function authenticateApiKeyId(db: Knex, keyId: string): Promise<Authentication> {
  const row = await selectKeys(db).where({ 'k.id': keyId }).first<KeyRow | undefined>();
  return row ? principalOfRow(db, row) : { ok: false };
}

function selectKeys(db: Knex) {
  return db('api_keys as k')
    .leftJoin('tenant_users as u', (j) => j.on('u.tenant_id', 'k.tenant_id').andOn('u.name', 'k.user_name'))
    .select(
      'k.id',
      'k.role',
      'k.tenant_id',
      'k.key_hash',
      'k.label',
      'k.revoked_at',
      'k.expires_at',
      'k.user_name',
      'k.staff_role',
      'u.role as user_role',
      'u.restricted_to_assigned',
      db.raw(`${KEY_STATE_SQL} AS state`),
      db.raw(`${LAST_USE_STALE_SQL} AS last_use_stale`),
    );
}

async function principalOfRow(db: Knex, row: KeyRow): Promise<Authentication> {
  // Only the holder of the secret (or of a session made with it) learns that the key was revoked or expired.
  if (row.state === 'revoked') return { ok: false, refusal: { state: 'revoked', since: row.revoked_at! } };
  if (row.state === 'expired') return { ok: false, refusal: { state: 'expired', since: row.expires_at! } };
  if (row.last_use_stale) await recordKeyUse(db, row.id);
  return {
    ok: true,
    principal: row.role === 'tenant' ? tenantPrincipal(row) : { kind: 'staff', name: row.label ?? row.id, keyId: row.id, role: row.staff_role! },
  };
}

function tenantPrincipal(row: KeyRow): TenantPrincipal {
  const base = { kind: 'tenant' as const, tenantId: row.tenant_id!, keyId: row.id };
  if (row.user_name === null) return { ...base, role: 'admin', user: null, restrictedToAssigned: false };
  // The foreign key keeps the user while the key exists, so the join found them.
  return { ...base, role: row.user_role!, user: row.user_name, restrictedToAssigned: row.restricted_to_assigned === true };
}

/**
 * Conditional, so concurrent requests that all read a stale time still make one write: the
 * UPDATE that waits on the row lock re-checks its WHERE against the row the first one wrote.
 */
async function recordKeyUse(db: Knex, keyId: string): Promise<void> {
  await db('api_keys').where({ id: keyId }).whereRaw(LAST_USE_STALE_SQL).update({ last_used_at: db.fn.now() });
}
