import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { findOnPath, isExecutable } from './executable-on-path';

/**
 * Finds the Temporal CLI (which embeds the dev server and its UI). The order is fixed:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, the versioned cache, a `go install` build into that
 * cache; `null` means none could be had and the caller lets the Temporal SDK download one.
 * Later CLI tags carry a `replace` directive that `go install` refuses, hence the pin.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';
export interface ResolvedTemporalCli {
  path: string;
  source: TemporalCliSource;
}

export function clearsendCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLEARSEND_CACHE_DIR) return env.CLEARSEND_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'clearsend');
}

export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(clearsendCacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Build with `go install` when nothing else is found (minutes the first time). */
  allowBuild?: boolean;
  log?: (line: string) => void;
}

export async function resolveTemporalCli(opts: ResolveOptions = {}): Promise<ResolvedTemporalCli | null> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);

  if (env.TEMPORAL_CLI_PATH) {
    // An explicit setting that is wrong is an error, not a reason to look elsewhere.
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'PATH' };

  const cached = cachedCliPath(env);
  if (isExecutable(cached)) return { path: cached, source: 'cache' };

  if (opts.allowBuild !== false && findOnPath('go', env)) {
    log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install into ${path.dirname(cached)} (takes minutes, once)`);
    const started = Date.now();
    await goInstallInto(cached, env);
    log(`built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s`);
    return { path: cached, source: 'go install' };
  }
  return null;
}

/**
 * Builds into a private directory and renames into place, so two builds racing (CI and a
 * developer, or two test runs) never leave a half-written binary in the cache.
 */
async function goInstallInto(target: string, env: NodeJS.ProcessEnv): Promise<void> {
  const versionDir = path.dirname(target);
  mkdirSync(path.dirname(versionDir), { recursive: true });
  const scratch = mkdtempSync(`${versionDir}.build-`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', `${GO_MODULE}@${TEMPORAL_CLI_VERSION}`], {
        env: { ...env, GOBIN: scratch },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`))));
    });
    mkdirSync(versionDir, { recursive: true });
    if (!existsSync(target)) renameSync(path.join(scratch, 'temporal'), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
