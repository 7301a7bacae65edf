import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiNodeFlags, workerNodeFlags } from '../../src/node-flags';

/** `npm run worker` / `npm run api` (what docker-compose runs) must start the processes as `npm start` and the benches do. */
describe('node flags of the long-running processes', () => {
  const scripts = (JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it.each([
    ['worker', 'src/worker.ts', workerNodeFlags],
    ['api', 'src/api/server.ts', apiNodeFlags],
  ])('npm run %s passes its flags to tsx', (script, entry, flags) => {
    expect(flags.length).toBeGreaterThan(0);
    expect(scripts[script]).toBe(`tsx ${flags.join(' ')} ${entry}`);
  });
});
