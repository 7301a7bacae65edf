import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { listening, npmStartSetting, printed, runNpmStart, type NpmStartPorts } from '../support/npm-start';
import { DATA_RETENTION_WORKFLOW_ID } from '../../src/workflows/data-retention/definitions';

const root = path.resolve(__dirname, '../..');

describe('npm start', () => {
  let ports: NpmStartPorts;
  let env: NodeJS.ProcessEnv;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    ({ ports, env, remove } = await npmStartSetting());
  });
  afterAll(() => remove());

  it('starts every part, reports healthy, stops cleanly on Ctrl-C, and keeps workflows across restarts', async () => {
    const first = runNpmStart(env);
    try {
      await printed(first, /clearsend is running/);
    } catch (err) {
      first.child.kill('SIGKILL');
      throw err;
    }
    const banner = first.output.join('\n');
    expect(banner).toContain(`http://127.0.0.1:${ports.API_PORT}`);
    expect(banner).toContain(`Temporal UI    http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    expect(banner).toContain(`Twilio sandbox http://127.0.0.1:${ports.SANDBOX_PORT}`);
    expect(banner).toContain(`Email          smtp://127.0.0.1:${ports.SANDBOX_SMTP_PORT}`);
    const firstCheck = /workflow (platform-self-check\/\S+) completed/.exec(banner)?.[1];
    // The platform's data retention runs from the first start on.
    expect(banner).toContain('started the data retention workflow');
    expect(firstCheck).toBeDefined();

    const health = await fetch(`http://127.0.0.1:${ports.API_PORT}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ checks: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
    expect((await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    // The browser console, built by npm start when missing or stale, is served by the API.
    expect(banner).toContain(`Console        http://127.0.0.1:${ports.API_PORT}/console`);
    const consolePage = await fetch(`http://127.0.0.1:${ports.API_PORT}/console`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<div id="app">');

    // `npm run demo` against this platform walks a tenant to active and says where to look.
    const demo = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/is active: subaccount AC[0-9a-f]{32}, number \+1\d{10}/);
    // Active only through an approved carrier registration, its phases shown as they passed.
    expect(demo.stdout).toMatch(/registration: brand_review[\s\S]*registration: campaign_review[\s\S]*registration: approved[\s\S]*is active/);
    expect(demo.stdout).toMatch(/its monitor: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/tenant-monitor%2F[0-9a-f-]{36}/);
    expect(demo.stdout).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/namespaces/default/workflows/tenant-lifecycle%2F`);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);

    // Second start: same data directory, so the first run's workflow is still on the server.
    const second = runNpmStart(env);
    try {
      await printed(second, /clearsend is running/);
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
      try {
        const client = new Client({ connection });
        const described = await client.workflow.getHandle(firstCheck!).describe();
        expect(described.status.name).toBe('COMPLETED');
        // The demo tenant's monitor, started at activation, is still watching after the restart.
        const monitorId = decodeURIComponent(/workflows\/(tenant-monitor%2F[0-9a-f-]{36})/.exec(demo.stdout)![1]);
        expect((await client.workflow.getHandle(monitorId).describe()).status.name).toBe('RUNNING');
        // Data retention kept running across the restart: the second start found it and started none.
        expect((await client.workflow.getHandle(DATA_RETENTION_WORKFLOW_ID).describe()).status.name).toBe('RUNNING');
        expect(second.output.join('\n')).not.toContain('started the data retention workflow');
      } finally {
        await connection.close();
      }
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  }, 300_000);
});
