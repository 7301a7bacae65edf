import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { OnboardingStepAttribute, SEARCH_ATTRIBUTE_NAMES } from '../../src/workflows/search-attributes';

/**
 * `npm start` keeps the dev server's state in .data/temporal.db, and the dev server registers
 * its search attributes only when it creates the namespace: a state file from before an
 * attribute existed must still end up with it. Its own servers, one after the other on one file.
 */
describe('the Temporal dev server on a kept state file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clearsend-search-attributes-'));
  const dbFile = path.join(dir, 'temporal.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `use` against a dev server on the state file, then stops the server. */
  async function onServer<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
    const server = await startTemporalDevServer({ port: 'free', dbFile, headless: true });
    const connection = await Connection.connect({ address: server.address });
    try {
      return await use(connection);
    } finally {
      await connection.close();
      await server.stop();
    }
  }
  const registered = async (connection: Connection) =>
    Object.keys((await connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {});

  it('gets a search attribute the file was made without', async () => {
    const before = await onServer(async (connection) => {
      // As a file from before OnboardingStep existed.
      await connection.operatorService.removeSearchAttributes({ namespace: 'default', searchAttributes: [OnboardingStepAttribute.name] });
      return registered(connection);
    });
    expect(before).not.toContain(OnboardingStepAttribute.name);

    const after = await onServer(registered);
    expect(after).toEqual(expect.arrayContaining([...SEARCH_ATTRIBUTE_NAMES]));
  }, 120_000);
});
