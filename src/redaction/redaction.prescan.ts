import {
  F_AT,
  F_DOT,
  F_NAME_TRIGGER,
  F_NUM,
  F_ORDINAL,
  F_TITLE,
  hashBucket,
  LEXICON_GATE,
  lookupSpan,
  NAME_GATE,
} from './redaction.lexicon.ts';
import { isDistinctGivenName, type NameMemory } from './redaction.names.ts';
import { CL_DIGIT, CL_LOWER, CL_UPPER, CLASS } from './redaction.tokens.ts';

// Module-local aliases: the scan loop reads them for every character.
const CLS: Uint8Array = CLASS;
const LEX_GATE: Uint8Array = LEXICON_GATE;
const NAMES_GATE: Uint8Array = NAME_GATE;

/** Words that can start a finding on their own (a number word, "my name is", "dot", a title). */
const ANCHORS = F_NUM | F_NAME_TRIGGER | F_TITLE | F_DOT | F_ORDINAL;

/**
 * Cheap first look at a text: false only when no detector could fire (no digit, no '@', no
 * number or trigger word, no likely name). Such texts skip tokenization entirely, which is most
 * of a call's small talk. It never decides that something is sensitive, only that nothing is.
 */
export function mayHoldEntities(text: string, memory: NameMemory): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cl = CLS[c]!;
    if (cl === CL_DIGIT || c === 64) return true;
    if (cl !== CL_UPPER && cl !== CL_LOWER) {
      i++;
      continue;
    }
    const s = i;
    let h = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      const dl = CLS[d]!;
      if (dl === CL_DIGIT) return true;
      if (dl !== CL_UPPER && dl !== CL_LOWER) break;
      const f = d >= 65 && d <= 90 ? d | 32 : d >= 0xc0 && d <= 0xde && d !== 0xd7 ? d + 32 : d;
      h = (Math.imul(h, 31) + f) | 0;
    }
    const b = hashBucket(h);
    if (LEX_GATE[b] === 1) {
      const e = lookupSpan(text, s, i, h);
      // "this" introduces a name only as "this is ...".
      const anchor = e && (e.flags & ANCHORS) !== 0 && (e.word !== 'this' || /^\s+is\b/i.test(text.slice(i, i + 5)));
      if (anchor || (e && (e.flags & F_AT) !== 0 && text.includes('.'))) return true;
    }
    if (NAMES_GATE[b] === 1 && (cl === CL_UPPER || isDistinctGivenName(text, s, i, h))) return true;
    if (memory.mayHold(b)) return true;
  }
  return false;
}
