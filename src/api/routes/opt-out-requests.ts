import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { parseQuery } from '../request-input';
import { assignedUserScope, authenticate, callerTenantId, requireTenant } from '../auth';
import { HttpProblem } from '../problem';
import { dataKeysFor } from '../../crypto/data-keys';
import { decideOptOutRequest, listOptOutRequests, OPT_OUT_REQUEST_STATUSES } from '../../db/opt-out-requests';

const listQuery = z
  .object({
    status: z.enum(OPT_OUT_REQUEST_STATUSES).optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const requestParams = z.object({ id: z.string().regex(/^[1-9]\d{0,17}$/, 'must be an opt-out request id (a positive integer)') });
const decisionBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict();

/**
 * Free-text replies the compliance engine read as requests to stop (GET /v1/opt-out-requests):
 * confident ones were applied on arrival; uncertain ones stay `open` until the tenant confirms
 * (the number is suppressed and the opt-out counted) or dismisses them. Both decisions are audited.
 */
export function optOutRequestRoutes({ db, config }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');

  router.get('/v1/opt-out-requests', tenantKey, requireTenant('contacts.read'), async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    res.json({ requests: await listOptOutRequests(db, keys, callerTenantId(res), { ...q, assignedUser: assignedUserScope(res) }) });
  });

  for (const decision of ['confirm', 'dismiss'] as const) {
    router.post(`/v1/opt-out-requests/:id/${decision}`, tenantKey, requireTenant('opt_out_requests.decide'), async (req, res) => {
      const tenantId = callerTenantId(res);
      const { id } = requestParams.parse(req.params);
      const body = decisionBody.parse(req.body ?? {});
      const assignedUser = assignedUserScope(res);
      // Another user's contact's request is not there for a restricted user.
      if (assignedUser && !(await listOptOutRequests(db, keys, tenantId, { id, limit: 1, assignedUser })).length)
        throw new HttpProblem(404, 'Not found', `No opt-out request ${id}.`);
      const outcome = await decideOptOutRequest(db, keys, { tenantId, id, decision, actor: `tenant:${tenantId}`, reason: body.reason });
      if (!outcome.ok && outcome.reason === 'not_found') throw new HttpProblem(404, 'Not found', `No opt-out request ${id}.`);
      if (!outcome.ok)
        throw new HttpProblem(409, 'Already decided', `Opt-out request ${id} is ${outcome.status}; only an open request can be confirmed or dismissed.`, {
          requestStatus: outcome.status,
        });
      res.json(outcome.request);
    });
  }

  return router;
}
