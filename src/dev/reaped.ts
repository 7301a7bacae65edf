import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const reaper = path.join(__dirname, 'reaper.ts');

export interface ReapedProcess {
  /** The reaper; its stdout and stderr are the program's. */
  child: ChildProcess;
  /** SIGKILL to the reaper and the program together (the reaper alone would leave the program running). */
  killHard: () => void;
}

/**
 * Runs `program` for `npm start` under src/dev/reaper.ts, in its own process group: a
 * terminal's Ctrl-C reaches only npm start, which stops its parts in order, and if npm start
 * dies without stopping them the reaper stops the program within seconds.
 */
export function spawnReaped(program: string, args: string[], env: NodeJS.ProcessEnv): ReapedProcess {
  // stdin: the pipe whose closing tells the reaper that npm start is gone. We never write to it.
  const child = spawn(process.execPath, ['--import', 'tsx', reaper, program, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const killHard = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  };
  return { child, killHard };
}
