import { Writable } from 'node:stream';
import { SECRET_SETTINGS } from '../../src/config';
import { createLogger, logSerializers } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'info' }, stream) };
}

describe('logger', () => {
  it('writes JSON lines', () => {
    const { lines, log } = capture();
    log.info({ tenantId: 't1' }, 'hello');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'hello', tenantId: 't1', name: 'clearsend' });
  });

  it.each([
    ['an auth token', { authToken: 'tok-secret-1' }],
    ['a nested auth token', { subaccount: { sid: 'AC1', authToken: 'tok-secret-1' } }],
    ['an Authorization header', { req: { headers: { authorization: 'Basic tok-secret-1' } } }],
    ['an API key header', { req: { headers: { 'x-api-key': 'tok-secret-1' } } }],
    ['the credentials key', { CREDENTIALS_KEY: 'tok-secret-1' }],
  ])('redacts %s', (_label, obj) => {
    const { lines, log } = capture();
    log.info(obj, 'with a secret');
    expect(lines[0]).not.toContain('tok-secret-1');
    expect(lines[0]).toContain('[redacted]');
  });
});

describe('logger: no phone number or message text (issue 15)', () => {
  const logged = (obj: object, msg = 'line') => {
    const { lines, log } = capture();
    log.info(obj, msg);
    return lines[0];
  };

  it.each([
    ['a recipient', { to: '+14155552671' }, '"to":"+1…71"'],
    ['a sender, nested', { message: { from: '+14155552671' } }, '"from":"+1…71"'],
    ['a contact phone typed nationally', { contact: { phone: '(415) 555-2671' } }, '"phone":"…71"'],
    ['a webhook form', { To: '+14155552671', From: '+14155552671' }, '"To":"+1…71","From":"+1…71"'],
    ['an owner phone', { owner_phone: '+14155552671' }, '"owner_phone":"+1…71"'],
  ])('shows %s as its redacted form', (_label, obj, shown) => {
    const line = logged(obj);
    expect(line).not.toContain('4155552671');
    expect(line).toContain(shown);
  });

  it.each([
    ['a body', { body: 'Can I move my cleaning to Friday?' }, '"body":"[message text, 33 chars]"'],
    ['a webhook Body', { params: { Body: 'Can I move my cleaning to Friday?' } }, '"Body":"[message text, 33 chars]"'],
    ['a help text', { helpText: 'Can I move my cleaning to Friday?' }, '"helpText":"[message text, 33 chars]"'],
  ])('shows %s as its length', (_label, obj, shown) => {
    const line = logged(obj);
    expect(line).not.toContain('cleaning');
    expect(line).toContain(shown);
  });

  it('leaves from and to that are not numbers as they are (the escalation ladder’s moves)', () => {
    expect(logged({ tenantId: 't1', from: 'good', to: 'warned' })).toContain('"from":"good","to":"warned"');
  });

  it('redacts numbers in the message itself', () => {
    expect(logged({}, 'texted +14155552671 twice')).toContain('"msg":"texted +1…71 twice"');
  });

  it.each(['err', 'error'])('redacts numbers in an error under %s (message, stack, properties), keeping its code', (key) => {
    const twilioError = Object.assign(new Error("The 'To' number +15005550009 is not a valid phone number."), { code: 21211, status: 400, to: '+15005550009' });
    const line = logged({ [key]: twilioError }, 'send failed');
    expect(line).not.toContain('5005550009');
    expect(JSON.parse(line)[key]).toMatchObject({ message: "The 'To' number +1…09 is not a valid phone number.", code: 21211, status: 400 });
    expect(JSON.parse(line)[key].stack).toContain('+1…09');
  });

  it('gives pino-http serializers that redact request URLs, queries and path parameters', () => {
    const req = logSerializers.req({
      url: '/v1/compliance/tenants/t1/senders/%2B14155552671/mps?to=%2B14155552671',
      query: { to: '+14155552671' },
      params: { phoneNumber: '+14155552671' },
    });
    expect(JSON.stringify(req)).not.toContain('4155552671');
    expect(req.url).toBe('/v1/compliance/tenants/t1/senders/+1…71/mps?to=+1…71');
  });

  it.each([
    ['a sealed token', { sealedAuthToken: 'tok-secret-1' }],
    ['an SMTP URL with its password', { SMTP_URL: 'smtp://u:tok-secret-1@mail' }],
    ['a cookie', { req: { headers: { cookie: 'session=tok-secret-1' } } }],
    ['every secret setting of a logged config', Object.fromEntries(SECRET_SETTINGS.map((name) => [name, 'tok-secret-1']))],
    ['a nested data key', { config: { DATA_KEYS: 'tok-secret-1', ERASURE_HASH_KEY: 'tok-secret-1' } }],
    ['a database URL with its password', { config: { DATABASE_URL: 'postgres://u:tok-secret-1@db/clearsend' } }],
  ])('still blanks secrets: %s', (_label, obj) => {
    expect(logged(obj)).not.toContain('tok-secret-1');
  });
});
