import type { Request, Response } from 'express';
import type { Options as CsvOptions } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../domain/spreadsheet-cell';

/** `?format=csv`, or no format and an Accept that prefers CSV. */
export function wantsCsv(req: Request): boolean {
  return req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

/**
 * csv-stringify's `cast` for every CSV clearsend writes: each cell, whatever its type, through
 * `csvCell`, so no cell reaches a spreadsheet as a formula (see src/domain/spreadsheet-cell.ts).
 */
export const spreadsheetSafeCast = {
  string: csvCell,
  number: csvCell,
  bigint: csvCell,
  boolean: csvCell,
  date: csvCell,
  object: csvCell,
  null: csvCell,
  undefined: csvCell,
} satisfies CsvOptions['cast'];

/**
 * A report as JSON (`{ ...meta, rows }`) or, when asked, as a CSV attachment with one line per
 * row; `columns` names the row fields in order.
 */
export function sendTable<Row extends Record<string, unknown>>(
  req: Request,
  res: Response,
  opts: { filename: string; columns: Array<keyof Row & string>; rows: Row[]; meta: Record<string, unknown> },
): void {
  if (!wantsCsv(req)) return void res.json({ ...opts.meta, rows: opts.rows });
  const lines = [opts.columns, ...opts.rows.map((r) => opts.columns.map((c) => r[c]))];
  res
    .type('text/csv')
    .attachment(opts.filename)
    .send(stringify(lines, { cast: spreadsheetSafeCast }));
}
