import type { Server } from 'node:http';
import request from 'supertest';
import twilio from 'twilio';
import { freePort } from '../../src/dev/free-port';
import { newAuthToken, newSid } from '../../src/sandbox/ids';
import { sealSecret } from '../../src/twilio/credential-sealing';
import { apiHarness } from '../support/api';
import { sandboxHarness, until, type SandboxHarness } from '../support/sandbox';
import { testConfig } from '../support/test-env';

/** The status webhook, fed by the sandbox's real signed callbacks over HTTP. */
describe('POST /webhooks/twilio/status', () => {
  let sandbox: SandboxHarness;
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let server: Server;
  let base: string;
  const tenants: Array<{ id: string; sid: string; token: string; from: string; client: ReturnType<SandboxHarness['subaccountClient']> }> = [];

  beforeAll(async () => {
    sandbox = await sandboxHarness({ platform: { accountSid: newSid('AC'), authToken: newAuthToken() } });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await apiHarness(testConfig({ CREDENTIALS_KEY: sandbox.credentialsKey, PUBLIC_BASE_URL: base, TWILIO_API_BASE: sandbox.sandbox.url }));
    server = api.app.listen(port, '127.0.0.1');
    for (const name of ['status-a', 'status-b']) {
      const account = await sandbox.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
      const client = sandbox.subaccountClient(account.sid, account.authToken);
      const number = await client.incomingPhoneNumbers.create({ areaCode: '415' });
      const [tenant] = await api
        .db('tenants')
        .insert({ slug: `${name}-${account.sid.slice(-6)}`, business_name: name, status: 'active' })
        .returning<{ id: string }[]>('id');
      await api
        .db('tenant_credentials')
        .insert({ tenant_id: tenant.id, subaccount_sid: account.sid, sealed_auth_token: sealSecret(account.authToken, sandbox.credentialsKey, account.sid) });
      tenants.push({ id: tenant.id, sid: account.sid, token: account.authToken, from: number.phoneNumber, client });
    }
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await api.close();
    await sandbox.close();
  });

  const url = () => `${base}/webhooks/twilio/status`;
  const rowOf = (sid: string) => api.db('delivery_statuses').where({ message_sid: sid }).first();
  /** A callback signed as Twilio signs it, with `token`. */
  const post = (params: Record<string, string>, token: string) =>
    request(api.app)
      .post('/webhooks/twilio/status')
      .type('form')
      .set('x-twilio-signature', twilio.getExpectedTwilioSignature(token, url(), params))
      .send(params);

  it('records each message’s status from the sandbox’s signed callbacks, up to final', async () => {
    const [a] = tenants;
    await sandbox.control('/__sandbox/carrier', { body: { overrides: { '+14155550881': { status: 'undelivered', errorCode: 30005 } } } });
    const ok = await a.client.messages.create({ from: a.from, to: '+14155550880', body: 'hi', statusCallback: url() });
    const bad = await a.client.messages.create({ from: a.from, to: '+14155550881', body: 'hi', statusCallback: url() });
    await until(async () => (await rowOf(ok.sid))?.status === 'delivered' && (await rowOf(bad.sid))?.status === 'undelivered');
    expect(await rowOf(ok.sid)).toMatchObject({ tenant_id: a.id, status: 'delivered', error_code: null, callbacks: 2 });
    expect(await rowOf(bad.sid)).toMatchObject({ status: 'undelivered', error_code: 30005 });
    expect((await sandbox.control('/__sandbox/callback-failures')).body.failures).toEqual([]);
  });

  it('never moves a status backwards, and counts a retried callback once more without changing it', async () => {
    const [a] = tenants;
    const sid = newSid('SM');
    const params = (status: string) => ({
      AccountSid: a.sid,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: '+14155550882',
      From: a.from,
      ApiVersion: '2010-04-01',
    });
    await post(params('delivered'), a.token).expect(204);
    await post(params('sent'), a.token).expect(204);
    await post(params('delivered'), a.token).expect(204);
    expect(await rowOf(sid)).toMatchObject({ status: 'delivered', callbacks: 3 });
  });

  it('answers 403 only to the forged callback among concurrent ones written in the same batch', async () => {
    const [a, b] = tenants;
    const theirs = newSid('SM');
    await post({ AccountSid: a.sid, MessageSid: theirs, MessageStatus: 'sent' }, a.token).expect(204);
    const ours = Array.from({ length: 20 }, () => newSid('SM'));
    // Posted together, so they share the webhook's batched write (its flush waits a few ms).
    const answers = await Promise.all([
      ...ours.map((sid) => post({ AccountSid: a.sid, MessageSid: sid, MessageStatus: 'delivered' }, a.token)),
      post({ AccountSid: b.sid, MessageSid: theirs, MessageStatus: 'failed', ErrorCode: '30008' }, b.token),
      post({ AccountSid: a.sid, MessageSid: theirs, MessageStatus: 'delivered' }, a.token),
    ]);
    expect(answers.map((r) => r.status)).toEqual([...ours.map(() => 204), 403, 204]);
    for (const sid of ours) expect(await rowOf(sid)).toMatchObject({ tenant_id: a.id, status: 'delivered', callbacks: 1 });
    expect(await rowOf(theirs)).toMatchObject({ tenant_id: a.id, status: 'delivered', error_code: null, callbacks: 2 });
  });

  describe('with its write queue full', () => {
    // One writer, batches of one, one callback may wait: the smallest queue there is.
    let small: Awaited<ReturnType<typeof apiHarness>>;
    beforeAll(async () => {
      small = await apiHarness(
        testConfig({
          CREDENTIALS_KEY: sandbox.credentialsKey,
          PUBLIC_BASE_URL: base,
          TWILIO_API_BASE: sandbox.sandbox.url,
          STATUS_INGEST_MAX_BATCH: '1',
          STATUS_INGEST_MAX_IN_FLIGHT: '1',
          STATUS_INGEST_MAX_QUEUED: '1',
        }),
      );
    });
    afterAll(() => small.close());

    it('answers 503 with Retry-After (problem+json) at once and writes nothing for it; the queued callbacks are written', async () => {
      const [a] = tenants;
      const sid = newSid('SM');
      const params = { AccountSid: a.sid, MessageSid: sid, MessageStatus: 'delivered' };
      await post({ ...params, MessageStatus: 'sent' }, a.token).expect(204);
      // A transaction holding the message's row keeps the one writer busy on the first of three
      // identical callbacks; the second waits in the queue and the third finds it full.
      const lock = await api.db.transaction();
      const settled: request.Response[] = [];
      let all: Promise<request.Response[]>;
      try {
        await lock('delivery_statuses').where({ message_sid: sid }).forUpdate().first();
        const signature = twilio.getExpectedTwilioSignature(a.token, url(), params);
        all = Promise.all(
          [0, 1, 2].map(() =>
            request(small.app)
              .post('/webhooks/twilio/status')
              .type('form')
              .set('x-twilio-signature', signature)
              .send(params)
              .then((res) => (settled.push(res), res)),
          ),
        );
        await until(() => settled.length > 0);
      } finally {
        await lock.commit();
      }
      const [refused] = settled;
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 503 });
      expect((await all).map((r) => r.status).sort()).toEqual([204, 204, 503]);
      expect(await rowOf(sid)).toMatchObject({ status: 'delivered', callbacks: 3 });
    });
  });

  it.each([
    ['no signature', (p: Record<string, string>) => request(api.app).post('/webhooks/twilio/status').type('form').send(p)],
    ['a signature made with another token', (p: Record<string, string>) => post(p, 'not-the-token')],
    ['another tenant’s signature', (p: Record<string, string>) => post(p, tenants[1].token)],
    ['an unknown account', (p: Record<string, string>) => post({ ...p, AccountSid: newSid('AC') }, tenants[0].token)],
    [
      'a tampered body',
      (p: Record<string, string>) =>
        request(api.app)
          .post('/webhooks/twilio/status')
          .type('form')
          .set('x-twilio-signature', twilio.getExpectedTwilioSignature(tenants[0].token, url(), p))
          .send({ ...p, MessageStatus: 'failed' }),
    ],
  ])('answers 403 to %s and records nothing', async (_label, send) => {
    const sid = newSid('SM');
    const res = await send({ AccountSid: tenants[0].sid, MessageSid: sid, MessageStatus: 'delivered' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await rowOf(sid)).toBeUndefined();
  });

  it('answers 400 to a signed callback that is not a status callback, and records nothing', async () => {
    const sid = newSid('SM');
    await post({ AccountSid: tenants[0].sid, MessageSid: sid, MessageStatus: 'exploded' }, tenants[0].token).expect(400);
    // clearsend's own outcome for a message Twilio would not tell about: never Twilio's to report.
    await post({ AccountSid: tenants[0].sid, MessageSid: sid, MessageStatus: 'unknown' }, tenants[0].token).expect(400);
    await post({ AccountSid: tenants[0].sid, MessageSid: 'nope', MessageStatus: 'sent' }, tenants[0].token).expect(400);
    // Beyond PostgreSQL's integer: refused alone, rather than failing the batch it would share.
    await post({ AccountSid: tenants[0].sid, MessageSid: sid, MessageStatus: 'failed', ErrorCode: '99999999999' }, tenants[0].token).expect(400);
    expect(await rowOf(sid)).toBeUndefined();
  });
});
