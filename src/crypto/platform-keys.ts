import { hkdfSync, randomBytes } from 'node:crypto';
import { openSealedSecret, sealSecret } from '../twilio/credential-sealing';

/**
 * The platform keys that wrap tenants' data keys (envelope encryption). Only wrapped data keys
 * are stored; a platform key lives in configuration alone.
 *
 * - `DATA_KEYS` (optional): `id:base64key,id:base64key,…`, each 32 bytes. The first wraps new
 *   and re-wrapped data keys; every listed one still unwraps, so a platform key is rotated by
 *   listing the new one second everywhere, then first, re-wrapping (`npm run data-keys -- rewrap`),
 *   then dropping the old. The bare id `credentials-key` stands for the derived key below, so
 *   `credentials-key,new:…` keeps it wrapping while every process learns the new one.
 * - Always present, id `credentials-key`: a key derived from CREDENTIALS_KEY with HKDF (its own
 *   purpose label, so the token-sealing key itself never wraps data keys). Without DATA_KEYS it
 *   is the wrapping key, so a deployment is encrypted at rest with no new secret.
 */
export const DERIVED_KEY_ID = 'credentials-key';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface PlatformKeyRing {
  /** The key id that wraps new data keys. */
  activeId: string;
  /** Every key that can unwrap, by id (base64, as credential-sealing takes it). */
  keys: ReadonlyMap<string, string>;
}

export class PlatformKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformKeyError';
  }
}

/** `DATA_KEYS` as a list of ids and keys, or a message saying what is wrong (never echoing a key). */
export function parseDataKeys(value: string): Array<{ id: string; key: string }> | string {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) return 'must list at least one key as id:base64';
  const seen = new Set<string>();
  const parsed: Array<{ id: string; key: string }> = [];
  for (const [i, entry] of entries.entries()) {
    if (entry === DERIVED_KEY_ID && !seen.has(entry)) {
      seen.add(entry);
      parsed.push({ id: entry, key: '' });
      continue;
    }
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const key = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) return `entry ${i + 1} must start with an id (letters, digits, - or _, up to 32) and a colon`;
    if (id === DERIVED_KEY_ID)
      return `entry ${i + 1}: ${DERIVED_KEY_ID} is the key derived from CREDENTIALS_KEY: list it bare (no key), or name yours otherwise`;
    if (seen.has(id)) return `entry ${i + 1}: the id ${id} is listed twice`;
    if (!/^[A-Za-z0-9+/]+=*$/.test(key) || Buffer.from(key, 'base64').length !== 32)
      return `entry ${i + 1} (${id}): the key must be 32 bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)`;
    seen.add(id);
    parsed.push({ id, key });
  }
  return parsed;
}

export function platformKeyRing(settings: { CREDENTIALS_KEY: string; DATA_KEYS?: string }): PlatformKeyRing {
  const derived = Buffer.from(
    hkdfSync('sha256', Buffer.from(settings.CREDENTIALS_KEY, 'base64'), Buffer.alloc(0), Buffer.from('clearsend tenant data keys v1'), 32),
  ).toString('base64');
  const keys = new Map<string, string>();
  let activeId = DERIVED_KEY_ID;
  if (settings.DATA_KEYS) {
    const listed = parseDataKeys(settings.DATA_KEYS);
    if (typeof listed === 'string') throw new PlatformKeyError(`DATA_KEYS ${listed}`);
    for (const { id, key } of listed) keys.set(id, id === DERIVED_KEY_ID ? derived : key);
    activeId = listed[0].id;
  }
  keys.set(DERIVED_KEY_ID, derived);
  return { activeId, keys };
}

const wrapAssociatedData = (tenantId: string, version: number) => `tenant-data-key:${tenantId}:${version}`;

/** A fresh random data key (32 bytes). */
export const newDataKey = (): Buffer => randomBytes(32);

/** Wraps a tenant's data key with the active platform key, bound to its tenant and version. */
export function wrapDataKey(ring: PlatformKeyRing, tenantId: string, version: number, dataKey: Buffer): { wrappedKey: string; platformKeyId: string } {
  return {
    wrappedKey: sealSecret(dataKey.toString('base64'), ring.keys.get(ring.activeId)!, wrapAssociatedData(tenantId, version)),
    platformKeyId: ring.activeId,
  };
}

export function unwrapDataKey(ring: PlatformKeyRing, row: { tenant_id: string; version: number; wrapped_key: string; platform_key_id: string }): Buffer {
  const platformKey = ring.keys.get(row.platform_key_id);
  if (!platformKey)
    throw new PlatformKeyError(
      `tenant data key ${row.tenant_id} v${row.version} is wrapped by platform key ${row.platform_key_id}, which DATA_KEYS no longer lists`,
    );
  return Buffer.from(openSealedSecret(row.wrapped_key, platformKey, wrapAssociatedData(row.tenant_id, row.version)), 'base64');
}
