import type { Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

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
