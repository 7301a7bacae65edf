import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../src/dev/free-port';
import { SANDBOX_DEFAULTS } from '../src/sandbox/config';

/** The sandbox in its own process (its own core), as `npm run sandbox` runs it. */
export async function sandboxProcess(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...profileArgs(), '--import', 'tsx', path.resolve(__dirname, '../src/sandbox/main.ts')], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_SMTP_PORT: '0', SANDBOX_DEFAULT_MPS: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (
      await fetch(`${url}/__sandbox/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('sandbox did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** With BENCH_CPU_PROF_DIR set, each spawned part writes a V8 CPU profile there as it exits (open in Chrome DevTools). */
export const profileArgs = (): string[] => (process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []);

export const sandboxPlatform = { accountSid: SANDBOX_DEFAULTS.SANDBOX_ACCOUNT_SID, authToken: SANDBOX_DEFAULTS.SANDBOX_AUTH_TOKEN };

/** Runs `task` with `concurrency` workers until `total` calls are done; returns calls per second. */
export async function callsPerSecond(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round((total / seconds) * 10) / 10;
}
