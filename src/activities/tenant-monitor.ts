import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { recordAudit } from '../db/audit';
import { credentialsOfTenant } from '../db/tenant-credentials';
import { countsThisHour, measureTenantRates, type TenantRates } from '../db/traffic-counters';
import { describeRate, type JudgedRate, type LadderMove, type LadderState } from '../domain/escalation-ladder';
import { monitorPolicyOf, type MonitorPolicy } from '../domain/monitor-policy';
import { adviceLines, REMINDER_TITLE, warnedReminderBody, type EvaluationFigures } from '../domain/monitor-advice';
import { callTwilio } from '../twilio/errors';
import type { JudgedSince } from '../workflows/tenant-monitor/definitions';

export type { MonitorPolicy };

export interface LadderMoveRecord {
  tenantId: string;
  /** The move's number in this tenant's history: a retried activity finds its own effects. */
  seq: number;
  move: LadderMove;
  /** `system:monitor`, or the staff member who decided. */
  actor: string;
  reason: string;
  /** The rates that moved it (empty for a person's decision). */
  rates: JudgedRate[];
}

export interface WarnedReminderRecord {
  tenantId: string;
  /** The move that made the tenant warned, and this reminder's number since then: each is written once. */
  warnedSeq: number;
  reminder: number;
  figures: EvaluationFigures;
}

const ADVICE = {
  errorRate:
    'Remove numbers that keep failing (landlines, disconnected numbers), re-check your list with a fresh import, and make sure messages go only to people who opted in.',
  optOutRate:
    'Send only to people who asked for your messages, lower how often you send, and make each message clearly useful and identified with your business name.',
} as const;

const NOTICE_TITLES: Partial<Record<LadderState, string>> = {
  warned: 'Your messaging is approaching a compliance limit',
  under_review: 'Your messaging is under compliance review: new campaigns are held',
  suspended: 'Your sending is suspended',
  good: 'Your messaging is back in good standing',
};

/**
 * The tenant monitor's I/O: rolling rates from the counters PostgreSQL keeps by trigger (a
 * few hundred small rows per tenant, whatever its message count), the effects of each move
 * on the ladder, and the subaccount's status at Twilio.
 */
