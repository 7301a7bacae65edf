/**
 * Relay throughput: a campaign of N recipients (default 50,000) through the whole pipeline
 * (API → workflow → hygiene → Lookup → outbox relay → sandbox), with the sender's MPS set
 * far above what the machine can do, against the sandbox's own ceiling measured in the same
 * run right before the campaign: the `twilio` library at the relay's concurrency, as many
 * messages, from another active tenant's subaccount, so the API accepts and writes the
 * ceiling's status callbacks as it does the relay's (the same callback load on the machine).
 */
import { benchPlatform, runCampaign } from './_platform';
import { callsPerSecond } from './_support';
import type { Db } from '../src/db/knex';
import { tenantSubaccount } from '../src/db/tenant-credentials';
import { createTwilioClientFactory } from '../src/twilio/client-factory';

const BODY = 'Bench Dental: your checkup is due. Reply STOP to opt out.';
const FINAL = ['delivered', 'read', 'undelivered', 'failed'];

export async function run(args: string[]) {
  const recipients = Number(args[0] ?? 50_000);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const p = await benchPlatform({ workers: 1, env: { CAMPAIGN_BATCH_SIZE: String(recipients) } });
  try {
    const tenant = await p.activeTenant(10_000);
    const ceilingTenant = await p.activeTenant(10_000);
    await p.addContacts(tenant.id, recipients);

    // The ceiling: the same sandbox process, the twilio library, the relay's concurrency and
    // request (To, From, Body, StatusCallback), from a tenant's subaccount as the relay sends.
    const subaccount = await tenantSubaccount(p.db, createTwilioClientFactory(p.config), ceilingTenant.id);
    if (!subaccount) throw new Error('the ceiling tenant has no subaccount');
    const client = subaccount.client();
    const concurrency = p.config.RELAY_CONCURRENCY;
    const send = (i: number) =>
      client.messages.create({
        from: ceilingTenant.from,
        to: `+1415${String(2000000 + i).padStart(7, '0')}`,
        body: BODY,
        statusCallback: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
      });
    const warmUp = 500;
    await callsPerSecond(warmUp, concurrency, (i) => send(recipients + i));
    const ceilingMsgsPerSec = await callsPerSecond(recipients, concurrency, send);
    const ceilingCallbacks = await settledStatuses(p.db, ceilingTenant.id, warmUp + recipients, log);

    const { seen, campaign } = await runCampaign(
      p,
      tenant,
      { name: 'relay bench', body: BODY, messageType: 'transactional', batchSize: recipients },
      'waiting',
    );
    const ledger = (await (await fetch(`${p.sandboxUrl}/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).json()) as {
      count: number;
      entries: Array<{ acceptedAt: string }>;
    };
    const times = ledger.entries.map((e) => Date.parse(e.acceptedAt)).sort((a, b) => a - b);
    const relaySeconds = (times[times.length - 1] - times[0]) / 1000;
    const msgsPerSec = Math.round((ledger.count / relaySeconds) * 10) / 10;
    const relayCallbacks = await statusCounts(p.db, tenant.id);

    return {
      messages: ledger.count,
      recipients,
      dropped: (campaign.progress as { dropped: number }).dropped,
      msgsPerSec,
      ceilingMsgsPerSec,
      ratio: Math.round((msgsPerSec / ceilingMsgsPerSec) * 100) / 100,
      concurrency,
      ceilingMessages: warmUp + recipients,
      /** The ceiling's status callbacks the API accepted and wrote: message rows, final ones, callbacks counted. */
      ceilingStatusRows: ceilingCallbacks.rows,
      ceilingFinalStatusRows: ceilingCallbacks.final,
      ceilingCallbacksRecorded: ceilingCallbacks.callbacks,
      /** The relay's, when every message was sent (callbacks of the last ones are still arriving). */
      relayStatusRowsAtAllSent: relayCallbacks.rows,
      relayCallbacksRecordedAtAllSent: relayCallbacks.callbacks,
      secondsToRelayingPhase: Math.round((seen.relaying ?? 0) / 100) / 10,
      secondsToAllSent: Math.round((seen.waiting ?? 0) / 100) / 10,
    };
  } finally {
    await p.stop();
  }
}

/** What the API wrote of a tenant's status callbacks: rows, rows in a final status, callbacks counted. */
async function statusCounts(db: Db, tenantId: string) {
  const [row] = await db('delivery_statuses')
    .where({ tenant_id: tenantId })
    .select<Array<{ rows: string; final: string; callbacks: string | null }>>(
      db.raw('count(*) AS rows'),
      db.raw('count(*) FILTER (WHERE status = ANY(?)) AS final', [FINAL]),
      db.raw('sum(callbacks) AS callbacks'),
    );
  return { rows: Number(row.rows), final: Number(row.final), callbacks: Number(row.callbacks ?? 0) };
}

/**
 * Waits until every ceiling message has its final status written (or none arrives for 15 s),
 * so the campaign starts on a quiet API: the ceiling's callbacks load only the ceiling.
 */
async function settledStatuses(db: Db, tenantId: string, messages: number, log: (line: string) => void) {
  let last = await statusCounts(db, tenantId);
  let lastChange = Date.now();
  while (last.final < messages && Date.now() - lastChange < 15_000) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await statusCounts(db, tenantId);
    if (now.final !== last.final) lastChange = Date.now();
    last = now;
  }
  log(`ceiling: ${last.final} of ${messages} messages final in PostgreSQL (${last.callbacks} callbacks recorded)`);
  return last;
}
