import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A long-running TypeScript entrypoint (worker, API, sandbox) run by `npm start` as a child:
 * its output prefixed with its name, stopped with SIGTERM (then SIGKILL after a grace period).
 */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startService(name: string, entry: string, env: NodeJS.ProcessEnv, out: (line: string) => void): ServiceProcess {
  // `node --import tsx` rather than the tsx CLI: one process, and signals reach the code itself.
  // detached: its own process group, so a terminal's Ctrl-C reaches only npm start, which
  // stops the services in order instead of all at once.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}
