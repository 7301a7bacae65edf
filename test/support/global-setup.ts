import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { migrateToLatest } from '../../src/db/migrate';
import { TEST_ENV_KEYS, type TestServices } from './test-env';
import { ensureConsoleBuilt } from '../../scripts/build-console';

/**
 * Once per jest run: a real Temporal dev server on a free port, a fresh PostgreSQL database
 * with every migration applied, and the workflow bundle built once for every test file.
 * Test files find them through environment variables (inherited by jest's workers).
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const started = Date.now();
  const databaseServer = process.env.CLEARSEND_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
  const databaseUrl = `${databaseServer}/clearsend_test_${Date.now()}_${randomBytes(3).toString('hex')}`;

  const [server, , bundle] = await Promise.all([
    startTemporalDevServer({ port: 'free', headless: true, fast: true, log }),
    migrateToLatest(databaseUrl),
    bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log },
    }),
    // The API serves the browser console from dist/console: built when missing or older than its sources.
    ensureConsoleBuilt(log),
  ]);
  const bundlePath = path.join(tmpdir(), `clearsend-workflow-bundle-${process.pid}-${Date.now()}.js`);
  writeFileSync(bundlePath, bundle.code);

  const services: TestServices = { temporalAddress: server.address, databaseUrl, workflowBundlePath: bundlePath };
  process.env[TEST_ENV_KEYS.temporalAddress] = services.temporalAddress;
  process.env[TEST_ENV_KEYS.databaseUrl] = services.databaseUrl;
  process.env[TEST_ENV_KEYS.workflowBundlePath] = services.workflowBundlePath;
  // globalTeardown runs in this same process and reads this back to stop what was started.
  (globalThis as { __clearsendTeardown?: () => Promise<void> }).__clearsendTeardown = async () => {
    await server.stop();
    const { dropDatabase } = await import('../../src/db/ensure-database');
    await dropDatabase(databaseUrl);
    const { rmSync } = await import('node:fs');
    rmSync(bundlePath, { force: true });
  };
  log(`Temporal ${server.address}, database ${databaseUrl.split('/').pop()}, bundle ready in ${Date.now() - started} ms`);
}