export function createTenantMonitorActivities({ db, twilio, config, log }: ActivityDeps) {
  return {
    async monitorPolicy(): Promise<MonitorPolicy> {
      return monitorPolicyOf(config);
    },

    async measureTenantRates(input: { tenantId: string; windowsHours: number[]; since?: JudgedSince }): Promise<TenantRates> {
      return measureTenantRates(db, input.tenantId, input.windowsHours, input.since);
    },

    /** The current hour's counts, as the starting line for judging after a person's decision. */
    async judgeFromNow(tenantId: string): Promise<JudgedSince> {
      return countsThisHour(db, tenantId);
    },

    /**
     * Everything a move changes in PostgreSQL, in one transaction and once per (tenant, seq):
     * the tenant's sending state (campaigns are refused from under_review on), the audit
     * log, a notice to the tenant, and the compliance case a person decides.
     */
    async recordLadderMove(r: LadderMoveRecord): Promise<{ noticeId?: string; caseId?: string }> {
      // Which codes and campaigns are behind a failing rate, for the notice's advice.
      const failing = NOTICE_TITLES[r.move.to] && r.move.to !== 'good' && r.rates.some((x) => x.band === 'bad' || x.band === 'approaching');
      const measured = failing ? await measureTenantRates(db, r.tenantId, config.MONITOR_WINDOWS_HOURS) : undefined;
      const specific = measured ? adviceLines({ rates: r.rates, errorCodes: measured.errorCodes, campaigns: measured.campaigns ?? [] }) : [];
      return db.transaction(async (trx) => {
        const tenant = await trx('tenants').where({ id: r.tenantId }).forUpdate().first<{ business_name: string } | undefined>('business_name');
        if (!tenant) throw ApplicationFailure.nonRetryable(`no tenant ${r.tenantId}`, 'NotFound');
        const inserted = await trx('monitor_moves')
          .insert({
            tenant_id: r.tenantId,
            seq: r.seq,
            from_state: r.move.from,
            to_state: r.move.to,
            why: r.move.why,
            actor: r.actor,
            reason: r.reason,
            figures: JSON.stringify(r.rates),
          })
          .onConflict(['tenant_id', 'seq'])
          .ignore()
          .returning('seq');
        const caseKey = `monitor:${r.tenantId}:${r.seq}`;
        if (!inserted.length) {
          const notice = await trx('tenant_notices')
            .where({ tenant_id: r.tenantId })
            .whereRaw(`details->>'moveSeq' = ?`, [String(r.seq)])
            .first<{ id: string } | undefined>('id');
          const opened = await trx('compliance_cases').where({ opened_by_key: caseKey }).first<{ id: string } | undefined>('id');
          return { noticeId: notice ? String(notice.id) : undefined, caseId: opened?.id };
        }
        await trx('tenants').where({ id: r.tenantId }).update({ sending_state: r.move.to, updated_at: trx.fn.now() });
        await recordAudit(trx, {
          actor: r.actor,
          actorKind: r.actor.startsWith('staff:') ? 'staff' : 'system',
          tenantId: r.tenantId,
          action: 'monitor.state_changed',
          reason: r.reason,
          details: { from: r.move.from, to: r.move.to, why: r.move.why, rates: r.rates },
        });

        // A case a person decides stays open from under_review until someone (or recovery) closes it.
        const openCases = trx('compliance_cases').where({ tenant_id: r.tenantId, kind: 'monitor_review', status: 'open' });
        let caseId: string | undefined;
        if (r.move.to === 'under_review' || (r.move.to === 'suspended' && r.move.why === 'escalated')) {
          caseId = (await openCases.clone().first<{ id: string } | undefined>('id'))?.id;
          if (!caseId) {
            const recentCampaigns = await trx('campaigns')
              .where({ tenant_id: r.tenantId })
              .orderBy('created_at', 'desc')
              .limit(5)
              .select('id', 'name', 'status', 'created_at as createdAt');
            [{ id: caseId }] = await trx('compliance_cases')
              .insert({
                tenant_id: r.tenantId,
                kind: 'monitor_review',
                summary: `${tenant.business_name}: ${r.reason}`,
                details: JSON.stringify({ state: r.move.to, rates: r.rates, recentCampaigns }),
                opened_by_key: caseKey,
              })
              .returning<Array<{ id: string }>>('id');
          }
        } else if (r.move.from === 'under_review' || r.move.from === 'suspended' || r.move.to === 'suspended') {
          const decided = r.move.why === 'staff' ? (r.move.to === 'suspended' ? 'rejected' : 'approved') : 'closed';
          await openCases.clone().update({ status: decided, decided_at: trx.fn.now(), decided_by: r.actor, decision_reason: r.reason });
        }

        const title = NOTICE_TITLES[r.move.to];
        let noticeId: string | undefined;
        if (title) {
          const worst = r.rates.find((x) => x.band === 'bad') ?? r.rates.find((x) => x.band === 'approaching');
          const body = [
            `Your account moved from "${r.move.from}" to "${r.move.to}": ${r.reason}.`,
            ...r.rates.filter((x) => x.band !== 'unjudged').map((x) => `- ${describeRate(x)}`),
            worst ? `What to do: ${ADVICE[worst.metric]}` : '',
            ...specific,
            r.move.to === 'under_review' ? 'New campaigns are held until a compliance officer reviews your account.' : '',
            r.move.to === 'suspended' ? 'Sending is blocked and your Twilio subaccount is suspended until a compliance officer reinstates you.' : '',
          ]
            .filter(Boolean)
            .join('\n');
          [{ id: noticeId }] = await trx('tenant_notices')
            .insert({
              tenant_id: r.tenantId,
              kind: `monitor.${r.move.to}`,
              title,
              body,
              details: JSON.stringify({ moveSeq: r.seq, from: r.move.from, to: r.move.to, rates: r.rates }),
              email_status: 'pending',
            })
            .returning<Array<{ id: string }>>('id');
          noticeId = String(noticeId);
        }
        log.info({ tenantId: r.tenantId, from: r.move.from, to: r.move.to, why: r.move.why }, 'tenant moved on the escalation ladder');
        return { noticeId, caseId };
      });
    },

    /**
     * A reminder to a tenant that stays warned: a notice with the evaluation's figures and
     * advice for the codes and campaigns behind them, once per (tenant, warned move, number).
     */
    async recordWarnedReminder(r: WarnedReminderRecord): Promise<{ noticeId: string }> {
      return db.transaction(async (trx) => {
        const tenant = await trx('tenants').where({ id: r.tenantId }).forUpdate().first<{ id: string } | undefined>('id');
        if (!tenant) throw ApplicationFailure.nonRetryable(`no tenant ${r.tenantId}`, 'NotFound');
        const done = await trx('monitor_reminders')
          .where({ tenant_id: r.tenantId, warned_seq: r.warnedSeq, reminder: r.reminder })
          .first<{ notice_id: string } | undefined>('notice_id');
        if (done) return { noticeId: String(done.notice_id) };
        const [{ id }] = await trx('tenant_notices')
          .insert({
            tenant_id: r.tenantId,
            kind: 'monitor.reminder',
            title: REMINDER_TITLE,
            body: warnedReminderBody(r.reminder, r.figures),
            details: JSON.stringify({ warnedSeq: r.warnedSeq, reminder: r.reminder, ...r.figures }),
            email_status: 'pending',
          })
          .returning<Array<{ id: string }>>('id');
        await trx('monitor_reminders').insert({ tenant_id: r.tenantId, warned_seq: r.warnedSeq, reminder: r.reminder, notice_id: id });
        log.info({ tenantId: r.tenantId, warnedSeq: r.warnedSeq, reminder: r.reminder }, 'reminded a warned tenant');
        return { noticeId: String(id) };
      });
    },

    /** Suspends or re-activates the tenant's Twilio subaccount (only the parent account may). */
    async setSubaccountStatus(input: { tenantId: string; status: 'suspended' | 'active' }): Promise<void> {
      const creds = await credentialsOfTenant(db, input.tenantId);
      if (!creds) throw ApplicationFailure.nonRetryable(`tenant ${input.tenantId} has no subaccount`, 'NoSubaccount');
      const account = twilio.platform().api.v2010.accounts(creds.subaccountSid);
      const current = await callTwilio('fetch subaccount', () => account.fetch());
      if (current.status !== input.status) await callTwilio(`set subaccount ${input.status}`, () => account.update({ status: input.status }));
    },
  };
}
