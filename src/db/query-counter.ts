import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

/**
 * Benchmarks only: with CLEARSEND_QUERY_COUNT_DIR set, each process counts the statements its knex
 * pools send and writes `{ process, pid, statements }` to `<dir>/<pid>.json` as it exits, so a
 * bench can report PostgreSQL statements per message by process (pg_stat_statements needs a
 * server restart to load, which a bench cannot do).
 */
let total = 0;
let registered = false;

export function countQueries(db: Knex, dir = process.env.CLEARSEND_QUERY_COUNT_DIR): void {
  if (!dir) return;
  db.on('query', () => {
    total++;
  });
  if (registered) return;
  registered = true;
  const role = path.basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '');
  process.on('exit', () => {
    writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ process: role, pid: process.pid, statements: total }));
  });
}
