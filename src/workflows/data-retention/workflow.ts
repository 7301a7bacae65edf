import { continueAsNew, patched, proxyActivities, setCurrentDetails, setHandler, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import type { DataProtectionActivities } from '../../activities/data-protection';
import { redactEveryQueuedPage } from '../redact-queued';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { DAY_MS, dataRetentionStateQuery, type DataRetentionInput, type DataRetentionState, type RetentionPass } from './definitions';

const TENANT_PAGE = 100;
const PURGE_PAGE = 500;
const REDACT_PAGE = 50;
const LIST_PAGE = 1000;
/** Passes recorded before a pass listed the subaccount's messages at Twilio replay without it. */
const LISTS_TWILIO_PATCH = 'retention-lists-twilio-messages';
const HEARTBEAT_TIMEOUT_MS = 60_000;

/**
 * The platform's data retention, for as long as the platform runs (continue-as-new keeps its
 * history short; a restart of the worker or of Temporal resumes where it was). Every
 * `intervalMs` a pass goes through every tenant: bodies of messages and replies older than the
 * tenant's retention period, and the text of finished campaigns whose last send is, are purged
 * from PostgreSQL a page at a time; the subaccount's old messages at Twilio are listed (what
 * clearsend never recorded, TwiML answers, is queued too) and every queued one redacted; and
 * what it did is reported per tenant (retention_runs). The workflow carries ids and counts only.
 */
export async function dataRetention(input: DataRetentionInput): Promise<void> {
  const acts = proxyActivities<DataProtectionActivities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS,
    retry: RETRY_UNTIL_IT_PASSES,
  });
  const dayMs = input.dayMs ?? DAY_MS;
  const purgePage = input.pageSizes?.purge ?? PURGE_PAGE;
  const redactPage = input.pageSizes?.redact ?? REDACT_PAGE;
  const listPage = input.pageSizes?.list ?? LIST_PAGE;
  const state: DataRetentionState = { passes: input.carried?.passes ?? 0, lastPass: input.carried?.lastPass };
  setHandler(dataRetentionStateQuery, () => state);
  let passesThisRun = 0;
  let resume = input.carried?.current;

  const resumeLater = (current: RetentionPass, afterTenantId: string) =>
    continueAsNew<typeof dataRetention>({ ...input, carried: { passes: state.passes, lastPass: state.lastPass, current: { ...current, afterTenantId } } });

  for (;;) {
    const pass: RetentionPass = resume
      ? { runId: resume.runId, startedAt: resume.startedAt, totals: resume.totals }
      : {
          runId: uuid4(),
          startedAt: new Date().toISOString(),
          totals: { tenants: 0, outboundPurged: 0, inboundPurged: 0, campaignsPurged: 0, twilioFound: 0, twilioRedacted: 0, twilioFailures: 0 },
        };
    let afterTenantId = resume?.afterTenantId ?? '00000000-0000-0000-0000-000000000000';
    resume = undefined;
    state.current = pass;
    state.nextPassAt = undefined;
    setCurrentDetails(`pass ${pass.runId} under way`);

    for (;;) {
      const tenants = await acts.retentionTenants({ afterId: afterTenantId, limit: TENANT_PAGE, only: input.onlyTenantIds });
      for (const tenant of tenants) {
        const cutoff = new Date(Date.now() - tenant.retentionDays * dayMs).toISOString();
        await acts.openRetentionRun({ runId: pass.runId, tenantId: tenant.id, retentionDays: tenant.retentionDays, cutoff });
        // The pages' answers show progress while the tenant is under way; the report row has the last word.
        const before = { ...pass.totals };
        for (;;) {
          const purged = await acts.purgeExpiredPage({ runId: pass.runId, tenantId: tenant.id, cutoff, limit: purgePage });
          pass.totals.outboundPurged += purged.outbound;
          pass.totals.inboundPurged += purged.inbound;
          // Answers recorded before campaigns were purged have no `campaigns`.
          pass.totals.campaignsPurged = (pass.totals.campaignsPurged ?? 0) + (purged.campaigns ?? 0);
          if (purged.outbound < purgePage && purged.inbound < purgePage && (purged.campaigns ?? 0) < purgePage) break;
        }
        // What Twilio holds that clearsend never recorded (TwiML answers such as HELP): listed and queued.
        if (patched(LISTS_TWILIO_PATCH)) {
          const listed = await acts.queueOldTwilioMessages({ runId: pass.runId, tenantId: tenant.id, cutoff, pageSize: listPage });
          pass.totals.twilioFound = (pass.totals.twilioFound ?? 0) + listed.found;
        }
        // Every queued redaction of the tenant, this pass's and any an earlier one could not finish.
        await redactEveryQueuedPage(
          acts.redactQueuedPage,
          { tenantId: tenant.id, limit: redactPage, report: { kind: 'retention', runId: pass.runId } },
          (page) => {
            pass.totals.twilioRedacted += page.redacted;
            pass.totals.twilioFailures += page.failed;
          },
        );
        // What the tenant's report row counted, pages included whose worker died before answering
        // (their work committed, counted there, but never added above). Histories recorded before
        // the activity answered with counts keep the pages' sums.
        const counted = await acts.closeRetentionRun({ runId: pass.runId, tenantId: tenant.id });
        if (counted) {
          pass.totals.outboundPurged = before.outboundPurged + counted.outboundPurged;
          pass.totals.inboundPurged = before.inboundPurged + counted.inboundPurged;
          if (counted.campaignsPurged !== undefined) pass.totals.campaignsPurged = (before.campaignsPurged ?? 0) + counted.campaignsPurged;
          if (counted.twilioFound !== undefined) pass.totals.twilioFound = (before.twilioFound ?? 0) + counted.twilioFound;
          pass.totals.twilioRedacted = before.twilioRedacted + counted.twilioRedacted;
          pass.totals.twilioFailures = before.twilioFailures + counted.twilioFailures;
        }
        pass.totals.tenants++;
        afterTenantId = tenant.id;
        if (workflowInfo().continueAsNewSuggested) await resumeLater(pass, afterTenantId);
      }
      if (tenants.length < TENANT_PAGE) break;
    }

    pass.finishedAt = new Date().toISOString();
    state.lastPass = pass;
    state.current = undefined;
    state.passes++;
    passesThisRun++;
    const t = pass.totals;
    setCurrentDetails(
      `last pass ${pass.finishedAt}: ${t.tenants} tenants, ${t.outboundPurged} messages, ${t.inboundPurged} replies and ${t.campaignsPurged ?? 0} campaigns' text purged, ${t.twilioFound ?? 0} found and ${t.twilioRedacted} redacted at Twilio, ${t.twilioFailures} failed`,
    );
    state.nextPassAt = new Date(Date.now() + input.intervalMs).toISOString();
    await sleep(input.intervalMs);
    if (passesThisRun >= (input.passesPerRun ?? 24) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof dataRetention>({ ...input, carried: { passes: state.passes, lastPass: state.lastPass } });
    }
  }
}
