import http from 'node:http';
import { sandboxHarness, type SandboxHarness } from '../support/sandbox';

/**
 * The twilio library keeps connections alive. A server that closes an idle one after Node's
 * default 5 s races the client's next request on it (ECONNRESET under load); the sandbox keeps
 * idle connections a minute, so a request after a pause reuses the same socket.
 */
describe('sandbox: keep-alive connections', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await sandboxHarness();
  });
  afterAll(() => h.close());

  const get = (agent: http.Agent) =>
    new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
      const req = http.get(`${h.sandbox.url}/2010-04-01/Accounts.json`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
      });
      req.on('error', reject);
    });

  it('keeps an idle connection open past 5 s, so the next request reuses it', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent);
      await new Promise((r) => setTimeout(r, 6_000));
      const second = await get(agent);
      expect(second.status).toBe(first.status);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
