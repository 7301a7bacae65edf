import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { dataKeysFor } from '../../crypto/data-keys';
import { parseQuery } from '../request-input';
import { assignedUserScope, authenticate, callerTenantId, requireTenant } from '../auth';

const page = { before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(50) };
const noticesQuery = z.object(page).strict();
const notificationsQuery = z.object({ ...page, user: z.string().trim().min(1).max(200).optional() }).strict();

/**
 * What clearsend tells a tenant: notices from the monitor (GET /v1/notices) and replies routed
 * to its users (GET /v1/notifications), newest first, paged by `before` (an id). A reply the
 * compliance engine read as a possible request to stop carries its `optOutRequest` to decide.
 */
export function noticeRoutes({ db, config }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');

  router.get('/v1/notices', tenantKey, async (req, res) => {
    const q = parseQuery(noticesQuery, req.query);
    const notices: unknown[] = await db('tenant_notices')
      .where({ tenant_id: callerTenantId(res) })
      .modify((b) => {
        if (q.before) void b.where('id', '<', q.before);
      })
      .orderBy('id', 'desc')
      .limit(q.limit)
      .select('id', 'kind', 'title', 'body', 'details', 'email_status as emailStatus', 'created_at as createdAt');
    res.json({ notices });
  });

  router.get('/v1/notifications', tenantKey, requireTenant('contacts.read'), async (req, res) => {
    const q = parseQuery(notificationsQuery, req.query);
    const assignedUser = assignedUserScope(res);
    const rows = await db('notifications as n')
      .join('inbound_messages as m', 'm.message_sid', 'n.inbound_message_sid')
      .leftJoin('contacts as c', 'c.id', 'm.contact_id')
      .leftJoin('opt_out_requests as o', 'o.inbound_message_sid', 'n.inbound_message_sid')
      .where('n.tenant_id', callerTenantId(res))
      .modify((b) => {
        if (q.user) void b.where('n.user_name', q.user);
        // A user restricted to their assigned contacts sees replies from those contacts only.
        if (assignedUser) void b.where('c.assigned_user', assignedUser);
        if (q.before) void b.where('n.id', '<', q.before);
      })
      .orderBy('n.id', 'desc')
      .limit(q.limit)
      .select<Array<Record<string, unknown> & { tenantId: string; optOutRequestId: string | number | null; optOutRequestStatus: string | null }>>(
        'n.tenant_id as tenantId',
        'n.id',
        'n.user_name as user',
        'm.from_number as from',
        'm.to_number as to',
        'm.body',
        'm.received_at as receivedAt',
        'm.message_sid as messageSid',
        'c.id as contactId',
        'c.name as contactName',
        'm.campaign_id as campaignId',
        'n.email_status as emailStatus',
        'n.email_to as emailTo',
        'o.id as optOutRequestId',
        'o.status as optOutRequestStatus',
      );
    await keys.openRows(rows, (r) => r.tenantId, { body: 'inbound_messages.body', contactName: 'contacts.name' });
    const notifications = rows.map(({ tenantId: _, optOutRequestId, optOutRequestStatus, ...n }) => ({
      ...n,
      optOutRequest: optOutRequestId === null ? null : { id: String(optOutRequestId), status: optOutRequestStatus },
    }));
    res.json({ notifications });
  });

  return router;
}
