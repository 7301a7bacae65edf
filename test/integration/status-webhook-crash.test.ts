import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { statusCallbackPlan, unmetExpectations, type PlannedCallback } from '../../bench/_status-sequences';
import { createDb, type Db } from '../../src/db/knex';
import { freePort } from '../../src/dev/free-port';
import { statusMovesForward } from '../../src/domain/delivery-status';
import { newAuthToken, newSid } from '../../src/sandbox/ids';
import { sealSecret } from '../../src/twilio/credential-sealing';
import { testConfig } from '../support/test-env';
import { spawnApi, type ServiceChild } from '../support/worker-process';

/**
 * The status webhook acknowledges (204) only what PostgreSQL has committed, batching or not:
 * the API, its own process, is SIGKILLed while 32 clients post Twilio's callback sequences;
 * after a restart every acknowledged callback's status is there (or a later one), and Twilio's
 * retries of the rest bring every message to its final status.
 */
describe('status webhook under SIGKILL', () => {
  let db: Db;
  let api: ServiceChild | undefined;
  afterAll(async () => {
    await api?.stop();
    await db.destroy();
  });

  it('loses no acknowledged callback and regresses no status when the API is killed mid-load', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = testConfig({ API_PORT: String(port), PUBLIC_BASE_URL: base });
    db = createDb(config.DATABASE_URL);
    const [tenant] = await db('tenants')
      .insert({ slug: `crash-${randomBytes(4).toString('hex')}`, business_name: 'Crash Dental', status: 'active' })
      .returning<{ id: string }[]>('id');
    const accountSid = newSid('AC');
    const token = newAuthToken();
    await db('tenant_credentials').insert({
      tenant_id: tenant.id,
      subaccount_sid: accountSid,
      sealed_auth_token: sealSecret(token, config.CREDENTIALS_KEY, accountSid),
    });

    const plan = statusCallbackPlan(6000);
    const url = `${base}/webhooks/twilio/status`;
    /** The API's answer to one callback: its HTTP status, or 0 when the connection died. */
    const postStatus = async (c: PlannedCallback): Promise<number> => {
      const params: Record<string, string> = {
        AccountSid: accountSid,
        MessageSid: c.messageSid,
        MessageStatus: c.status,
        ...(c.errorCode ? { ErrorCode: String(c.errorCode) } : {}),
      };
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params) },
          body: new URLSearchParams(params).toString(),
        });
        return res.status;
      } catch {
        return 0; // the connection died with the API: not acknowledged
      }
    };
    const post = async (c: PlannedCallback): Promise<boolean> => (await postStatus(c)) === 204;

    api = spawnApi(config);
    await api.ready;
    const acknowledged: PlannedCallback[] = [];
    const unacknowledged: PlannedCallback[] = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < plan.callbacks.length) {
          const c = plan.callbacks[next++];
          if (killed) {
            unacknowledged.push(c); // never reached the API: Twilio would retry it too
            continue;
          }
          if (await post(c)) acknowledged.push(c);
          else unacknowledged.push(c);
          // Mid-load: a third of the way through, with 32 posts in flight.
          if (!killed && acknowledged.length >= plan.callbacks.length / 3) killed = api?.kill();
        }
      }),
    );
    await killed;
    expect(acknowledged.length).toBeGreaterThanOrEqual(plan.callbacks.length / 3);
    expect(unacknowledged.length).toBeGreaterThan(0);

    api = spawnApi(config);
    await api.ready;
    const rows = async () =>
      new Map(
        (
          await db('delivery_statuses')
            .where({ tenant_id: tenant.id })
            .select<Array<{ message_sid: string; status: string; error_code: number | null; callbacks: number }>>('*')
        ).map((r) => [r.message_sid, r]),
      );
    const afterCrash = await rows();
    const lost = acknowledged.filter((c) => {
      const row = afterCrash.get(c.messageSid);
      return !row || statusMovesForward(row.status, c.status);
    });
    expect(lost).toEqual([]);

    // Twilio retries what was not acknowledged; then every message ends at its final status.
    // A 503 (the ingest queue is full: Retry-After) is the API asking for exactly that, so it is
    // posted again after a pause, a few times; any other refusal is a failure, named by its status.
    const delivered = async (c: PlannedCallback): Promise<number> => {
      let status = await postStatus(c);
      for (let tries = 1; status === 503 && tries < 5; tries++) {
        await new Promise((r) => setTimeout(r, 500));
        status = await postStatus(c);
      }
      return status;
    };
    for (let i = 0; i < unacknowledged.length; i += 32) {
      const answers = await Promise.all(unacknowledged.slice(i, i + 32).map(delivered));
      expect(answers.filter((status) => status !== 204)).toEqual([]);
    }
    const final = [...(await rows()).values()];
    // A callback committed just before the kill but never acknowledged is posted twice: counted twice.
    const unmet = unmetExpectations(
      plan.expected,
      final.map((r) => ({ ...r, callbacks: Math.min(r.callbacks, plan.expected.get(r.message_sid)?.callbacks ?? 0) })),
    );
    expect(unmet).toEqual([]);
    expect(final.length).toBe(plan.expected.size);
  }, 180_000);
});
