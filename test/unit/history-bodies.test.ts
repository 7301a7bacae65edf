import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { textsOfHistory } from '../support/history-texts';

/**
 * Workflow histories carry ids and counts, never message text (DESIGN, "Where data lives"). The
 * committed recordings (test/histories) are real runs: none may hold a campaign body, a reply or
 * a contact's name that the tests recording them used, nor any payload field named like one.
 * The one exception is recorded: the onboarding sandbox's test send to Twilio's magic numbers
 * took its text as an Update argument in runs recorded before it was passed by id.
 */
const ROOT = join(__dirname, '..', 'histories');
const histories = readdirSync(ROOT)
  .filter((d) => statSync(join(ROOT, d)).isDirectory())
  .flatMap((d) => readdirSync(join(ROOT, d)).map((f) => `${d}/${f}`));

/** Texts the recording tests sent or received (test/e2e/*, test/support/platform.ts). */
const RECORDED_TEXTS = [
  'Bright Smiles Dental: checkup time. Reply STOP to opt out.',
  'Bright Smiles Dental: your checkup is due. Book at brightsmiles.example. Reply STOP to opt out.',
  'Payday loans approved in minutes',
  'Can I move my cleaning to Friday?',
  'Who is this?',
  'Pat Lee',
];

/** Every JSON object key in a payload (payloads are JSON): a field named like text is a leak waiting to happen. */
function payloadKeys(texts: string[]): string[] {
  const keys: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        keys.push(k);
        walk(x);
      }
  };
  for (const t of texts) {
    try {
      walk(JSON.parse(t));
    } catch {
      // not a JSON payload (an id, an event name)
    }
  }
  return keys;
}

describe('recorded workflow histories hold no message text', () => {
  it('has histories to look at', () => {
    expect(histories.length).toBeGreaterThan(20);
    // The scan reads payloads: the reply email's input names its notification.
    expect(textsOfHistory(JSON.parse(readFileSync(join(ROOT, 'notificationEmail/reply.2026-12-02.json'), 'utf8')))).toContain('{"kind":"reply","id":"1"}');
  });

  it.each(histories)('%s', (file) => {
    const texts = textsOfHistory(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
    const all = texts.join('\n');
    for (const text of RECORDED_TEXTS) expect({ file, text, found: all.includes(text) }).toMatchObject({ found: false });
    const textFields = payloadKeys(texts).filter((k) => /^(body|text|contactName|message)$/i.test(k));
    // Runs recorded before the sandbox send went by id: its Update carried `body`.
    const allowed = file.startsWith('tenantLifecycle/') ? ['body'] : [];
    expect(textFields.filter((k) => !allowed.includes(k))).toEqual([]);
  });
});
