import { randomBytes } from 'node:crypto';
import { FieldDecryptionError, isSealedField, keyVersionOf, openField, sealField, type EncryptedField } from '../../src/crypto/envelope';
import { DERIVED_KEY_ID, parseDataKeys, platformKeyRing, unwrapDataKey, wrapDataKey } from '../../src/crypto/platform-keys';
import { loadConfig } from '../../src/config';

const tenantA = '00000000-0000-4000-8000-00000000000a';
const tenantB = '00000000-0000-4000-8000-00000000000b';
const v1 = { version: 1, key: randomBytes(32) };
const v2 = { version: 2, key: randomBytes(32) };
const keyOf = (v: number) => ({ 1: v1.key, 2: v2.key })[v as 1 | 2];

describe('field envelope (AES-256-GCM with a tenant data key)', () => {
  it.each<[string, string]>([
    ['a reply', 'Running late, see you at 6 — Priya'],
    ['empty text', ''],
    ['emoji and accents', 'Café 🎉 über'],
    ['text that starts like a sealed value', 'cs1:not really'],
  ])('round-trips %s', (_, text) => {
    const sealed = sealField(v1, tenantA, 'inbound_messages.body', text);
    expect(sealed).toMatch(/^cs1:1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(text || 'x'.repeat(100));
    expect(openField(keyOf, tenantA, 'inbound_messages.body', sealed)).toBe(text);
  });

  it('seals the same text differently each time (random IV)', () => {
    expect(sealField(v1, tenantA, 'contacts.name', 'Ann')).not.toBe(sealField(v1, tenantA, 'contacts.name', 'Ann'));
  });

  it('reads a value written before encryption as plain text', () => {
    for (const legacy of ['Hello from before', 'cs1:x', 'cs1:1:', 'cs1:1:has spaces']) {
      expect(isSealedField(legacy)).toBe(false);
      expect(openField(keyOf, tenantA, 'campaigns.body', legacy)).toBe(legacy);
    }
  });

  it('names the key version a value needs', () => {
    expect(keyVersionOf(sealField(v2, tenantA, 'outbox.body', 'x'))).toBe(2);
    expect(keyVersionOf('plain')).toBeUndefined();
  });

  it('refuses a tampered value', () => {
    const sealed = sealField(v1, tenantA, 'inbound_messages.body', 'Meet at noon');
    const raw = Buffer.from(sealed.split(':')[2], 'base64url');
    for (const at of [0, 12, 20, raw.length - 1]) {
      const bent = Buffer.from(raw);
      bent[at] ^= 1;
      expect(() => openField(keyOf, tenantA, 'inbound_messages.body', `cs1:1:${bent.toString('base64url')}`)).toThrow(FieldDecryptionError);
    }
    expect(() => openField(keyOf, tenantA, 'inbound_messages.body', `cs1:1:${raw.subarray(0, 20).toString('base64url')}`)).toThrow(FieldDecryptionError);
  });

  it("refuses another tenant's value, even under the same key", () => {
    const sealed = sealField(v1, tenantA, 'contacts.name', 'Ann Lee');
    expect(() => openField(keyOf, tenantB, 'contacts.name', sealed)).toThrow(FieldDecryptionError);
  });

  it.each<[EncryptedField, EncryptedField]>([
    ['contacts.name', 'inbound_messages.body'],
    ['campaigns.body', 'outbox.body'],
  ])('refuses a %s read as %s', (from, as) => {
    expect(() => openField(keyOf, tenantA, as, sealField(v1, tenantA, from, 'x'))).toThrow(FieldDecryptionError);
  });

  it('refuses a value opened with the wrong key, without echoing it', () => {
    const sealed = sealField(v1, tenantA, 'campaigns.body', 'Secret sale 40% off');
    const wrong = () => openField(() => v2.key, tenantA, 'campaigns.body', sealed);
    expect(wrong).toThrow(FieldDecryptionError);
    expect(wrong).not.toThrow(/Secret|cs1:1/);
  });
});

describe('platform keys', () => {
  const credentialsKey = randomBytes(32).toString('base64');
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');

  it('derives the default wrapping key from CREDENTIALS_KEY, distinct from it', () => {
    const ring = platformKeyRing({ CREDENTIALS_KEY: credentialsKey });
    expect(ring.activeId).toBe(DERIVED_KEY_ID);
    expect(ring.keys.get(DERIVED_KEY_ID)).not.toBe(credentialsKey);
    expect(platformKeyRing({ CREDENTIALS_KEY: credentialsKey }).keys.get(DERIVED_KEY_ID)).toBe(ring.keys.get(DERIVED_KEY_ID));
  });

  it('wraps with the first DATA_KEYS entry and unwraps with any listed or the derived key', () => {
    const before = platformKeyRing({ CREDENTIALS_KEY: credentialsKey });
    const after = platformKeyRing({ CREDENTIALS_KEY: credentialsKey, DATA_KEYS: `k2:${k2},k1:${k1}` });
    expect(after.activeId).toBe('k2');
    const dek = randomBytes(32);
    const old = wrapDataKey(before, tenantA, 1, dek);
    expect(unwrapDataKey(after, { tenant_id: tenantA, version: 1, wrapped_key: old.wrappedKey, platform_key_id: old.platformKeyId })).toEqual(dek);
    const fresh = wrapDataKey(after, tenantA, 1, dek);
    expect(fresh.platformKeyId).toBe('k2');
    expect(unwrapDataKey(after, { tenant_id: tenantA, version: 1, wrapped_key: fresh.wrappedKey, platform_key_id: 'k2' })).toEqual(dek);
  });

  it('lets the derived key stay the wrapping one while every process learns a new key (the first step of a rotation)', () => {
    const ring = platformKeyRing({ CREDENTIALS_KEY: credentialsKey, DATA_KEYS: `${DERIVED_KEY_ID},k2:${k2}` });
    expect(ring.activeId).toBe(DERIVED_KEY_ID);
    expect(ring.keys.get(DERIVED_KEY_ID)).toBe(platformKeyRing({ CREDENTIALS_KEY: credentialsKey }).keys.get(DERIVED_KEY_ID));
    expect(ring.keys.get('k2')).toBe(k2);
  });

  it('binds a wrapped data key to its tenant and version', () => {
    const ring = platformKeyRing({ CREDENTIALS_KEY: credentialsKey });
    const { wrappedKey, platformKeyId } = wrapDataKey(ring, tenantA, 1, randomBytes(32));
    expect(() => unwrapDataKey(ring, { tenant_id: tenantB, version: 1, wrapped_key: wrappedKey, platform_key_id: platformKeyId })).toThrow();
    expect(() => unwrapDataKey(ring, { tenant_id: tenantA, version: 2, wrapped_key: wrappedKey, platform_key_id: platformKeyId })).toThrow();
  });

  it('says so when a data key is wrapped by a platform key no longer configured', () => {
    const ring = platformKeyRing({ CREDENTIALS_KEY: credentialsKey, DATA_KEYS: `k1:${k1}` });
    const { wrappedKey } = wrapDataKey(ring, tenantA, 1, randomBytes(32));
    const without = platformKeyRing({ CREDENTIALS_KEY: credentialsKey, DATA_KEYS: `k2:${k2}` });
    expect(() => unwrapDataKey(without, { tenant_id: tenantA, version: 1, wrapped_key: wrappedKey, platform_key_id: 'k1' })).toThrow(
      /k1, which DATA_KEYS no longer lists/,
    );
  });

  it.each([
    ['no id', k1, /must start with an id/],
    ['a short key', `a:${randomBytes(16).toString('base64')}`, /32 bytes/],
    ['a repeated id', `a:${k1},a:${k2}`, /listed twice/],
    ['the derived id', `${DERIVED_KEY_ID}:${k1}`, /derived from CREDENTIALS_KEY/],
  ])('refuses DATA_KEYS with %s, naming the entry and not the key', (_, value, message) => {
    const problem = parseDataKeys(value);
    expect(problem).toMatch(message);
    expect(problem).not.toContain(k1);
  });

  it('is a secret setting validated at start-up', () => {
    const env = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', CREDENTIALS_KEY: credentialsKey };
    expect(loadConfig({ ...env, DATA_KEYS: `k1:${k1}` }).DATA_KEYS).toBe(`k1:${k1}`);
    expect(() => loadConfig({ ...env, DATA_KEYS: 'k1:short' })).toThrow(/DATA_KEYS: entry 1 \(k1\)/);
  });
});
