import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { requireStaff, staffActorOf } from '../auth';
import { HttpProblem } from '../problem';
import { sendingSettingsOf } from '../sending-settings';
import { e164, senderThroughputSchema } from './tenant-schemas';
import { recordAudit } from '../../db/audit';
import { lockedSenderLimits, updateSenderLimits, type SenderLimits } from '../../db/sender-limits';

const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });

/** Staff's change of a sender's limits: its MPS, its daily cap in segments (null: none), or both. */
const senderLimitsSchema = senderThroughputSchema
  .partial({ mps: true })
  .extend({ dailyCap: z.number().int().min(1).max(10_000_000).nullable().optional() })
  .refine((b) => b.mps !== undefined || b.dailyCap !== undefined, { message: 'name mps, dailyCap or both', path: ['mps'] });

/** A limit above the registration's ceiling: 422 naming the field, the ceiling and the class (not the number: problems never carry one). */
function aboveCeiling(sender: SenderLimits, field: 'mps' | 'dailyCap', asked: number | null, ceiling: number): HttpProblem {
  const unit = field === 'mps' ? 'segments per second' : 'segments a day';
  return new HttpProblem(
    422,
    'Above the registered throughput',
    `${field} ${asked ?? 'none (uncapped)'} is above what this sender's carrier registration allows: ${ceiling} ${unit} (class ${sender.throughputClass}). Staff may only lower it.`,
    { field, ceiling, throughputClass: sender.throughputClass },
  );
}

/**
 * A sender's limits follow its carrier registration's throughput class, set when the
 * registration is approved. Staff may lower them (e.g. after complaints) and raise them back
 * up to that ceiling, never above it; a sender without an approved registration has no ceiling.
 * The relay reads them before every page, so running campaigns follow at once. Each change is
 * audited (`sender.mps_changed`, `sender.daily_cap_changed`).
 */
export function senderLimitRoutes({ db }: Pick<ApiDeps, 'db'>): Router {
  const router = Router();
  router.put('/v1/compliance/tenants/:id/senders/:phoneNumber/mps', requireStaff('senders.limits'), async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const phoneNumber = e164.parse(req.params.phoneNumber);
    const { mps, dailyCap, reason } = senderLimitsSchema.parse(req.body);
    const by = staffActorOf(res);
    await db.transaction(async (trx) => {
      const sender = await lockedSenderLimits(trx, tenantId, phoneNumber);
      if (!sender) throw new HttpProblem(404, 'Not found', `Tenant ${tenantId} has no such sending number.`);
      const next = { mps: mps ?? sender.mps, dailyCap: dailyCap === undefined ? sender.dailyCap : dailyCap };
      const { ceiling } = sender;
      if (ceiling && next.mps > ceiling.mps && next.mps !== sender.mps) throw aboveCeiling(sender, 'mps', next.mps, ceiling.mps);
      const capAbove = (cap: number | null) => ceiling?.dailyCap != null && (cap === null || cap > ceiling.dailyCap);
      if (capAbove(next.dailyCap) && next.dailyCap !== sender.dailyCap) throw aboveCeiling(sender, 'dailyCap', next.dailyCap, ceiling!.dailyCap!);
      await updateSenderLimits(trx, tenantId, phoneNumber, next);
      const audit = (action: string, from: number | null, to: number | null) =>
        recordAudit(trx, { actor: by, actorKind: 'staff', tenantId, action, reason, details: { phoneNumber, from, to } });
      if (next.mps !== sender.mps) await audit('sender.mps_changed', sender.mps, next.mps);
      if (next.dailyCap !== sender.dailyCap) await audit('sender.daily_cap_changed', sender.dailyCap, next.dailyCap);
    });
    res.json(await sendingSettingsOf(db, tenantId));
  });
  return router;
}
