/**
 * Scale: a campaign of N recipients (default 1,000,000) and one of 100,000 through the whole
 * platform. Reports the largest event count of any workflow run (continue-as-new keeps each
 * short), the worker's peak resident memory, and seconds per 100k recipients at both sizes
 * (start → every message accepted), whose ratio shows whether the pipeline grows linearly.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { campaignWorkflowId } from '../src/workflows/campaign-send/definitions';
import type { StatementShape } from '../src/db/query-counter';
import { benchPlatform, runCampaign, type BenchPlatform } from './_platform';

async function largestHistory(p: BenchPlatform, campaignId: string): Promise<{ runs: number; largestHistoryEvents: number }> {
  let runs = 0;
  let largest = 0;
  for await (const w of p.temporal.workflow.list({ query: `WorkflowId = '${campaignWorkflowId(campaignId)}'` })) {
    runs++;
    const described = await p.temporal.workflow.getHandle(w.workflowId, w.runId).describe();
    largest = Math.max(largest, described.historyLength);
  }
  return { runs, largestHistoryEvents: largest };
}

/** The bench database's own counters (commits, rows), read before and after as a cross-check of the counted statements. */
async function pgDatabaseStats(p: BenchPlatform): Promise<Record<string, number>> {
  const { rows } = await p.db.raw<{ rows: Array<Record<string, string>> }>(
    'SELECT xact_commit, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()',
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** Per table: scans and rows read by each access path, so a scan that grows with the campaign shows. */
async function pgTableStats(p: BenchPlatform): Promise<Record<string, Record<string, number>>> {
  const { rows } = await p.db.raw<{ rows: Array<Record<string, string>> }>(
    'SELECT relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins, n_tup_upd FROM pg_stat_user_tables',
  );
  return Object.fromEntries(rows.map(({ relname, ...r }) => [relname, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v ?? 0)]))]));
}

/** What the sandbox holds and its heap (GET /__sandbox/memory), or null from a sandbox without that endpoint. */
async function sandboxMemory(p: BenchPlatform): Promise<unknown> {
  const res = await fetch(`${p.sandboxUrl}/__sandbox/memory`);
  return res.ok ? await res.json() : null;
}

/** Statements each clearsend process sent, and by statement shape (src/db/query-counter.ts writes one file per process as it exits). */
function countedStatements(dir: string): { byProcess: Record<string, number>; shapes: Array<StatementShape & { process: string }> } {
  const byProcess: Record<string, number> = {};
  const shapes: Array<StatementShape & { process: string }> = [];
  for (const f of readdirSync(dir)) {
    const c = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { process: string; statements: number; shapes?: StatementShape[] };
    byProcess[c.process] = (byProcess[c.process] ?? 0) + c.statements;
    for (const s of c.shapes ?? []) shapes.push({ ...s, process: c.process });
  }
  return { byProcess, shapes };
}

