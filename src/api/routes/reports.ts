import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { dataKeysFor } from '../../crypto/data-keys';
import { parseQuery } from '../request-input';
import { assignedUserScope, authenticate, callerTenantId, requireTenant } from '../auth';
import { auditExport } from '../export-audit';
import { sendTable, wantsCsv } from '../tabular';
import { DEFAULT_PRICE_PER_SEGMENT_USD } from '../../domain/segments';

const DAY_MS = 86_400_000;
/** Report days from 1970 on: PostgreSQL has no year 0 (`0000-01-01` was a 500), and no traffic is older. */
const EARLIEST_DAY = '1970-01-01';
const isoDay = z.iso.date({ error: 'must be a date such as 2026-11-27' }).refine((day) => day >= EARLIEST_DAY, `must be ${EARLIEST_DAY} or later`);
const format = z.enum(['json', 'csv']).optional();
/** A range of whole days, `to` included; 30 days up to today when not given, a year at most. */
const dayRange = z
  .object({ from: isoDay.optional(), to: isoDay.optional(), format })
  .transform((q) => {
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
    return { ...q, from, to };
  })
  .refine((q) => q.from <= q.to, { message: 'must not be after `to`', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * DAY_MS, { message: 'the range spans at most 366 days', path: ['from'] });
const usageQuery = z.intersection(dayRange, z.object({ tenantId: z.uuid().optional() }));
const dailyQuery = z.object({ date: isoDay.optional(), format }).strict();

/** `column` within [from 00:00, to + 1 day 00:00) in a time zone; bindings: from, zone, to, zone. */
const inLocalDays = (column: string) => `${column} >= (?::date::timestamp AT TIME ZONE ?) AND ${column} < ((?::date + 1)::timestamp AT TIME ZONE ?)`;

/**
 * Reports from the rolling counters and inbound messages: a tenant's opt-outs and its daily
 * summary (the "daily marketing preview"), and for staff the usage of every subaccount per day.
 */
export function reportRoutes({ db, config }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');
  const tenantOf = async (res: Parameters<Parameters<Router['get']>[1]>[1]) => {
    return db('tenants')
      .where({ id: callerTenantId(res) })
      .first<{ id: string; time_zone: string; sending_state: string; business_name: string }>('id', 'time_zone', 'sending_state', 'business_name');
  };

  /** Every opt-out keyword received in the range (the tenant's days), with the contact and whether it still stands. */
  router.get('/v1/reports/opt-outs', tenantKey, requireTenant('contacts.read'), async (req, res) => {
    const tenant = await tenantOf(res);
    const q = parseQuery(dayRange, req.query);
    const assignedUser = assignedUserScope(res);
    const rows = await db('inbound_messages as m')
      .leftJoin('contacts as c', 'c.id', 'm.contact_id')
      .leftJoin('suppressions as s', (j) => j.on('s.tenant_id', 'm.tenant_id').andOn('s.phone_e164', 'm.from_number'))
      .where({ 'm.tenant_id': tenant.id, 'm.kind': 'opt_out' })
      .whereRaw(inLocalDays('m.received_at'), [q.from, tenant.time_zone, q.to, tenant.time_zone])
      .modify((b) => {
        // A user restricted to their assigned contacts sees only those contacts' opt-outs.
        if (assignedUser) void b.where('c.assigned_user', assignedUser);
      })
      .orderBy('m.received_at')
      .limit(100_000)
      .select<Array<Record<string, unknown>>>(
        'm.tenant_id as tenantId',
        'm.from_number as phone',
        'm.body as keyword',
        'm.received_at as optedOutAt',
        'm.to_number as sender',
        'c.name as contactName',
        'c.assigned_user as assignedUser',
        db.raw('(s.phone_e164 IS NOT NULL) AS "stillSuppressed"'),
      );
    await keys.openRows(rows, () => tenant.id, { keyword: 'inbound_messages.body', contactName: 'contacts.name' });
    for (const row of rows) delete row.tenantId;
    if (wantsCsv(req)) await auditExport(db, res, { tenantId: tenant.id, what: 'opt_outs', details: { from: q.from, to: q.to, rows: rows.length } });
    sendTable(req, res, {
      filename: `opt-outs-${q.from}-${q.to}.csv`,
      columns: ['phone', 'keyword', 'optedOutAt', 'sender', 'contactName', 'assignedUser', 'stillSuppressed'],
      rows,
      meta: { tenantId: tenant.id, from: q.from, to: q.to, timeZone: tenant.time_zone, count: rows.length },
    });
  });

  /** One day of a tenant's traffic in its own time zone, and where it stands with the monitor. */
  router.get('/v1/reports/daily', tenantKey, async (req, res) => {
    const tenant = await tenantOf(res);
    const q = parseQuery(dailyQuery, req.query);
    const date = q.date ?? new Date().toLocaleDateString('en-CA', { timeZone: tenant.time_zone });
    const { rows } = await db.raw<{ rows: Array<Record<string, string | null>> }>(
      `SELECT sum(sent) AS sent, sum(segments) AS segments, sum(delivered) AS delivered, sum(undelivered) AS undelivered, sum(failed) AS failed,
              sum(refused) AS refused, sum(replies) AS replies, sum(opt_outs) AS opt_outs, sum(opt_ins) AS opt_ins
       FROM tenant_traffic_counters WHERE tenant_id = ? AND ${inLocalDays('hour')}`,
      [tenant.id, date, tenant.time_zone, date, tenant.time_zone],
    );
    const n = (v: string | null | undefined) => Number(v ?? 0);
    const c = rows[0] ?? {};
    const campaigns = await db('campaigns')
      .where({ tenant_id: tenant.id })
      .whereRaw(inLocalDays('started_at'), [date, tenant.time_zone, date, tenant.time_zone])
      .orderBy('started_at')
      .select('id', 'name', 'status', 'started_at as startedAt');
    const summary = {
      tenantId: tenant.id,
      businessName: tenant.business_name,
      date,
      timeZone: tenant.time_zone,
      complianceState: tenant.sending_state,
      sends: n(c.sent),
      segments: n(c.segments),
      deliveries: n(c.delivered),
      undelivered: n(c.undelivered),
      failed: n(c.failed),
      /** Refused by Twilio when sent (21211, 21610, 21614, …): errors, as Twilio counts them. */
      refused: n(c.refused),
      replies: n(c.replies),
      optOuts: n(c.opt_outs),
      optIns: n(c.opt_ins),
      campaignsStarted: campaigns,
    };
    if (q.format !== 'csv') return void res.json(summary);
    const row = { ...summary, campaignsStarted: summary.campaignsStarted.length };
    await auditExport(db, res, { tenantId: tenant.id, what: 'daily', details: { date } });
    sendTable(req, res, { filename: `daily-${date}.csv`, columns: Object.keys(row) as Array<keyof typeof row>, rows: [row], meta: {} });
  });

  /** For billing: each subaccount's messages, segments and estimated cost per UTC day. */
  router.get('/v1/compliance/usage', authenticate(db, 'staff'), async (req, res) => {
    const q = parseQuery(usageQuery, req.query);
    const { rows } = await db.raw<{
      rows: Array<{ day: string; tenantId: string; businessName: string; subaccountSid: string | null; messages: number; segments: number }>;
    }>(
      `SELECT to_char(date_trunc('day', c.hour AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, t.id AS "tenantId", t.business_name AS "businessName",
              cr.subaccount_sid AS "subaccountSid", sum(c.sent)::int AS messages, sum(c.segments)::int AS segments
       FROM tenant_traffic_counters c JOIN tenants t ON t.id = c.tenant_id LEFT JOIN tenant_credentials cr ON cr.tenant_id = t.id
       WHERE c.hour >= ?::date AND c.hour < ?::date + 1 ${q.tenantId ? 'AND c.tenant_id = ?' : ''}
       GROUP BY 1, t.id, t.business_name, cr.subaccount_sid HAVING sum(c.sent) > 0 ORDER BY 1, t.business_name`,
      [q.from, q.to, ...(q.tenantId ? [q.tenantId] : [])],
    );
    const priced = rows.map((r) => ({ ...r, costEstimateUsd: Math.round(r.segments * DEFAULT_PRICE_PER_SEGMENT_USD * 10_000) / 10_000 }));
    if (wantsCsv(req)) await auditExport(db, res, { tenantId: q.tenantId ?? null, what: 'usage', details: { from: q.from, to: q.to } });
    sendTable(req, res, {
      filename: `usage-${q.from}-${q.to}.csv`,
      columns: ['day', 'tenantId', 'businessName', 'subaccountSid', 'messages', 'segments', 'costEstimateUsd'],
      rows: priced,
      meta: { from: q.from, to: q.to, pricePerSegmentUsd: DEFAULT_PRICE_PER_SEGMENT_USD },
    });
  });

  return router;
}
