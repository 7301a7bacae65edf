/**
 * Relay throughput: a campaign of N recipients (default 50,000) through the whole pipeline
 * (API → workflow → hygiene → Lookup → outbox relay → sandbox), with the sender's MPS set
 * far above what the machine can do, against the sandbox's own ceiling measured from the
 * `twilio` library at the relay's concurrency in the same run.
 */
import { randomBytes } from 'node:crypto';
import { createTwilioClientFactory } from '../src/twilio/client-factory';
import { sealSecret } from '../src/twilio/credential-sealing';
import { benchPlatform, runCampaign } from './_platform';
import { callsPerSecond, sandboxPlatform } from './_support';

export async function run(args: string[]) {
  const recipients = Number(args[0] ?? 50_000);
  const p = await benchPlatform({ workers: 1, env: { CAMPAIGN_BATCH_SIZE: String(recipients) } });
  try {
    const tenant = await p.activeTenant(10_000);
    await p.addContacts(tenant.id, recipients);
    const { seen, campaign } = await runCampaign(
      p,
      tenant,
      { name: 'relay bench', body: 'Bench Dental: your checkup is due. Reply STOP to opt out.', messageType: 'transactional', batchSize: recipients },
      'waiting',
    );
    const ledger = (await (await fetch(`${p.sandboxUrl}/__sandbox/ledger?from=${encodeURIComponent(tenant.from)}`)).json()) as {
      count: number;
      entries: Array<{ acceptedAt: string }>;
    };
    const times = ledger.entries.map((e) => Date.parse(e.acceptedAt)).sort((a, b) => a - b);
    const relaySeconds = (times[times.length - 1] - times[0]) / 1000;
    const msgsPerSec = Math.round((ledger.count / relaySeconds) * 10) / 10;

    // The ceiling: the same sandbox process, the twilio library, the relay's concurrency.
    const key = randomBytes(32).toString('base64');
    const factory = createTwilioClientFactory({
      TWILIO_ACCOUNT_SID: sandboxPlatform.accountSid,
      TWILIO_AUTH_TOKEN: sandboxPlatform.authToken,
      TWILIO_API_BASE: p.sandboxUrl,
      CREDENTIALS_KEY: key,
    });
    const account = await factory.platform().api.v2010.accounts.create({ friendlyName: 'bench:ceiling' });
    const client = factory.forSubaccount({ subaccountSid: account.sid, sealedAuthToken: sealSecret(account.authToken, key, account.sid) });
    const { phoneNumber: from } = await client.incomingPhoneNumbers.create({ areaCode: '415' });
    const concurrency = p.config.RELAY_CONCURRENCY;
    const send = (i: number) =>
      client.messages.create({
        from,
        to: `+1415${String(2000000 + i).padStart(7, '0')}`,
        body: `ceiling ${i}`,
        statusCallback: `${p.apiUrl}/webhooks/twilio/status`,
      });
    await callsPerSecond(500, concurrency, send);
    const ceilingMsgsPerSec = await callsPerSecond(Math.min(ledger.count, 10_000), concurrency, send);

    return {
      messages: ledger.count,
      recipients,
      dropped: (campaign.progress as { dropped: number }).dropped,
      msgsPerSec,
      ceilingMsgsPerSec,
      ratio: Math.round((msgsPerSec / ceilingMsgsPerSec) * 100) / 100,
      concurrency,
      secondsToRelayingPhase: Math.round((seen.relaying ?? 0) / 100) / 10,
      secondsToAllSent: Math.round((seen.waiting ?? 0) / 100) / 10,
    };
  } finally {
    await p.stop();
  }
}
