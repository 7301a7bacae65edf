import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { assignedUserScope, callerTenantId, recorderOf, tenantAccess } from '../auth';
import { HttpProblem, InvalidInput } from '../problem';
import { parseQuery } from '../request-input';
import { recordAudit } from '../../db/audit';
import { complianceContextOf } from '../../db/compliance-context';
import { contactMergeValuesOf } from '../../db/contact-merge-values';
import { dataKeysFor } from '../../crypto/data-keys';
import { judgeMessage } from '../../domain/compliance/judge';
import { fieldValueJudge, fixedText, parseTemplate, templateMessage } from '../../domain/message-template';
import { needsOptOutFooter } from '../../domain/message-shaping';
import { estimateSegments, estimateSegmentsCost } from '../../domain/segments';
import { templateInput, templateListQuery, templatePreviewQuery, templateView, type TemplateRow } from './template-schemas';

/** PostgreSQL's unique_violation: a second template of the same name. */
const UNIQUE_VIOLATION = '23505';

/**
 * Message templates (issue 18): text with merge fields a tenant reuses. Create and replace judge
 * the fixed text (fields as their fallbacks) and refuse a template that does not parse, saying
 * where; the preview fills one contact's values as the relay would, with each value judged, the
 * brand and opt-out line as that contact would get them now, and the segments and cost. Senders
 * write and read them; a user restricted to their assigned contacts reads and previews (their
 * own contacts only) but does not change what every user sends. Another tenant's id is a 404.
 */
