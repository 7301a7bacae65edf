/**
 * MPS accuracy: the sender's MPS set to 10, two worker processes, two campaigns of the same
 * tenant relaying at once (so both workers send for that sender). The sandbox ledger's
 * acceptance times give the highest count in any calendar second and in any sliding second.
 */
import { benchPlatform, runCampaign } from './_platform';

export async function run(args: string[]) {
  const perCampaign = Number(args[0] ?? 200);
  const mps = 10;
  const p = await benchPlatform({ workers: 2, env: { CAMPAIGN_BATCH_SIZE: String(perCampaign) } });
  try {
    const tenant = await p.activeTenant(mps);
    await p.addContacts(tenant.id, perCampaign);
    const body = {
      name: 'mps bench',
      body: 'Bench Dental: your checkup is due. Reply STOP to opt out.',
      messageType: 'transactional' as const,
      batchSize: perCampaign,
    };
    await Promise.all([runCampaign(p, tenant, body, 'waiting'), runCampaign(p, tenant, body, 'waiting')]);
    const ledger = (await (await fetch(`${p.sandboxUrl}/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).json()) as {
      count: number;
      entries: Array<{ acceptedAt: string }>;
    };
    const times = ledger.entries.map((e) => Date.parse(e.acceptedAt)).sort((a, b) => a - b);
    const perSecond = new Map<number, number>();
    for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    let sliding = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      sliding = Math.max(sliding, i - j + 1);
    }
    const seconds = (times[times.length - 1] - times[0]) / 1000;
    return {
      mps,
      workers: 2,
      campaigns: 2,
      messages: ledger.count,
      maxPerSecond: Math.max(...perSecond.values()),
      maxPerSlidingSecond: sliding,
      meanPerSecond: Math.round((ledger.count / seconds) * 100) / 100,
      // Messages after the first over the time they took: 1 is exactly the MPS (the goal: at least 0.95).
      meanOfMps: Math.round(((ledger.count - 1) / seconds / mps) * 1000) / 1000,
    };
  } finally {
    await p.stop();
  }
}
