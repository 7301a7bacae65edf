import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Plain legitimate messages (questions, confirmations, pickups, outages, some Spanish), one a
 * line, written for measuring how often the judgement holds ordinary traffic. Never added to the
 * corpus: a probe, not training data.
 */
export const PLAIN_MESSAGES_FILE = path.resolve(__dirname, '../fixtures/plain-messages.txt');

export function readPlainMessages(): string[] {
  return readFileSync(PLAIN_MESSAGES_FILE, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
