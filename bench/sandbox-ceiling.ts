/**
 * The sandbox's own ceiling: messages it accepts per second from the `twilio` library (the
 * client factory clearsend uses, keep-alive on) at concurrency 1, 16 and 64, on loopback.
 * Later benchmarks divide the platform's throughput by this, measured in the same run.
 */
import { randomBytes } from 'node:crypto';
import { createTwilioClientFactory } from '../src/twilio/client-factory';
import { sealSecret } from '../src/twilio/credential-sealing';
import { callsPerSecond, sandboxPlatform, sandboxProcess } from './_support';

export async function run(args: string[]) {
  const perLevel = Number(args[0] ?? 3000);
  const sandbox = await sandboxProcess();
  try {
    const key = randomBytes(32).toString('base64');
    const factory = createTwilioClientFactory({
      TWILIO_ACCOUNT_SID: sandboxPlatform.accountSid,
      TWILIO_AUTH_TOKEN: sandboxPlatform.authToken,
      TWILIO_API_BASE: sandbox.url,
      CREDENTIALS_KEY: key,
    });
    const account = await factory.platform().api.v2010.accounts.create({ friendlyName: 'bench:ceiling' });
    const client = factory.forSubaccount({ subaccountSid: account.sid, sealedAuthToken: sealSecret(account.authToken, key, account.sid) });
    const { phoneNumber: from } = await client.incomingPhoneNumbers.create({ areaCode: '415' });
    const send = (i: number) => client.messages.create({ from, to: `+1415${String(2000000 + (i % 7000000)).padStart(7, '0')}`, body: `ceiling ${i}` });
    await callsPerSecond(200, 8, send); // warm up: JIT, sockets, OpenAPI-free path
    const result: Record<string, number> = { messagesPerLevel: perLevel };
    for (const c of [1, 16, 64]) result[`c${c}`] = await callsPerSecond(perLevel, c, send);
    const ledger = (await (await fetch(`${sandbox.url}/__sandbox/ledger?accountSid=${account.sid}`)).json()) as { count: number };
    result.ledgerCount = ledger.count;
    return result;
  } finally {
    await sandbox.stop();
  }
}
