/**
 * Status webhook ingest: signed Twilio status callbacks per second that clearsend's API (its
 * own process, as benchPlatform runs it) validates and writes durably to PostgreSQL, beside a bare Express handler
 * (its own process, same parsing, no work) in the same run, from the same load generator.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import twilio from 'twilio';
import { freePort } from '../src/dev/free-port';
import { createTwilioClientFactory } from '../src/twilio/client-factory';
import { benchPlatform } from './_platform';
import { callsPerSecond, sandboxPlatform } from './_support';

async function serve(entry: string, env: Record<string, string>, readyLine: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env, API_PORT: String(port), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    for (const s of [child.stdout, child.stderr]) createInterface({ input: s }).on('line', (line) => line.includes(readyLine) && resolve());
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

export async function run(args: string[]) {
  const total = Number(args[0] ?? 20_000);
  const concurrency = Number(args[1] ?? 32);
  const p = await benchPlatform({ workers: 0 });
  try {
    const tenant = await p.activeTenant(10);
    const creds = await p.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>();
    const factory = createTwilioClientFactory({
      TWILIO_ACCOUNT_SID: sandboxPlatform.accountSid,
      TWILIO_AUTH_TOKEN: sandboxPlatform.authToken,
      TWILIO_API_BASE: p.sandboxUrl,
      CREDENTIALS_KEY: p.config.CREDENTIALS_KEY,
    });
    const token = (await factory.platform().api.v2010.accounts(creds.subaccount_sid).fetch()).authToken;

    const bare = await serve(path.resolve(__dirname, '_bare-express.ts'), {}, 'listening');
    try {
      // Signed beforehand: the generator only posts. Two callbacks per message (sent, then final).
      const callbacks = (base: string) =>
        Array.from({ length: total }, (_, i) => {
          const sid = `SM${randomBytes(16).toString('hex')}`;
          const params = {
            AccountSid: creds.subaccount_sid,
            MessageSid: sid,
            MessageStatus: i % 2 ? 'delivered' : 'sent',
            SmsStatus: 'sent',
            To: '+14155550100',
            From: tenant.from,
            ApiVersion: '2010-04-01',
          };
          const url = `${base}/webhooks/twilio/status`;
          return {
            url,
            body: new URLSearchParams(params).toString(),
            signature: twilio.getExpectedTwilioSignature(token, `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`, params),
          };
        });
      const post = (list: ReturnType<typeof callbacks>) => async (i: number) => {
        const c = list[i];
        const res = await fetch(c.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': c.signature },
          body: c.body,
        });
        if (res.status !== 204) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
      };
      const forApi = callbacks(p.apiUrl);
      const forBare = callbacks(bare.url);
      await callsPerSecond(500, concurrency, post(forApi));
      await callsPerSecond(500, concurrency, post(forBare));
      const clearsendPerSec = await callsPerSecond(total - 500, concurrency, (i) => post(forApi)(i + 500));
      const barePerSec = await callsPerSecond(total, concurrency, post(forBare));
      const rows = await p.db('delivery_statuses').where({ tenant_id: tenant.id }).count<{ n: string }[]>('* as n');
      return {
        callbacks: total,
        concurrency,
        callbacksPerSec: clearsendPerSec,
        bareExpressPerSec: barePerSec,
        ratio: Math.round((clearsendPerSec / barePerSec) * 100) / 100,
        rowsWritten: Number(rows[0].n),
      };
    } finally {
      await bare.stop();
    }
  } finally {
    await p.stop();
  }
}
