import { Runtime } from '@temporalio/worker';

let installed = false;

/** The Temporal runtime for tests: only errors reach the console (once per process). */
export function installQuietTemporalRuntime(): void {
  if (installed) return;
  installed = true;
  const quiet = () => undefined;
  Runtime.install({ logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: (m) => console.error(m) } });
}
