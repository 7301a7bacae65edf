import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

/**
 * Benchmarks only: with CLEARSEND_QUERY_COUNT_DIR set, each process counts the statements its knex
 * pools send, by statement shape (the SQL text with literals folded), with the total time from
 * send to answer and the rows returned or affected, and writes
 * `{ process, pid, statements, shapes }` to `<dir>/<pid>.json` as it exits. A bench can then report
 * statements per message and which statements cost more per message as a campaign grows
 * (pg_stat_statements needs a server restart to load, which a bench cannot do).
 */
export interface StatementShape {
  sql: string;
  calls: number;
  totalMs: number;
  rows: number;
}

let total = 0;
let registered = false;
const shapes = new Map<string, StatementShape>();
const started = new Map<string, { shape: StatementShape; at: bigint }>();

/** Folds what varies between calls of one statement (numbers, strings, IN-lists, multi-row VALUES) so calls group. */
export function statementShape(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, 'N')
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?…)')
    .replace(/\(\?…\)(?:\s*,\s*\(\?…\))+/g, '(?…)')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Rows a pg answer carries: knex gives an array for selects/returning, the driver's result for raw. */
function rowsOf(response: unknown): number {
  if (Array.isArray(response)) return response.length;
  const r = response as { rowCount?: number | null; rows?: unknown[] } | null | undefined;
  return r?.rows?.length ?? r?.rowCount ?? 0;
}

interface QueryEvent {
  __knexQueryUid?: string;
  sql?: string;
}

export function countQueries(db: Knex, dir = process.env.CLEARSEND_QUERY_COUNT_DIR): void {
  if (!dir) return;
  db.on('query', (q: QueryEvent) => {
    total++;
    const key = statementShape(q.sql ?? '');
    let shape = shapes.get(key);
    if (!shape) shapes.set(key, (shape = { sql: key, calls: 0, totalMs: 0, rows: 0 }));
    shape.calls++;
    if (q.__knexQueryUid) started.set(q.__knexQueryUid, { shape, at: process.hrtime.bigint() });
  });
  const finish = (q: QueryEvent, response: unknown) => {
    const s = q.__knexQueryUid ? started.get(q.__knexQueryUid) : undefined;
    if (!s || !q.__knexQueryUid) return;
    started.delete(q.__knexQueryUid);
    s.shape.totalMs += Number(process.hrtime.bigint() - s.at) / 1e6;
    s.shape.rows += rowsOf(response);
  };
  db.on('query-response', (response: unknown, q: QueryEvent) => finish(q, response));
  db.on('query-error', (_err: unknown, q: QueryEvent) => finish(q, undefined));
  if (registered) return;
  registered = true;
  const role = path.basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '');
  process.on('exit', () => {
    const byTime = [...shapes.values()].sort((a, b) => b.totalMs - a.totalMs).map((s) => ({ ...s, totalMs: Math.round(s.totalMs) }));
    writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ process: role, pid: process.pid, statements: total, shapes: byTime }));
  });
}
