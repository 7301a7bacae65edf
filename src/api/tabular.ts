import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/** `?format=csv`, or no format and an Accept that prefers CSV. */
export function wantsCsv(req: Request): boolean {
  return req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

/**
 * A report as JSON (`{ ...meta, rows }`) or, when asked, as a CSV attachment with one line per
 * row; `columns` names the row fields in order.
 */
export function sendTable<Row extends Record<string, unknown>>(req: Request, res: Response, opts: { filename: string; columns: Array<keyof Row & string>; rows: Row[]; meta: Record<string, unknown> }): void {
  if (!wantsCsv(req)) return void res.json({ ...opts.meta, rows: opts.rows });
  const cell = (v: unknown): string => {
    if (v instanceof Date) return v.toISOString();
    if (v === null || v === undefined) return '';
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  res.type('text/csv').attachment(opts.filename).send(stringify([opts.columns, ...opts.rows.map((r) => opts.columns.map((c) => cell(r[c])))]));
}
