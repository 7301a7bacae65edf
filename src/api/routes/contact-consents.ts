import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { assignedUserScope, callerTenantId, recorderOf, requireTenant } from '../auth';
import { HttpProblem, InvalidInput } from '../problem';
import { refuseHeldAutoReply } from '../auto-reply-judgement';
import { recordAudit } from '../../db/audit';
import { asEvents, consentRecordsOf, recordConsents, type NewConsent } from '../../db/contact-consents';
import { CONSENT_PURPOSES, standingConsent } from '../../domain/consent';
import { confirmationRequestText, normalizeKeyword, optInKeywordProblem } from '../../domain/double-opt-in';
import { consentSchema, withdrawalSchema } from './contact-schemas';

const keywordSettings = z
  .object({
    /** What the texts are about: "Bright Smiles appointment reminders and offers". */
    programName: z.string().trim().min(3).max(80),
    /** "Up to 4 msgs/month", "Msg frequency varies". */
    frequency: z.string().trim().min(3).max(60),
    purposes: z
      .array(z.enum(CONSENT_PURPOSES))
      .min(1)
      .max(3)
      .refine((p) => new Set(p).size === p.length, 'names a purpose twice'),
  })
  .strict();

/**
 * A contact's consent history (new grants and withdrawals, each a new row) and the tenant's
 * double opt-in keywords. Another tenant's contact is a 404.
 */
export function consentRoutes({ db, tenantKey }: { db: Db; tenantKey: RequestHandler }): Router {
  const router = Router();
  const ownContact = async (res: Response, id: string): Promise<{ tenantId: string; contactId: string }> => {
    const tenantId = callerTenantId(res);
    // A user restricted to their assigned contacts finds no other (404, as another tenant's).
    const assignedUser = assignedUserScope(res);
    const found =
      z.uuid().safeParse(id).success &&
      (await db('contacts')
        .where({ id, tenant_id: tenantId })
        .modify((q) => {
          if (assignedUser) void q.where('assigned_user', assignedUser);
        })
        .first<{ id: string } | undefined>('id'));
    if (!found) throw new HttpProblem(404, 'Not found', `No contact ${id}.`);
    return { tenantId, contactId: id };
  };
  const historyOf = async (tenantId: string, contactId: string) => {
    const records = await consentRecordsOf(db, tenantId, [contactId]);
    return { contactId, standing: standingConsent(asEvents(records)), history: records.map(({ contactId: _, ...r }) => r) };
  };

  router.get('/v1/contacts/:contactId/consents', tenantKey, requireTenant('contacts.read'), async (req, res) => {
    const { tenantId, contactId } = await ownContact(res, String(req.params.contactId));
    res.json(await historyOf(tenantId, contactId));
  });

  router.post('/v1/contacts/:contactId/consents', tenantKey, requireTenant('consents.write'), async (req, res) => {
    const { tenantId, contactId } = await ownContact(res, String(req.params.contactId));
    const { status = 'granted', ...fields } = (req.body ?? {}) as Record<string, unknown>;
    if (status !== 'granted' && status !== 'withdrawn') throw new InvalidInput([{ field: 'status', message: 'must be granted (the default) or withdrawn' }]);
    const event = status === 'withdrawn' ? { ...withdrawalSchema.parse(fields), wording: null } : { ...consentSchema.parse(fields), withdrawnAt: undefined };
    const consent: NewConsent = {
      tenantId,
      contactId,
      status,
      purposes: event.purposes,
      method: event.method ?? null,
      source: event.source ?? null,
      wording: event.wording,
      // A withdrawal without a time happened now.
      occurredAt: 'optedInAt' in event ? event.optedInAt : (event.withdrawnAt ?? new Date()),
      recordedBy: recorderOf(res),
    };
    await recordConsents(db, [consent]);
    res.status(201).json(await historyOf(tenantId, contactId));
  });

  router.get('/v1/opt-in-keywords', tenantKey, async (_req, res) => {
    const rows = await db('opt_in_keywords')
      .where({ tenant_id: callerTenantId(res) })
      .orderBy('keyword')
      .select<Array<{ keyword: string; program_name: string; frequency: string; purposes: string[]; updated_at: Date }>>();
    res.json({
      keywords: rows.map((r) => ({ keyword: r.keyword, programName: r.program_name, frequency: r.frequency, purposes: r.purposes, updatedAt: r.updated_at })),
    });
  });

  /** Sets up (or changes) a keyword: a handset texting it gets the confirmation request, judged here since it goes out on the tenant's behalf. */
  router.put('/v1/opt-in-keywords/:keyword', tenantKey, requireTenant('settings.write'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const problem = optInKeywordProblem(String(req.params.keyword));
    if (problem) throw new InvalidInput([{ field: 'keyword', message: problem }], 'path');
    const keyword = normalizeKeyword(String(req.params.keyword));
    const settings = keywordSettings.parse(req.body);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ business_name: string }>('business_name');
    const wording = confirmationRequestText({ brand: tenant.business_name, ...settings });
    await refuseHeldAutoReply(db, tenantId, wording, 'programName', 'confirmation request');
    const row = { tenant_id: tenantId, keyword, program_name: settings.programName, frequency: settings.frequency, purposes: settings.purposes };
    await db.transaction(async (trx) => {
      await trx('opt_in_keywords')
        .insert(row)
        .onConflict(['tenant_id', 'keyword'])
        .merge({ ...row, updated_at: trx.fn.now() });
      await recordAudit(trx, { actor: `tenant:${tenantId}`, actorKind: 'tenant', tenantId, action: 'opt_in_keyword.set', details: { keyword, ...settings } });
    });
    res.json({ keyword, ...settings, confirmationRequest: wording });
  });

  return router;
}
