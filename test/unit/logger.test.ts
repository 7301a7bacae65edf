import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

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
