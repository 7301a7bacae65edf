import { randomBytes } from 'node:crypto';

/** Twilio-shaped SIDs: a two-letter prefix and 32 hex digits. */
export const newSid = (prefix: 'AC' | 'SM' | 'PN' | 'VA' | 'VE' | 'MG') => `${prefix}${randomBytes(16).toString('hex')}`;
export const newAuthToken = () => randomBytes(16).toString('hex');

/** Twilio's date format in JSON: RFC 2822. */
export const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');