export function templateRoutes({ db, config }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const senders = tenantAccess(db, 'campaigns.write');
  const unrestricted: RequestHandler = (_req, res, next) =>
    next(
      assignedUserScope(res)
        ? new HttpProblem(403, 'Forbidden', 'Templates are shared by every user; a user restricted to their assigned contacts may not change them.')
        : undefined,
    );
  const writer: RequestHandler = (req, res, next) => senders(req, res, (err?: unknown) => (err ? next(err) : unrestricted(req, res, next)));

  const ownTemplate = async (res: Response, id: string): Promise<TemplateRow> => {
    const tenantId = callerTenantId(res);
    const row = z.uuid().safeParse(id).success ? await db('message_templates').where({ id, tenant_id: tenantId }).first<TemplateRow | undefined>() : undefined;
    if (!row) throw new HttpProblem(404, 'Not found', `No template ${id}.`);
    return { ...row, body: await keys.open(tenantId, 'message_templates.body', row.body) };
  };

  /** The stored columns for a template's text: parsed (or refused, each problem named), judged, sealed. */
  const judgedTemplate = async (tenantId: string, input: z.output<typeof templateInput>) => {
    const parsed = parseTemplate(input.body);
    if (!parsed.ok) throw new InvalidInput(parsed.problems.map((p) => ({ field: 'body', message: p.message })));
    const fixed = fixedText(parsed.template);
    const scan = { ...judgeMessage(fixed, await complianceContextOf(db, tenantId)), segments: estimateSegments(fixed) };
    return {
      name: input.name,
      body: await keys.seal(tenantId, 'message_templates.body', input.body),
      message_type: input.messageType,
      merge_fields: parsed.template.fields,
      scan: JSON.stringify(scan),
    };
  };
  /** Who changed which template, in the audit log: the user (or the tenant's own key) that did. */
  const audit = (res: Response, action: string, t: { id: string; tenant_id: string; name: string }) =>
    recordAudit(db, { actor: recorderOf(res), actorKind: 'tenant', tenantId: t.tenant_id, action, details: { templateId: t.id, name: t.name } });
  const nameTaken = (name: string) => new HttpProblem(409, 'Name taken', `There is already a template named "${name}".`);
  const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === UNIQUE_VIOLATION;

  router.post('/v1/templates', writer, async (req, res) => {
    const tenantId = callerTenantId(res);
    const input = templateInput.parse(req.body);
    const columns = await judgedTemplate(tenantId, input);
    const [row] = await db('message_templates')
      .insert({ tenant_id: tenantId, ...columns })
      .returning<TemplateRow[]>('*')
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? nameTaken(input.name) : err;
      });
    await audit(res, 'template.created', row);
    res
      .status(201)
      .location(`/v1/templates/${row.id}`)
      .json(templateView({ ...row, body: input.body }));
  });

  router.get('/v1/templates', senders, async (req, res) => {
    const q = parseQuery(templateListQuery, req.query);
    const rows = await db('message_templates')
      .where({ tenant_id: callerTenantId(res) })
      .modify((b) => {
        if (q.after !== undefined) void b.where('name', '>', q.after);
      })
      .orderBy('name')
      .limit(q.limit)
      .select<TemplateRow[]>('*');
    await keys.openRows(rows, (r) => r.tenant_id, { body: 'message_templates.body' });
    res.json({ templates: rows.map(templateView) });
  });

  router.get('/v1/templates/:id', senders, async (req, res) => {
    res.json(templateView(await ownTemplate(res, String(req.params.id))));
  });

  router.put('/v1/templates/:id', writer, async (req, res) => {
    const existing = await ownTemplate(res, String(req.params.id));
    const input = templateInput.parse(req.body);
    const columns = await judgedTemplate(existing.tenant_id, input);
    const [row] = await db('message_templates')
      .where({ id: existing.id, tenant_id: existing.tenant_id })
      .update({ ...columns, updated_at: db.fn.now() })
      .returning<TemplateRow[]>('*')
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? nameTaken(input.name) : err;
      });
    await audit(res, 'template.replaced', row);
    res.json(templateView({ ...row, body: input.body }));
  });

  router.delete('/v1/templates/:id', writer, async (req, res) => {
    const existing = await ownTemplate(res, String(req.params.id));
    await db('message_templates').where({ id: existing.id, tenant_id: existing.tenant_id }).delete();
    await audit(res, 'template.deleted', existing);
    res.status(204).end();
  });

  router.get('/v1/templates/:id/preview', senders, async (req, res) => {
    const template = await ownTemplate(res, String(req.params.id));
    const q = parseQuery(templatePreviewQuery, req.query);
    const assignedUser = assignedUserScope(res);
    const contact = await db('contacts as c')
      .leftJoin('opt_out_notices as n', function () {
        this.on('n.tenant_id', 'c.tenant_id').andOn('n.phone_e164', 'c.phone_e164');
      })
      .where({ 'c.tenant_id': template.tenant_id, 'c.id': q.contactId })
      .modify((b) => {
        if (assignedUser) void b.where('c.assigned_user', assignedUser);
      })
      .first<{ id: string; last_notice_at: Date | null } | undefined>('c.id', 'n.last_sent_at as last_notice_at');
    if (!contact) throw new HttpProblem(404, 'Not found', `No contact ${q.contactId}.`);
    const values = (await contactMergeValuesOf(db, keys, template.tenant_id, [contact.id])).get(contact.id) ?? {};
    const parsed = parseTemplate(template.body);
    // Stored templates parsed when written; one that no longer does is this code's fault, not the caller's.
    if (!parsed.ok) throw new Error(`template ${template.id} no longer parses: ${parsed.problems[0].message}`);
    const tenant = await db('tenants').where({ id: template.tenant_id }).first<{ business_name: string }>('business_name');
    const withOptOutFooter = needsOptOutFooter({
      messageType: template.message_type,
      lastNoticeAt: contact.last_notice_at,
      now: new Date(),
      intervalMs: config.OPT_OUT_FOOTER_INTERVAL_SECONDS * 1000,
    });
    const message = templateMessage(parsed.template, values, fieldValueJudge(await complianceContextOf(db, template.tenant_id)), {
      brandName: tenant.business_name,
      withOptOutFooter,
    });
    res.json({
      templateId: template.id,
      contactId: contact.id,
      ...message,
      ...(message.sendable ? { costEstimateUsd: estimateSegmentsCost(message.segments.segments) } : {}),
    });
  });
  return router;
}
