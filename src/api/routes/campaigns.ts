import { Router, type RequestHandler, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { spreadsheetSafeCast, wantsCsv } from '../tabular';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { assertTenantMay, assignedUserScope, authenticate, callerTenantId, tenantAccess, tenantMay } from '../auth';
import { auditExport } from '../export-audit';
import { campaignRecipientRows, campaignReport, droppedByReason } from '../campaign-report';
import { HttpProblem, InvalidInput } from '../problem';
import { onWorkflow } from '../workflow-errors';
import { recordAudit } from '../../db/audit';
import { complianceContextOf } from '../../db/compliance-context';
import { contentClearance } from '../../domain/compliance/clearance';
import { judgeMessage, MAX_BODY_LENGTH } from '../../domain/compliance/judge';
import { optOutFooterCutoff, shapeOutgoingBody, type MessageType } from '../../domain/message-shaping';
import { fixedText, parseTemplate } from '../../domain/message-template';
import { estimateSegments, estimateSegmentsCost } from '../../domain/segments';
import { campaignSend } from '../../workflows/campaign-send/workflow';
import { campaignView, createCampaign, type CampaignRow } from './campaign-schemas';
import { campaignTimings } from '../workflow-timings';
import { dataKeysFor } from '../../crypto/data-keys';
import { campaignProgressQuery, campaignWorkflowId, cancelCampaignSignal, startCampaignOptions } from '../../workflows/campaign-send/definitions';

/**
 * Campaigns: create (the content is judged and the judgement kept; `review` content waits for
 * compliance staff), start (the `campaignSend`
 * workflow, id `campaign/<id>`), progress (a query while it runs), cancel, report.
 * A tenant sees only its own campaigns; another tenant's id is a 404.
 */
export function campaignRoutes({ db, temporal, config, log }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');
  const campaignWrite = tenantAccess(db, 'campaigns.write');
  /**
   * A campaign goes to the tenant's whole audience (or a tag of it), not to one user's contacts:
   * a user restricted to their assigned contacts may read campaigns but not create, start or cancel them.
   */
  const unrestricted: RequestHandler = (_req, res, next) =>
    next(
      assignedUserScope(res)
        ? new HttpProblem(
            403,
            'Forbidden',
            'A campaign reaches contacts of every user; a user restricted to their assigned contacts may not create, start or cancel one.',
          )
        : undefined,
    );
  const sender: RequestHandler = (req, res, next) => campaignWrite(req, res, (err?: unknown) => (err ? next(err) : unrestricted(req, res, next)));
  const ownCampaign = async (res: Response, id: string): Promise<CampaignRow> => {
    const tenantId = callerTenantId(res);
    const parsed = z.uuid().safeParse(id);
    const row = parsed.success ? await db('campaigns').where({ id, tenant_id: tenantId }).first<CampaignRow | undefined>() : undefined;
    if (!row) throw new HttpProblem(404, 'Not found', `No campaign ${id}.`);
    return { ...row, body: await keys.open(row.tenant_id, 'campaigns.body', row.body) };
  };

  /**
   * A new campaign's text: its own body, or a copy of one of the tenant's templates (with the
   * template's message type unless one is given), parsed for merge fields; a text that does not
   * parse, or a template that is not the tenant's, is a 400 naming the field.
   */
  const campaignText = async (tenantId: string, input: z.output<typeof createCampaign>) => {
    let text = input.body;
    let messageType = input.messageType;
    if (input.templateId !== undefined) {
      const template = await db('message_templates')
        .where({ id: input.templateId, tenant_id: tenantId })
        .first<{ body: string; message_type: MessageType } | undefined>('body', 'message_type');
      if (!template) throw new InvalidInput([{ field: 'templateId', message: `no template ${input.templateId}` }]);
      text = await keys.open(tenantId, 'message_templates.body', template.body);
      messageType ??= template.message_type;
    }
    const parsed = parseTemplate(text!);
    if (!parsed.ok) throw new InvalidInput(parsed.problems.map((p) => ({ field: input.templateId ? 'templateId' : 'body', message: p.message })));
    return { text: text!, messageType: messageType!, templateId: input.templateId ?? null, template: parsed.template };
  };

  router.post('/v1/campaigns', sender, async (req, res) => {
    const tenantId = callerTenantId(res);
    const input = createCampaign.parse(req.body);
    const source = await campaignText(tenantId, input);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ business_name: string }>('business_name');
    // What is judged, shaped and priced: the fixed text, each merge field as its fallback (the
    // same as the body when it has none); each recipient's values are judged at the send.
    const judged = fixedText(source.template);
    // A missing brand or opt-out line is not judged: the relay adds them (message shaping).
    const judgement = judgeMessage(judged, { ...(await complianceContextOf(db, tenantId)), requireHelpLanguage: input.requireHelpLanguage });
    const scan = { ...judgement, segments: estimateSegments(judged) };
    const needsReview = judgement.findings.some((f) => f.verdict === 'review') && !judgement.findings.some((f) => f.verdict === 'block');
    const firstMessage = shapeOutgoingBody(judged, { brandName: tenant.business_name, withOptOutFooter: true });
    const withFooter = firstMessage.body;
    const withoutFooter = shapeOutgoingBody(judged, { brandName: tenant.business_name, withOptOutFooter: false }).body;
    if (withFooter.length > MAX_BODY_LENGTH) {
      const detail = `With the brand prefix and opt-out line clearsend adds, the message is ${withFooter.length} characters; Twilio refuses more than ${MAX_BODY_LENGTH}.`;
      throw new HttpProblem(400, 'Invalid request', detail, { errors: [{ field: 'body', message: detail }] });
    }
    const [row] = await db('campaigns')
      .insert({
        tenant_id: tenantId,
        name: input.name,
        // Encrypted at rest with the tenant's data key; the answer shows the text as given.
        body: await keys.seal(tenantId, 'campaigns.body', source.text),
        message_type: source.messageType,
        template_id: source.templateId,
        merge_fields: source.template.fields,
        audience_tag: input.audienceTag ?? null,
        batch_size: input.batchSize ?? config.CAMPAIGN_BATCH_SIZE,
        scan: JSON.stringify(scan),
        encoding: scan.segments.encoding,
        segments: scan.segments.segments,
        content_review: needsReview ? 'pending' : null,
      })
      .returning<CampaignRow[]>('*');
    // Who will get the opt-out footer: contacts never told, and for marketing those told
    // longer ago than the footer interval.
    const cutoff = optOutFooterCutoff({ messageType: source.messageType, now: new Date(), intervalMs: config.OPT_OUT_FOOTER_INTERVAL_SECONDS * 1000 });
    const audience = await db('contacts as c')
      .leftJoin('opt_out_notices as n', function () {
        this.on('n.tenant_id', 'c.tenant_id').andOn('n.phone_e164', 'c.phone_e164');
      })
      .where('c.tenant_id', tenantId)
      .modify((q) => {
        if (input.audienceTag) void q.whereRaw('? = ANY(c.tags)', [input.audienceTag]);
      })
      .select(
        db.raw(
          `count(*)::int AS contacts, count(*) FILTER (WHERE n.last_sent_at IS NULL${cutoff ? ' OR n.last_sent_at <= ?' : ''})::int AS with_footer`,
          cutoff ? [cutoff] : [],
        ),
      )
      .first<{ contacts: number; with_footer: number }>();
    // A body with opt-out language of its own gets no footer, whoever receives it.
    const optOutFooters = firstMessage.optOutFooterAdded ? audience.with_footer : 0;
    const segmentsWithout = estimateSegments(withoutFooter).segments;
    const segmentsWith = estimateSegments(withFooter);
    const segments = audience.contacts * segmentsWithout + optOutFooters * (segmentsWith.segments - segmentsWithout);
    res
      .status(201)
      .location(`/v1/campaigns/${row.id}`)
      .json({
        ...campaignView({ ...row, body: source.text }),
        // What a contact's first message from the tenant looks like.
        bodyAsSent: withFooter,
        bodyAsSentSegments: segmentsWith,
        audience: { contacts: audience.contacts, optOutFooters, segments, costEstimateUsd: estimateSegmentsCost(segments) },
      });
  });

  router.post('/v1/campaigns/:id/start', sender, async (req, res) => {
    const campaign = await ownCampaign(res, String(req.params.id));
    const clearance = contentClearance(campaign.scan, { state: campaign.content_review, reason: campaign.content_review_reason });
    if (!clearance.cleared) {
      const [status, title] =
        clearance.why === 'awaiting_review' ? [409, 'Awaiting review'] : clearance.why === 'rejected' ? [422, 'Content rejected'] : [422, 'Content blocked'];
      throw new HttpProblem(status, title, clearance.reason, { findings: campaign.scan.findings });
    }
    const claimed = await db('campaigns').where({ id: campaign.id, status: 'draft' }).update({ status: 'preparing', started_at: db.fn.now() });
    if (!claimed) throw new HttpProblem(409, 'Already started', `Campaign ${campaign.id} is ${campaign.status}; a campaign starts once.`);
    const tenant = await db('tenants').where({ id: campaign.tenant_id }).first<{ relay_cadence_minutes: number }>('relay_cadence_minutes');
    const timings = { ...campaignTimings(config, tenant.relay_cadence_minutes), batchSize: campaign.batch_size };
    try {
      // A campaign's workflow already running (a start whose answer was lost) is that campaign's run.
      await temporal.workflow.start(
        campaignSend,
        startCampaignOptions({ id: campaign.id, tenantId: campaign.tenant_id, name: campaign.name }, timings, config.TEMPORAL_TASK_QUEUE),
      );
    } catch (err) {
      log.error({ err, campaignId: campaign.id }, 'could not start the campaign workflow');
      await db('campaigns').where({ id: campaign.id, status: 'preparing' }).update({ status: 'draft', started_at: null });
      throw new HttpProblem(503, 'Service unavailable', 'The campaign could not be started; it is still a draft. Try again.', {}, { 'Retry-After': '5' });
    }
    await recordAudit(db, {
      actor: `tenant:${campaign.tenant_id}`,
      actorKind: 'tenant',
      tenantId: campaign.tenant_id,
      action: 'campaign.started',
      details: { campaignId: campaign.id },
    });
    res.status(202).location(`/v1/campaigns/${campaign.id}`).json({ id: campaign.id, status: 'preparing' });
  });

  router.get('/v1/campaigns/:id', tenantKey, async (req, res) => {
    const campaign = await ownCampaign(res, String(req.params.id));
    const progress =
      campaign.status === 'draft'
        ? null
        : await onWorkflow(`campaign ${campaign.id}`, () => temporal.workflow.getHandle(campaignWorkflowId(campaign.id)).query(campaignProgressQuery));
    // The workflow counts drops; why each was dropped (no consent, suppressed, …) is in PostgreSQL.
    // A viewer reads the campaign's status and figures, not its message text (nor the scan's quotes of it).
    const view = tenantMay(res, 'contacts.read') ? campaignView(campaign) : { ...campaignView(campaign), body: null, scan: null };
    res.json({ ...view, progress: progress && { ...progress, droppedByReason: await droppedByReason(db, campaign.id) } });
  });

  router.post('/v1/campaigns/:id/cancel', sender, async (req, res) => {
    const campaign = await ownCampaign(res, String(req.params.id));
    if (!['preparing', 'relaying', 'waiting'].includes(campaign.status))
      throw new HttpProblem(409, 'Not running', `Campaign ${campaign.id} is ${campaign.status}; only a running campaign can be canceled.`);
    // The flag stops a relay between pages at once; the Signal wakes the workflow from its wait.
    await db('campaigns').where({ id: campaign.id }).whereNull('cancel_requested_at').update({ cancel_requested_at: db.fn.now() });
    await onWorkflow(`campaign ${campaign.id}`, () =>
      temporal.workflow.getHandle(campaignWorkflowId(campaign.id)).signal(cancelCampaignSignal, { by: `tenant:${campaign.tenant_id}` }),
    );
    await recordAudit(db, {
      actor: `tenant:${campaign.tenant_id}`,
      actorKind: 'tenant',
      tenantId: campaign.tenant_id,
      action: 'campaign.cancel_requested',
      details: { campaignId: campaign.id },
    });
    res.status(202).location(`/v1/campaigns/${campaign.id}`).json({ id: campaign.id, cancelRequested: true });
  });

  router.get('/v1/campaigns/:id/report', tenantKey, async (req, res) => {
    const campaign = await ownCampaign(res, String(req.params.id));
    if (!wantsCsv(req)) {
      res.json(await campaignReport(db, campaign.id));
      return;
    }
    // The recipient CSV names every number: personal data, not a report figure.
    assertTenantMay(res, 'contacts.read');
    await auditExport(db, res, { tenantId: campaign.tenant_id, what: 'campaign_report', details: { campaignId: campaign.id } });
    res.type('text/csv').attachment(`campaign-${campaign.id}.csv`);
    const csv = stringify({
      header: true,
      columns: ['contact_id', 'phone', 'to_e164', 'outcome', 'reason', 'detail', 'message_sid', 'error_code', 'delivery_status', 'delivery_error_code'],
      cast: spreadsheetSafeCast,
    });
    csv.pipe(res);
    for await (const r of campaignRecipientRows(db, campaign.id, { assignedUser: assignedUserScope(res) })) {
      const outcome = r.status === 'sent' ? (r.delivery_status ?? 'sent') : r.status === 'failed' ? 'refused' : r.status;
      const ok = csv.write([
        r.contact_id,
        r.phone_raw,
        r.to_e164,
        outcome,
        r.drop_reason,
        r.drop_detail,
        r.message_sid,
        r.error_code,
        r.delivery_status,
        r.delivery_error_code,
      ]);
      if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
    }
    csv.end();
  });

  return router;
}
