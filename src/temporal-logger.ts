import type { Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { RuntimeOptions } from '@temporalio/worker';

/** Routes the Temporal SDK's own log lines into pino, so everything is one JSON stream. */
export function temporalLoggerFrom(log: PinoLogger): Logger {
  const at = (level: Lowercase<LogLevel>) => (message: string, meta?: LogMetadata) => log[level]({ ...meta, sdk: 'temporal' }, message);
  return {
    log: (level, message, meta) => at(level.toLowerCase() as Lowercase<LogLevel>)(message, meta),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/**
 * The Temporal runtime's options for a process logging to `log`: the SDK's log lines and the
 * native core's (otherwise printed straight to stderr as text, past pino's redaction) in one
 * JSON stream.
 */
export function temporalRuntimeOptions(log: PinoLogger): RuntimeOptions {
  return { logger: temporalLoggerFrom(log), telemetryOptions: { logging: { forward: {} } } };
}
