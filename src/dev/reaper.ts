/**
 * `node --import tsx src/dev/reaper.ts <program> [args…]`: runs a program and stops it when
 * the supervisor that started us is gone, however it went, SIGKILL included. `npm start` runs
 * each of its services this way (src/dev/reaped.ts); signals we get are passed on, and we end
 * as the program ended.
 *
 * How we notice: the supervisor gives us a stdin pipe whose only write end it holds, and the
 * kernel closes that end when the supervisor dies, so EOF here cannot be missed or come late.
 * Why a wrapper process rather than each service watching its own stdin: the Temporal CLI is a
 * binary we do not change, and a watch preloaded into the worker with `--import` is loaded
 * again by its workflow threads, where it breaks. Linux's PR_SET_PDEATHSIG would need native
 * code (or util-linux's setpriv, which macOS lacks); polling the parent pid is late and racy.
 */
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';

/** Long enough for a service's orderly stop, short enough that its ports free quickly. */
const STOP_GRACE_MS = 5_000;

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('usage: reaper.ts <program> [args…]');
  process.exit(2);
}

const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.once('error', (err) => {
  console.error(`reaper: cannot run ${program}: ${err.message}`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  if (code !== null) process.exit(code);
  // Die of the same signal, so our parent sees what happened to the program.
  const sig = signal ?? 'SIGTERM';
  process.removeAllListeners(sig);
  process.kill(process.pid, sig);
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));

let gone = false;
function supervisorGone(): void {
  if (gone) return;
  gone = true;
  // Nobody reads our output any more: a write fails with EPIPE, which must not end us before the program.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
}

// Run by hand (stdin a terminal or a file) there is no supervisor to watch.
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.once('end', supervisorGone);
  process.stdin.once('close', supervisorGone);
  process.stdin.on('error', supervisorGone);
  process.stdin.resume();
}
