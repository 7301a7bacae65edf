/**
 * Twilio's default opt-out handling: the whole message body, trimmed and in any case, is
 * one of these words. "Stop sending me these" is not a keyword (Twilio does not act on it);
 * the compliance engine reads such free text (src/domain/compliance/reply-intent.ts).
 */
export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type InboundKeyword = 'opt-out' | 'opt-in' | 'help';

const BY_WORD = new Map<string, InboundKeyword>([
  ...OPT_OUT_KEYWORDS.map((k) => [k, 'opt-out'] as const),
  ...OPT_IN_KEYWORDS.map((k) => [k, 'opt-in'] as const),
  ...HELP_KEYWORDS.map((k) => [k, 'help'] as const),
]);

export function classifyInboundKeyword(body: string): InboundKeyword | null {
  // Trailing punctuation ("STOP.", "stop!") is how people type; Twilio matches those too.
  return (
    BY_WORD.get(
      body
        .trim()
        .replace(/[.!?]+$/, '')
        .toUpperCase(),
    ) ?? null
  );
}
