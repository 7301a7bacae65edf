import { randomBytes } from 'node:crypto';
import { erasedNumberHash, erasureHashKey } from '../../src/db/erased-numbers';

/** The keyed hash an erasure leaves of a number: stable under one key, useless without it. */
describe('erased number hash', () => {
  const credentials = randomBytes(32).toString('base64');
  const explicit = randomBytes(32).toString('base64');

  it.each([
    ['the same number under the same key', '+14155550101', '+14155550101', true],
    ['two numbers one digit apart', '+14155550101', '+14155550102', false],
  ])('%s: equal hashes is %s', (_what, a, b, same) => {
    const key = erasureHashKey({ CREDENTIALS_KEY: credentials });
    expect(erasedNumberHash(a, key).equals(erasedNumberHash(b, key))).toBe(same);
  });

  it('is HMAC-SHA256 (32 bytes), never the number itself', () => {
    const hash = erasedNumberHash('+14155550101', erasureHashKey({ CREDENTIALS_KEY: credentials }));
    expect(hash).toHaveLength(32);
    expect(hash.toString('utf8')).not.toContain('4155550101');
  });

  it('takes ERASURE_HASH_KEY when set, and otherwise a key derived from CREDENTIALS_KEY that is not CREDENTIALS_KEY itself', () => {
    const derived = erasureHashKey({ CREDENTIALS_KEY: credentials });
    expect(derived.equals(Buffer.from(credentials, 'base64'))).toBe(false);
    expect(derived.equals(erasureHashKey({ CREDENTIALS_KEY: credentials }))).toBe(true);
    expect(erasureHashKey({ CREDENTIALS_KEY: credentials, ERASURE_HASH_KEY: explicit }).equals(Buffer.from(explicit, 'base64'))).toBe(true);
    // Another key, another hash: without the key a list of numbers cannot be matched against the table.
    const other = erasureHashKey({ CREDENTIALS_KEY: randomBytes(32).toString('base64') });
    expect(erasedNumberHash('+14155550101', derived).equals(erasedNumberHash('+14155550101', other))).toBe(false);
  });
});
