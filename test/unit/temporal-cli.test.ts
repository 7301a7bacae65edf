import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cachedCliPath, resolveTemporalCli, TEMPORAL_CLI_VERSION } from '../../src/dev/temporal-cli';

function fakeExecutable(dir: string, name = 'temporal'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\necho fake\n');
  chmodSync(file, 0o755);
  return file;
}

describe('Temporal CLI resolution order', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'cs-cli-'));
  });

  const envWith = (extra: Record<string, string>) => ({ CLEARSEND_CACHE_DIR: path.join(root, 'cache'), PATH: path.join(root, 'empty-bin'), ...extra });

  it('caches by version outside the repo', () => {
    expect(cachedCliPath({ CLEARSEND_CACHE_DIR: '/x' })).toBe(`/x/temporal-cli/${TEMPORAL_CLI_VERSION}/temporal`);
    expect(TEMPORAL_CLI_VERSION).toBe('v1.5.1');
  });

  it('prefers TEMPORAL_CLI_PATH over PATH and the cache', async () => {
    const explicit = fakeExecutable(path.join(root, 'explicit'));
    const onPath = fakeExecutable(path.join(root, 'bin'));
    fakeExecutable(path.dirname(cachedCliPath(envWith({}))));
    const env = envWith({ TEMPORAL_CLI_PATH: explicit, PATH: path.dirname(onPath) });
    await expect(resolveTemporalCli({ env, allowBuild: false })).resolves.toEqual({ path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('fails loudly when TEMPORAL_CLI_PATH is wrong instead of silently using another', async () => {
    fakeExecutable(path.join(root, 'bin'));
    const env = envWith({ TEMPORAL_CLI_PATH: path.join(root, 'nope'), PATH: path.join(root, 'bin') });
    await expect(resolveTemporalCli({ env, allowBuild: false })).rejects.toThrow(/TEMPORAL_CLI_PATH/);
  });

  it('then takes temporal on PATH over the cache', async () => {
    const onPath = fakeExecutable(path.join(root, 'bin'));
    fakeExecutable(path.dirname(cachedCliPath(envWith({}))));
    await expect(resolveTemporalCli({ env: envWith({ PATH: path.dirname(onPath) }), allowBuild: false })).resolves.toEqual({ path: onPath, source: 'PATH' });
  });

  it('then the versioned cache', async () => {
    const cached = fakeExecutable(path.dirname(cachedCliPath(envWith({}))));
    await expect(resolveTemporalCli({ env: envWith({}), allowBuild: false })).resolves.toEqual({ path: cached, source: 'cache' });
  });

  it('returns null (let the SDK download) when nothing is found and building is not possible', async () => {
    // PATH has no `go` either, so even with building allowed there is nothing to build with.
    await expect(resolveTemporalCli({ env: envWith({}) })).resolves.toBeNull();
  });
});
