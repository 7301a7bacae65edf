import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnReaped } from './reaped';

/**
 * A long-running TypeScript entrypoint (worker, API, sandbox) run by `npm start` as a child:
 * its output prefixed with its name, stopped with SIGTERM (then SIGKILL after a grace period),
 * and stopped by its reaper within seconds should `npm start` die without stopping it.
 */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startService(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  nodeFlags: readonly string[] = [],
): ServiceProcess {
  // `node --import tsx` rather than the tsx CLI: no process between the reaper and the code,
  // so signals reach the code itself.
  const { child, killHard } = spawnReaped(process.execPath, [...nodeFlags, '--import', 'tsx', entry], env);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => out(`[${name}] ${line}`));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(killHard, graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}
