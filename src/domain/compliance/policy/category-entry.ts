import { citing, type SourceNotes } from './sources';
import type { GateVerdicts, PolicyCategory, SenderType, Verdict } from './types';

type RouteVerdicts = PolicyCategory['verdicts'];

/**
 * What an entry states itself, its sources as what each page says; its family (and a forbidden
 * category's verdicts) follow from its builder.
 */
type EntryText = Omit<PolicyCategory, 'family' | 'verdicts' | 'sources'> & { sources: SourceNotes };

function perRoute(verdictsOn: (route: SenderType) => GateVerdicts): RouteVerdicts {
  return { '10dlc': verdictsOn('10dlc'), toll_free: verdictsOn('toll_free'), short_code: verdictsOn('short_code') };
}

/** Same verdict on every route, gate or not: what a forbidden category gets. */
function everywhere(verdict: Verdict): RouteVerdicts {
  return perRoute(() => ({ ageGated: verdict, notAgeGated: verdict }));
}

/**
 * An age-gated category's verdicts: `gate` on the routes the sources allow the content on behind
 * an age gate, and `block` with or without a gate on the routes they forbid it on (`blockedOn`).
 */
export function ageGatedVerdicts(gate: GateVerdicts, { blockedOn = [] }: { blockedOn?: SenderType[] } = {}): RouteVerdicts {
  return perRoute((route) => (blockedOn.includes(route) ? { ageGated: 'block', notAgeGated: 'block' } : { ...gate }));
}

/** The entry with its fields in one order, `judgement` only where there is one. */
function entry(family: PolicyCategory['family'], text: EntryText, verdicts: RouteVerdicts): PolicyCategory {
  const { id, label, covers, sources, reason, fix, judgement } = text;
  return { id, label, family, covers, sources: citing(sources), verdicts, reason, fix, ...(judgement === undefined ? {} : { judgement }) };
}

/**
 * A forbidden category: blocked on every route, age gate or not. No source names a route
 * exception for any of them (Twilio's short-code page lists high-risk finance, debt relief,
 * gambling, lead generation and cannabis as unsupported on short codes too).
 */
export function forbidden(text: EntryText): PolicyCategory {
  return entry('forbidden', text, everywhere('block'));
}

/** An age-gated category, with its verdicts per route (`ageGatedVerdicts`). */
export function ageGated({ verdicts, ...text }: EntryText & Pick<PolicyCategory, 'verdicts'>): PolicyCategory {
  return entry('age_gated', text, verdicts);
}