export async function run(args: string[]) {
  const size = Number(args[0] ?? 1_000_000);
  const base = Number(args[1] ?? Math.min(100_000, size));
  const batchSize = Math.max(1000, Math.ceil(size / 250));
  const countDir = mkdtempSync(path.join(tmpdir(), 'clearsend-scale-queries-'));
  const p = await benchPlatform({ workers: 1, env: { CAMPAIGN_BATCH_SIZE: String(batchSize), CLEARSEND_QUERY_COUNT_DIR: countDir } });
  let result: Record<string, unknown>;
  let pgBefore: Record<string, number> = {};
  let pgAfter: Record<string, number> = {};
  let tablesBefore: Record<string, Record<string, number>> = {};
  let tablesAfter: Record<string, Record<string, number>>;
  try {
    pgBefore = await pgDatabaseStats(p);
    tablesBefore = await pgTableStats(p);
    const body = { name: 'scale bench', body: 'Bench Dental: your checkup is due. Reply STOP to opt out.', messageType: 'transactional' as const, batchSize };
    const small = await p.activeTenant(10_000);
    await p.addContacts(small.id, base, 0);
    const atBase = await runCampaign(p, small, body, 'waiting');
    const sandboxAfterBase = await sandboxMemory(p);
    const large = await p.activeTenant(10_000);
    await p.addContacts(large.id, size, base); // other numbers: no Lookup cache hits from the first run
    // A slow machine may need hours for a million; the limit only guards against a stuck run.
    const atSize = await runCampaign(p, large, body, 'waiting', 6 * 3_600_000);
    const secondsPer100k = (ms: number, n: number) => Math.round((ms / 1000 / (n / 100_000)) * 10) / 10;
    // Seconds per 100k recipients for the base campaign and the full-size one (`scale 20000`
    // runs both at 20,000, so the two are named by role, not by size).
    const bothCampaigns = (phaseMs: (seen: Record<string, number>) => number) => ({
      base: secondsPer100k(phaseMs(atBase.seen), base),
      full: secondsPer100k(phaseMs(atSize.seen), size),
    });
    // Every message accepted: `waiting` (for final statuses), or `completed` when the statuses
    // were all in before a poll saw `waiting`.
    const accepted = (seen: Record<string, number>) => seen.waiting ?? seen.completed;
    const total = bothCampaigns(accepted);
    const sandboxAfterFull = await sandboxMemory(p);
    const histories = await largestHistory(p, atSize.id);
    pgAfter = await pgDatabaseStats(p);
    tablesAfter = await pgTableStats(p);
    result = {
      recipients: size,
      baseRecipients: base,
      batchSize,
      ...histories,
      workerPeakRssMb: p.workerPeakRssMb(),
      sandboxPeakRssMb: p.sandboxPeakRssMb(),
      sandboxMemory: { afterBase: sandboxAfterBase, afterFull: sandboxAfterFull },
      secondsPer100k: total,
      growthRatio: Math.round((total.full / total.base) * 100) / 100,
      // Where the time went: audience hygiene + Lookup, then the relay.
      preparingSecondsPer100k: bothCampaigns((seen) => seen.relaying),
      relayingSecondsPer100k: bothCampaigns((seen) => accepted(seen) - seen.relaying),
    };
  } finally {
    await p.stop();
  }
  // Per message of both campaigns; setup (tenants, contacts, which the bench writes itself) is included but small.
  const messages = size + base;
  const perMessage = (n: number) => Math.round((n / messages) * 100) / 100;
  const counted = countedStatements(countDir);
  rmSync(countDir, { recursive: true, force: true });
  const statementsPerMessage = Object.fromEntries(Object.entries(counted.byProcess).map(([k, n]) => [k, perMessage(n)]));
  const pgPerMessage = Object.fromEntries(Object.keys(pgAfter).map((k) => [k, perMessage(pgAfter[k] - (pgBefore[k] ?? 0))]));
  // Per message, so a run at another size shows which statement or table costs more per message as
  // campaigns grow; the totals too, since a statement called once per page rounds to 0 per message.
  const topStatements = counted.shapes
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, 25)
    .map((s) => ({
      process: s.process,
      sql: s.sql.slice(0, 240),
      calls: s.calls,
      rows: s.rows,
      totalMs: s.totalMs,
      callsPerMessage: perMessage(s.calls),
      rowsPerMessage: perMessage(s.rows),
      msPerMessage: perMessage(s.totalMs),
    }));
  const tablesPerMessage = Object.fromEntries(
    Object.entries(tablesAfter)
      .map(([t, after]) => [t, Object.fromEntries(Object.keys(after).map((k) => [k, perMessage(after[k] - (tablesBefore[t]?.[k] ?? 0))]))] as const)
      .filter(([, d]) => d.seq_tup_read + d.idx_tup_fetch >= 1),
  );
  return { ...result, statementsPerMessage, pgStatDatabasePerMessage: pgPerMessage, topStatements, tablesPerMessage };
}
