import { randomBytes } from 'node:crypto';
import { openSealedSecret, sealSecret, SealedSecretError } from '../../src/twilio/credential-sealing';

const key = randomBytes(32).toString('base64');
const owner = `AC${'1'.repeat(32)}`;
const token = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

function flipByteOf(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('sealed credentials (AES-256-GCM)', () => {
  it('opens what it sealed', () => {
    expect(openSealedSecret(sealSecret(token, key, owner), key, owner)).toBe(token);
  });

  it('never contains the secret in clear, and seals the same secret differently each time', () => {
    const a = sealSecret(token, key, owner);
    const b = sealSecret(token, key, owner);
    expect(a).not.toContain(token);
    expect(a).not.toBe(b);
  });

  it.each([
    ['the IV', 1],
    ['the auth tag', 2],
    ['the ciphertext', 3],
  ])('detects tampering with %s', (_label, part) => {
    const tampered = flipByteOf(sealSecret(token, key, owner), part);
    expect(() => openSealedSecret(tampered, key, owner)).toThrow(SealedSecretError);
  });

  it('refuses the wrong key', () => {
    expect(() => openSealedSecret(sealSecret(token, key, owner), randomBytes(32).toString('base64'), owner)).toThrow(SealedSecretError);
  });

  it('refuses a token copied onto another subaccount', () => {
    expect(() => openSealedSecret(sealSecret(token, key, owner), key, `AC${'2'.repeat(32)}`)).toThrow(/wrong owner/);
  });

  it('refuses malformed input without echoing it', () => {
    expect(() => openSealedSecret('plaintext-token', key, owner)).toThrow(SealedSecretError);
    try {
      openSealedSecret(flipByteOf(sealSecret(token, key, owner), 3), key, owner);
    } catch (err) {
      expect(String(err)).not.toContain(token);
    }
  });
});
