import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/workflows/search-attributes';

/**
 * There is no Docker engine here, so docker-compose.yml is checked two ways: Debian's
 * `docker-compose config -q` validates it against the Compose schema and resolves every
 * variable, and the parsed file is held to what clearsend needs of it.
 */
const root = path.resolve(__dirname, '../..');
const composeFile = path.join(root, 'docker-compose.yml');
const requiredEnv = { POSTGRES_PASSWORD: 'pw', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'tok', CREDENTIALS_KEY: 'a2V5' };

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  ports?: Array<string | { target: number | string; published?: number | string; host_ip?: string }>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

/** A port as Compose publishes it, short (`[HOST_IP:]PUBLISHED:TARGET`) or long syntax; no host IP means every interface. */
function publishedOn(port: NonNullable<Service['ports']>[number]): { hostIp: string; published: string; target: string } {
  if (typeof port !== 'string') return { hostIp: port.host_ip ?? '0.0.0.0', published: String(port.published ?? ''), target: String(port.target) };
  const parts = port.split(':');
  const [target, published = '', hostIp = '0.0.0.0'] = [...parts].reverse();
  return { hostIp, published, target };
}

const hasDockerCompose = spawnSync('docker-compose', ['version', '--short']).status === 0;

describe('docker-compose.yml', () => {
  (hasDockerCompose ? it : it.skip)('is valid Compose (docker-compose config -q)', () => {
    execFileSync('docker-compose', ['-f', composeFile, '--profile', 'sandbox', 'config', '-q'], { env: { ...process.env, ...requiredEnv }, cwd: root });
  });

  it('has docker-compose available in CI', () => {
    // Locally it may be missing (the config check above is then skipped); CI installs it.
    if (process.env.CI) expect(hasDockerCompose).toBe(true);
  });

  it('refuses to start without the secrets instead of using defaults', () => {
    if (!hasDockerCompose) return;
    for (const missing of Object.keys(requiredEnv)) {
      const env: NodeJS.ProcessEnv = { ...process.env, ...requiredEnv };
      delete env[missing];
      const result = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], { env, cwd: root, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(missing);
    }
  });

  it('runs PostgreSQL, Temporal on PostgreSQL, its UI, and clearsend migrate / worker / API', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'temporal-search-attributes', 'migrate', 'worker', 'api', 'sandbox']),
    );
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services.migrate.command).toEqual(['npm', 'run', 'migrate']);
    expect(services.worker.command).toEqual(['npm', 'run', 'worker']);
    expect(services.api.command).toEqual(['npm', 'run', 'api']);
    expect(services.sandbox.profiles).toEqual(['sandbox']);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image) expect([name, s.image]).toEqual([name, expect.stringMatching(/:\d[\w.-]*$|^clearsend:local$/)]);
    }
  });

  it.each(['worker', 'api'])('starts %s only after migrations ran and PostgreSQL and Temporal are healthy', (name) => {
    expect(services[name].depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
      temporal: { condition: 'service_healthy' },
    });
  });

  it('registers the custom search attributes before the worker starts', () => {
    const command = String(services['temporal-search-attributes'].command);
    // Every attribute the workflows use, from the one list the dev server registers too.
    for (const name of SEARCH_ATTRIBUTE_NAMES) expect(command).toContain(` ${name}`);
    expect(command).toContain('--type Keyword');
    expect(services.worker.depends_on).toMatchObject({ 'temporal-search-attributes': { condition: 'service_completed_successfully' } });
  });

  it('publishes the API on its default port', () => {
    expect(services.api.ports).toContain('3000:3000');
  });

  // Whoever reaches Temporal can signal any workflow (approve a tenant without a staff key), and its UI has no login.
  it('publishes nothing of Temporal: gRPC on the private network only, the UI on 127.0.0.1 only', () => {
    expect(services.temporal.ports ?? []).toEqual([]);
    expect(services['temporal-search-attributes'].ports ?? []).toEqual([]);
    expect((services['temporal-ui'].ports ?? []).map(publishedOn)).toEqual([{ hostIp: '127.0.0.1', published: '8233', target: '8080' }]);
    for (const [name, s] of Object.entries(services)) {
      const published = (s.ports ?? []).map(publishedOn);
      const onTemporal = published.filter((p) => (name.startsWith('temporal') || p.target === '7233' || p.published === '7233') && p.hostIp !== '127.0.0.1');
      expect([name, onTemporal]).toEqual([name, []]);
    }
  });

  it('takes every secret from the environment, never a literal', () => {
    for (const s of Object.values(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (/TOKEN|KEY|PASSWORD|PWD/.test(key)) expect([key, String(value)]).toEqual([key, expect.stringMatching(/^\$\{\w+:[?-]/)]);
      }
    }
  });

  it('builds an image that runs as a non-root user', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });
});
