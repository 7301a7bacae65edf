/**
 * Scale: a campaign of N recipients (default 1,000,000) and one of 100,000 through the whole
 * platform. Reports the largest event count of any workflow run (continue-as-new keeps each
 * short), the worker's peak resident memory, and seconds per 100k recipients at both sizes
 * (start → every message accepted), whose ratio shows whether the pipeline grows linearly.
 */
import { campaignWorkflowId } from '../src/workflows/campaign-send/definitions';
import { benchPlatform, runCampaign, type BenchPlatform } from './_platform';

async function largestHistory(p: BenchPlatform, campaignId: string): Promise<{ runs: number; largestHistoryEvents: number }> {
  let runs = 0;
  let largest = 0;
  for await (const w of p.temporal.workflow.list({ query: `WorkflowId = '${campaignWorkflowId(campaignId)}'` })) {
    runs++;
    const described = await p.temporal.workflow.getHandle(w.workflowId, w.runId).describe();
    largest = Math.max(largest, described.historyLength);
  }
  return { runs, largestHistoryEvents: largest };
}

export async function run(args: string[]) {
  const size = Number(args[0] ?? 1_000_000);
  const base = Math.min(100_000, size);
  const batchSize = Math.max(1000, Math.ceil(size / 250));
  const p = await benchPlatform({ workers: 1, env: { CAMPAIGN_BATCH_SIZE: String(batchSize) } });
  try {
    const body = { name: 'scale bench', body: 'Bench Dental: your checkup is due. Reply STOP to opt out.', messageType: 'transactional' as const, batchSize };
    const small = await p.activeTenant(10_000);
    await p.addContacts(small.id, base, 0);
    const atBase = await runCampaign(p, small, body, 'waiting');
    const large = await p.activeTenant(10_000);
    await p.addContacts(large.id, size, base); // other numbers: no Lookup cache hits from the first run
    // A slow machine may need hours for a million; the limit only guards against a stuck run.
    const atSize = await runCampaign(p, large, body, 'waiting', 6 * 3_600_000);
    const secondsPer100k = (ms: number, n: number) => Math.round((ms / 1000 / (n / 100_000)) * 10) / 10;
    // Seconds per 100k recipients for the base campaign and the full-size one (`scale 20000`
    // runs both at 20,000, so the two are named by role, not by size).
    const bothCampaigns = (phaseMs: (seen: Record<string, number>) => number) => ({
      base: secondsPer100k(phaseMs(atBase.seen), base),
      full: secondsPer100k(phaseMs(atSize.seen), size),
    });
    const total = bothCampaigns((seen) => seen.waiting);
    const histories = await largestHistory(p, atSize.id);
    return {
      recipients: size,
      baseRecipients: base,
      batchSize,
      ...histories,
      workerPeakRssMb: p.workerPeakRssMb(),
      secondsPer100k: total,
      growthRatio: Math.round((total.full / total.base) * 100) / 100,
      // Where the time went: audience hygiene + Lookup, then the relay.
      preparingSecondsPer100k: bothCampaigns((seen) => seen.relaying),
      relayingSecondsPer100k: bothCampaigns((seen) => seen.waiting - seen.relaying),
    };
  } finally {
    await p.stop();
  }
}
