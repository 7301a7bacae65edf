import { randomBytes } from 'node:crypto';

/** Twilio's SID prefixes for the resources the sandbox creates. */
export type SidPrefix = 'AC' | 'SM' | 'PN' | 'VA' | 'VE' | 'MG' | 'AD' | 'BU' | 'BV' | 'EL' | 'IT' | 'RD' | 'BN' | 'QE' | 'HH';

/** Twilio-shaped SIDs: a two-letter prefix and 32 hex digits. */
export const newSid = (prefix: SidPrefix) => `${prefix}${randomBytes(16).toString('hex')}`;
export const newAuthToken = () => randomBytes(16).toString('hex');

/** Twilio's date format in JSON: RFC 2822. */
export const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

/** The v1 products' date format: ISO 8601 to the second, as Twilio writes it (2021-02-18T14:48:52Z). */
export const iso8601 = (d: Date | string) => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
