/**
 * CSV formula injection (OWASP "CSV Injection"). Excel, LibreOffice and Google Sheets read a
 * cell that begins with `=`, `+`, `-` or `@` as a formula, and a leading tab or carriage return
 * can hide one; a formula can send the sheet's contents away (HYPERLINK, WEBSERVICE) or, through
 * DDE, run a command on the reader's machine. clearsend's CSVs carry text typed by tenants and
 * their recipients (business names, contact names, raw phones, replies) and are opened by staff
 * and tenants in spreadsheets, so such a cell gets a leading `'`, which spreadsheets show as
 * text. The fullwidth forms are included: some spreadsheets fold them to ASCII on input.
 */
const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/** `+` then digits only: a spreadsheet evaluates it to the same number, so it stays readable. */
const E164 = /^\+[0-9]{8,15}$/;

/** Text a spreadsheet would read as the start of a formula. */
export function beginsLikeFormula(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]);
}

/**
 * One CSV cell as text a spreadsheet shows rather than runs: strings that begin like a formula
 * get a leading `'` unless they are an E.164 number; null and undefined are empty; dates are
 * ISO 8601; numbers are written as numbers (their minus sign is a sign, never a formula);
 * anything else as JSON, guarded like a string.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return beginsLikeFormula(value) && !E164.test(value) ? `'${value}` : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return csvCell(JSON.stringify(value) ?? '');
}
