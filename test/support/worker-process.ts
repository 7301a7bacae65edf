import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../../src/config';
import { testServices } from './test-env';

export interface ServiceChild {
  child: ChildProcess;
  ready: Promise<void>;
  output: string[];
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The real worker entrypoint (`npm run worker`) as its own process, so a test can SIGKILL it. */
export function spawnWorker(config: Config): ServiceChild {
  return spawnService(config, 'worker.ts', '"worker running"');
}

/** The real API entrypoint (`npm run api`) as its own process, on `config.API_PORT`. */
export function spawnApi(config: Config): ServiceChild {
  return spawnService(config, 'api/server.ts', '"API listening"');
}

function spawnService(config: Config, entry: string, readyLine: string): ServiceChild {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(config)) if (v !== undefined) env[k] = Array.isArray(v) ? v.join(',') : String(v);
  env.LOG_LEVEL = 'info';
  // The run's prebuilt bundle: a restarted worker is back in a second, not after a webpack build.
  env.WORKFLOW_BUNDLE_PATH = testServices().workflowBundlePath;
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../src', entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  for (const s of [child.stdout, child.stderr]) {
    if (s)
      createInterface({ input: s }).on('line', (line) => {
        output.push(line);
        if (line.includes(readyLine)) markReady();
      });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    ready,
    output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
