import { Writable } from 'node:stream';
import { format } from 'node:util';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logger';

/**
 * Everything a test run logs, kept in memory: one logger built the way the API and the worker
 * build theirs (src/logger.ts, at `trace`), for the platform harness to hand to the API, the
 * activities and the Temporal runtime, plus whatever reaches the console meanwhile.
 */
export interface CapturedLogs {
  log: Logger;
  /** Every line written so far (pino's JSON lines and console output). */
  text(): string;
  /** Stops copying the console. */
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((m) => [m, console[m].bind(console)] as const);
  for (const [m, original] of originals) {
    console[m] = (...args: unknown[]) => {
      lines.push(`${format(...args)}\n`);
      original(...args);
    };
  }
  return {
    log: createLogger({ level: 'trace', name: 'clearsend-test' }, destination),
    text: () => lines.join(''),
    restore: () => {
      for (const [m, original] of originals) console[m] = original;
    },
  };
}
