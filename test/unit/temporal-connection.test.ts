import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../../src/config';
import { temporalConnectionOptions, type TemporalConnectionSettings } from '../../src/temporal-connection';

/**
 * TLS to a real Temporal cluster (issue 12 item 5): the settings, under Temporal's own names,
 * become the options both the client's Connection and the worker's NativeConnection take, and
 * those connections present the client certificate (mTLS) to a TLS server made here.
 */
describe('Temporal connection settings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clearsend-temporal-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  beforeAll(() => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=clearsend test CA');
    const issue = (name: string, cn: string, extensions: string) => {
      writeFileSync(file(`${name}.ext`), extensions);
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
      );
    };
    issue('server', 'temporal.test', 'subjectAltName=DNS:temporal.test\nextendedKeyUsage=serverAuth\n');
    issue('client', 'clearsend-worker', 'extendedKeyUsage=clientAuth\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plain: TemporalConnectionSettings = { TEMPORAL_ADDRESS: 'temporal.example:7233' };
  const mtls = (): TemporalConnectionSettings => ({
    ...plain,
    TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key'),
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
  });
  const problemOf = (settings: TemporalConnectionSettings) => {
    try {
      temporalConnectionOptions(settings);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('reads the settings under Temporal’s names from the environment', () => {
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      CREDENTIALS_KEY: Buffer.alloc(32, 1).toString('base64'),
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/client.pem',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_API_KEY: 'key',
    });
    expect(config).toMatchObject({
      TEMPORAL_TLS: true,
      TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/client.pem',
      TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.key',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_API_KEY: 'key',
    });
  });

  it.each<[string, Partial<TemporalConnectionSettings>, object]>([
    ['nothing set: plain gRPC', {}, { address: 'temporal.example:7233' }],
    ['TEMPORAL_TLS=false: plain gRPC', { TEMPORAL_TLS: false }, { address: 'temporal.example:7233' }],
    ['TEMPORAL_TLS=true: TLS with the system’s roots', { TEMPORAL_TLS: true }, { address: 'temporal.example:7233', tls: {} }],
    [
      'a server name alone: TLS with that name',
      { TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' },
      { address: 'temporal.example:7233', tls: { serverNameOverride: 'temporal.internal' } },
    ],
    ['an API key: TLS, as Temporal Cloud wants', { TEMPORAL_API_KEY: 'k' }, { address: 'temporal.example:7233', apiKey: 'k', tls: {} }],
    [
      'an API key with TEMPORAL_TLS=false: no TLS, said to the SDK',
      { TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: false },
      { address: 'temporal.example:7233', apiKey: 'k', tls: false },
    ],
  ])('%s', (_label, settings, expected) => {
    expect(temporalConnectionOptions({ ...plain, ...settings })).toEqual(expected);
  });

  it('mTLS: the certificate, key and CA are read from their files', () => {
    expect(temporalConnectionOptions(mtls())).toEqual({
      address: 'temporal.example:7233',
      tls: {
        clientCertPair: { crt: readFileSync(file('client.pem')), key: readFileSync(file('client.key')) },
        serverRootCACertificate: readFileSync(file('ca.pem')),
        serverNameOverride: 'temporal.test',
      },
    });
  });

  it.each<[string, Partial<TemporalConnectionSettings>, RegExp]>([
    [
      'a certificate without its key',
      { TEMPORAL_TLS_CLIENT_KEY_PATH: undefined },
      /^TEMPORAL_TLS_CLIENT_KEY_PATH: is required with TEMPORAL_TLS_CLIENT_CERT_PATH/,
    ],
    [
      'a key without its certificate',
      { TEMPORAL_TLS_CLIENT_CERT_PATH: undefined },
      /^TEMPORAL_TLS_CLIENT_CERT_PATH: is required with TEMPORAL_TLS_CLIENT_KEY_PATH/,
    ],
    [
      'a certificate file that is not there',
      { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem' },
      /^TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read \/nonexistent\/client.pem \(ENOENT\)/,
    ],
    ['a CA file that is not there', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read/],
    ['TLS files with TEMPORAL_TLS=false', { TEMPORAL_TLS: false }, /^TEMPORAL_TLS: is false, but TLS settings/],
  ])('stops on %s, naming the setting', (_label, change, problem) => {
    expect(problemOf({ ...mtls(), ...change })).toEqual([expect.stringMatching(problem)]);
  });

  describe('against a TLS server that asks for a client certificate', () => {
    let server: http2.Http2SecureServer;
    let address: string;
    const handshakes: Array<{ clientCertificate: unknown; serverName: unknown }> = [];
    beforeAll(async () => {
      server = http2.createSecureServer({
        key: readFileSync(file('server.key')),
        cert: readFileSync(file('server.pem')),
        ca: readFileSync(file('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
      });
      server.on('secureConnection', (socket: TLSSocket) => {
        const peer = socket.getPeerCertificate();
        handshakes.push({ clientCertificate: peer.subject?.CN, serverName: socket.servername });
      });
      // Every call is answered UNIMPLEMENTED: the handshake is what is under test, not Temporal.
      server.on('stream', (stream) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '12', 'grpc-message': 'test server' }));
        stream.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => (handshakes.length = 0));

    it('the API’s Connection presents the client certificate and checks the server by name and CA', async () => {
      const connection = await Connection.connect({ ...temporalConnectionOptions({ ...mtls(), TEMPORAL_ADDRESS: address }), connectTimeout: '10s' }).catch(
        (err: unknown) => err,
      );
      if (connection instanceof Connection) await connection.close();
      expect(handshakes).toContainEqual({ clientCertificate: 'clearsend-worker', serverName: 'temporal.test' });
    });

    it('the worker’s NativeConnection presents it too', async () => {
      const connection = await NativeConnection.connect(temporalConnectionOptions({ ...mtls(), TEMPORAL_ADDRESS: address })).catch((err: unknown) => err);
      if (connection instanceof NativeConnection) await connection.close();
      expect(handshakes).toContainEqual({ clientCertificate: 'clearsend-worker', serverName: 'temporal.test' });
    });

    it('without the certificate, the server refuses the connection', async () => {
      const settings = { ...mtls(), TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined };
      await expect(Connection.connect({ ...temporalConnectionOptions(settings), connectTimeout: '3s' })).rejects.toThrow();
      expect(handshakes).toEqual([]);
    });
  });
});
