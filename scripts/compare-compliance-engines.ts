/**
 * Compares the compliance judgement of another checkout with this one's, message by message, for
 * a change that must not alter any verdict (a speed-up, a code move):
 *
 *   git worktree add --detach /tmp/engine-before <commit> && ln -s "$PWD/node_modules" /tmp/engine-before/
 *   npx tsx scripts/compare-compliance-engines.ts /tmp/engine-before            (about 30 s a core)
 *   npx tsx scripts/compare-compliance-engines.ts /tmp/engine-before --quick    (the messages only)
 *
 * Every judgeMessage output (on four routes) and every classifyReplyIntent output (its log odds
 * to the last bit) must be deep-equal on the train corpora, the plain messages, and six altered
 * copies of each (upper case, leet and look-alikes, invisible characters, spread letters, the
 * message twice, over-long). Both engines read this checkout's messages and their own models.
 * The held-out part is never read. Exits 1 when any output differs.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { judgeMessage as JudgeMessage, JudgeContext } from '../src/domain/compliance/judge';
import type { classifyReplyIntent as ClassifyReplyIntent } from '../src/domain/compliance/reply-intent';
import { readCorpus } from '../test/support/compliance-corpus';
import { readPlainMessages } from '../test/support/plain-messages';

const [before, ...flags] = process.argv.slice(2);
if (!before) throw new Error('usage: compare-compliance-engines.ts <checkout to compare with> [--quick]');
const quick = flags.includes('--quick');

interface Engine {
  judge: typeof JudgeMessage;
  reply: typeof ClassifyReplyIntent;
}
// Another checkout's modules, so found at run time.
const engineAt = async (root: string): Promise<Engine> => ({
  judge: ((await import(path.join(root, 'src/domain/compliance/judge'))) as { judgeMessage: Engine['judge'] }).judgeMessage,
  reply: ((await import(path.join(root, 'src/domain/compliance/reply-intent'))) as { classifyReplyIntent: Engine['reply'] }).classifyReplyIntent,
});

const sets: Record<string, string[]> = {
  outbound: readCorpus('outbound', 'train').map((e) => e.text),
  inbound: readCorpus('inbound', 'train').map((e) => e.text),
  plain: readPlainMessages(),
};

// A fixed sequence, so every run compares the same altered copies.
let seed = 12345;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
const pick = <T>(options: T[]) => options[Math.floor(random() * options.length)];
const LOOK_ALIKES: Record<string, string[]> = {
  a: ['4', '@', 'а', 'ａ'],
  e: ['3', 'е'],
  i: ['1', '!', 'і'],
  o: ['0', 'о', '𝐨'],
  s: ['5', '$'],
  t: ['7'],
  l: ['|', 'ӏ'],
  c: ['с'],
};
const INVISIBLE = ['\u200b', '\u00ad', '\u200d', '\u0301'];
function alteredCopies(text: string): string[] {
  const lookAlikes = [...text].map((c) => (LOOK_ALIKES[c.toLowerCase()] && random() < 0.3 ? pick(LOOK_ALIKES[c.toLowerCase()]) : c)).join('');
  const invisible = [...text].map((c) => (random() < 0.08 ? c + pick(INVISIBLE) : c)).join('');
  const spread = text.replace(/\b[a-z]{3,6}\b/gi, (w) => (random() < 0.2 ? [...w].join(random() < 0.5 ? '.' : ' ') : w));
  return [text.toUpperCase(), lookAlikes, invisible, spread, `${text} ${text}`, 'x'.repeat(1601) + text];
}

const ROUTES: Array<JudgeContext | undefined> = [
  undefined,
  { ageGated: true },
  { senderType: 'toll_free', requireHelpLanguage: true },
  { senderType: 'short_code', ageGated: true },
];
async function main(): Promise<void> {
  const engines = await Promise.all([engineAt(path.resolve(before)), engineAt(path.resolve(__dirname, '..'))]);
  let compared = 0;
  let differing = 0;
  for (const [name, texts] of Object.entries(sets)) {
    for (const text of texts.flatMap((t) => (quick ? [t] : [t, ...alteredCopies(t)]))) {
      const pairs = [...ROUTES.map((ctx) => engines.map((e) => e.judge(text, ctx))), engines.map((e) => e.reply(text))];
      for (const [was, is] of pairs) {
        compared++;
        if (isDeepStrictEqual(was, is)) continue;
        if (++differing <= 10)
          process.stdout.write(`DIFFERS (${name}) ${JSON.stringify(text)}\n  before ${JSON.stringify(was)}\n  now    ${JSON.stringify(is)}\n`);
      }
    }
  }
  const counts = Object.entries(sets)
    .map(([name, texts]) => `${texts.length} ${name}`)
    .join(', ');
  process.stdout.write(`${compared} outputs compared (${counts}${quick ? '' : ', each with 6 altered copies'}): ${differing} differ\n`);
  process.exitCode = differing ? 1 : 0;
}

void main();
