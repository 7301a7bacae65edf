import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createTwilioClientFactory, rewriteTwilioUri } from '../../src/twilio/client-factory';
import { sealSecret } from '../../src/twilio/credential-sealing';

interface Seen {
  method: string;
  path: string;
  user: string;
  password: string;
}

/** Captures whatever the twilio library sends, answering with an empty Twilio-shaped page. */
async function captureServer(): Promise<{ server: Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    seen.push({ method: req.method ?? '', path: req.url ?? '', user, password });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ meta: { page: 0, page_size: 50, key: 'items', next_page_url: null }, items: [] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, base: `http://127.0.0.1:${port}`, seen };
}

const key = randomBytes(32).toString('base64');
const platformSid = `AC${'a'.repeat(32)}`;

describe('Twilio client factory', () => {
  it.each([
    ['https://api.twilio.com/2010-04-01/Accounts.json?PageSize=5', 'http://127.0.0.1:4010/2010-04-01/Accounts.json?PageSize=5'],
    ['https://lookups.twilio.com/v2/PhoneNumbers/%2B15005550006', 'http://127.0.0.1:4010/v2/PhoneNumbers/%2B15005550006'],
    ['https://verify.twilio.com/v2/Services', 'http://127.0.0.1:4010/v2/Services'],
    ['https://messaging.twilio.com/v1/Services', 'http://127.0.0.1:4010/v1/Services'],
    ['https://example.com/callback', 'https://example.com/callback'],
  ])('rewrites %s', (from, to) => {
    expect(rewriteTwilioUri(from, new URL('http://127.0.0.1:4010'))).toBe(to);
  });

  it('keeps a base URL path prefix', () => {
    expect(rewriteTwilioUri('https://api.twilio.com/2010-04-01/Accounts.json', new URL('http://h/twilio/'))).toBe('http://h/twilio/2010-04-01/Accounts.json');
  });

  it('sends every Twilio product to TWILIO_API_BASE with the right credentials', async () => {
    const { server, base, seen } = await captureServer();
    try {
      const subSid = `AC${'b'.repeat(32)}`;
      const factory = createTwilioClientFactory({
        TWILIO_ACCOUNT_SID: platformSid,
        TWILIO_AUTH_TOKEN: 'platform-token',
        TWILIO_API_BASE: base,
        CREDENTIALS_KEY: key,
      });
      const platform = factory.platform();
      await platform.api.v2010.accounts.list({ limit: 1 });
      await platform.lookups.v2.phoneNumbers('+15005550006').fetch();
      await platform.verify.v2.services.list({ limit: 1 });
      await platform.messaging.v1.services.list({ limit: 1 });
      await platform.accounts.v1.credentials.aws.list({ limit: 1 });
      await factory.forSubaccount({ subaccountSid: subSid, sealedAuthToken: sealSecret('sub-token', key, subSid) }).messages.list({ limit: 1 });

      expect(seen.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual([
        'GET /2010-04-01/Accounts.json',
        'GET /v2/PhoneNumbers/+15005550006', // the library's own encoding, kept as is
        'GET /v2/Services',
        'GET /v1/Services',
        'GET /v1/Credentials/AWS',
        `GET /2010-04-01/Accounts/${subSid}/Messages.json`,
      ]);
      expect(seen.slice(0, 5).every((s) => s.user === platformSid && s.password === 'platform-token')).toBe(true);
      expect(seen[5]).toMatchObject({ user: subSid, password: 'sub-token' });
    } finally {
      server.close();
    }
  });

  it('gives up on an unanswered request after the timeout a subaccount client was made with; the default one is still waiting', async () => {
    // Answers nothing, ever: what a request in flight looks like to the client.
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const factory = createTwilioClientFactory({
        TWILIO_ACCOUNT_SID: platformSid,
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_API_BASE: `http://127.0.0.1:${port}`,
        CREDENTIALS_KEY: key,
      });
      const subSid = `AC${'e'.repeat(32)}`;
      const credentials = { subaccountSid: subSid, sealedAuthToken: sealSecret('sub-token', key, subSid) };
      let defaultSettled = false;
      const byDefault = factory
        .forSubaccount(credentials)
        .messages.list({ limit: 1 })
        .finally(() => (defaultSettled = true));
      byDefault.catch(() => undefined);
      await expect(
        factory.forSubaccount(credentials, { requestTimeoutMs: 300 }).messages.create({ to: '+15005550006', from: '+15005550001', body: 'x' }),
      ).rejects.toThrow(/timeout of 300ms exceeded/);
      expect(defaultSettled).toBe(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses a subaccount whose sealed token was tampered with', () => {
    const factory = createTwilioClientFactory({ TWILIO_ACCOUNT_SID: platformSid, TWILIO_AUTH_TOKEN: 't', CREDENTIALS_KEY: key });
    const subSid = `AC${'c'.repeat(32)}`;
    const sealed = sealSecret('sub-token', key, `AC${'d'.repeat(32)}`);
    expect(() => factory.forSubaccount({ subaccountSid: subSid, sealedAuthToken: sealed })).toThrow(/failed authentication/);
  });

  it('requires test credentials before making a test-credential client', () => {
    const factory = createTwilioClientFactory({ TWILIO_ACCOUNT_SID: platformSid, TWILIO_AUTH_TOKEN: 't', CREDENTIALS_KEY: key });
    expect(() => factory.testCredentials()).toThrow(/TWILIO_TEST_ACCOUNT_SID/);
  });
});
