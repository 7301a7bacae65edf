/**
 * Form parameters as the routes see them. With the contract check on, ajv has already
 * coerced them in place to the types Twilio's documents give (booleans, integers, lists);
 * without it they are the strings (or repeated keys) the form carried. These read both.
 */
export const formFlag = (v: unknown): boolean => v === true || v === 'true';

/** A scalar as text ('' for anything else: absent, an object). Also reads Trust Hub attribute values. */
export const formText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** A list parameter: repeated keys, or one value (a list of one). */
export const formList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(formText) : [formText(v)]);
