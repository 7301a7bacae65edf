import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Field encryption at rest with a tenant's data key (AES-256-GCM). A stored value reads
 * `cs1:<keyVersion>:<base64url(iv ‖ tag ‖ ciphertext)>`: plain text in a column that has to
 * stay text (so erasure can still set it to NULL, and a legacy plain row still reads), the key
 * version saying which of the tenant's data keys opens it.
 *
 * The associated data binds a ciphertext to its tenant and to the kind of field it was written
 * for: a value copied to another tenant's row, or from a contact's name into a message body,
 * fails to open instead of reading as something it is not.
 */

/** Every column kept encrypted at rest (table.column). */
export const ENCRYPTED_FIELDS = [
  'campaigns.body',
  'outbox.body',
  'inbound_messages.body',
  'opt_out_requests.phrase',
  'contacts.name',
  // A contact's custom fields: the whole object as JSON, one value (src/domain/contact-fields.ts).
  'contacts.fields',
  'message_templates.body',
  // Not a column: the onboarding sandbox's test send travels to its workflow sealed (src/api/routes/tenants.ts).
  'workflow.sandbox_send_body',
] as const;
export type EncryptedField = (typeof ENCRYPTED_FIELDS)[number];

const PREFIX = 'cs1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** What a sealed value looks like; anything else in an encrypted column is a row written before encryption (plain). */
const SEALED = /^cs1:(\d{1,9}):([A-Za-z0-9_-]+)$/;

export class FieldDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldDecryptionError';
  }
}

export const associatedData = (tenantId: string, field: EncryptedField) => Buffer.from(`${PREFIX}|${tenantId}|${field}`, 'utf8');

/** Whether a stored value is a sealed one (else: plain text from before encryption). */
export function isSealedField(stored: string): boolean {
  return SEALED.test(stored);
}

/** The data key version a sealed value needs; undefined for plain text. */
export function keyVersionOf(stored: string): number | undefined {
  const m = SEALED.exec(stored);
  return m ? Number(m[1]) : undefined;
}

export function sealField(key: { version: number; key: Buffer }, tenantId: string, field: EncryptedField, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(tenantId, field));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}:${key.version}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

/**
 * Opens a sealed value with `keyOf(version)`; plain text (a row from before encryption) comes
 * back as it is. A value that does not authenticate (tampered, another tenant's or another
 * field's) throws, naming neither the value nor the key.
 */
export function openField(keyOf: (version: number) => Buffer, tenantId: string, field: EncryptedField, stored: string): string {
  const m = SEALED.exec(stored);
  if (!m) return stored;
  const raw = Buffer.from(m[2], 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptionError(`a sealed ${field} is truncated`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(Number(m[1])), raw.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(tenantId, field));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (err) {
    if (err instanceof FieldDecryptionError) throw err;
    throw new FieldDecryptionError(`a sealed ${field} failed authentication (tampered, or another tenant's or field's value)`);
  }
}
