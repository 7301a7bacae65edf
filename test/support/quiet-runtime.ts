import { Runtime, type RuntimeOptions } from '@temporalio/worker';

let installed = false;

/**
 * The Temporal runtime for tests: only errors reach the console (once per process). A test that
 * reads what the SDK logs (test/e2e/log-residency.e2e.test.ts) passes its own `options`.
 */
export function installQuietTemporalRuntime(options?: RuntimeOptions): void {
  if (installed) return;
  installed = true;
  const quiet = () => undefined;
  Runtime.install(options ?? { logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: (m) => console.error(m) } });
}
