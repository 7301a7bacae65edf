import { ConfigError } from './config';

/**
 * For entrypoints: run a settings loader and, when the settings are invalid, print which
 * ones are wrong and exit 1 instead of starting half-configured.
 */
export function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`clearsend cannot start: ${err.message}`);
    process.exit(1);
  }
}
