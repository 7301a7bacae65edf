/**
 * `npm run bench -- scan`: the compliance judgement on the HELD-OUT part of the labelled
 * corpus (figures the rules and model were not written from), and its speed on one core.
 * Scans per second are measured on the held-out messages, judged in a tight loop in this one
 * process (Node runs it on one core), after a warm-up pass.
 */
import { measureJudgement } from '../src/domain/compliance/evaluation';
import { judgeMessage } from '../src/domain/compliance/judge';
import { classifyReplyIntent, measureReplyIntent } from '../src/domain/compliance/reply-intent';
import { readCorpus } from '../test/support/compliance-corpus';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const seconds = Number(args[0] ?? 5);
  const outbound = readCorpus('outbound', 'heldout');
  const inbound = readCorpus('inbound', 'heldout');
  const figures = measureJudgement(outbound, (t) => judgeMessage(t));
  const replies = measureReplyIntent(inbound, classifyReplyIntent);

  for (const e of outbound) judgeMessage(e.text);
  let scans = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - started < budget) {
    for (const e of outbound) judgeMessage(e.text);
    scans += outbound.length;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const meanChars = Math.round(outbound.reduce((n, e) => n + e.text.length, 0) / outbound.length);

  process.stderr.write(`confusion (true label -> first finding):\n${JSON.stringify(figures.confusion, null, 1)}\n`);
  return {
    heldOutExamples: outbound.length,
    blockedPrecision: figures.blocked.precision,
    blockedRecall: figures.blocked.recall,
    blocked: figures.blocked,
    perCategoryRecall: Object.fromEntries(Object.entries(figures.perCategory).map(([k, v]) => [k, v.recall])),
    minCategoryRecall: Math.min(...Object.values(figures.perCategory).map((v) => v.recall)),
    replyIntent: { heldOutExamples: inbound.length, confident: replies.confidentOptOut, flagged: replies.flaggedOptOut },
    scansPerSecondOneCore: Math.round(scans / elapsed),
    meanMessageChars: meanChars,
  };
}
