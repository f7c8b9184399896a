import {
  F_AT,
  F_CONTEXT,
  F_DOT,
  F_MONTH,
  F_NAME_TRIGGER,
  F_NUM,
  F_ORDINAL,
  F_PHRASE,
  F_TITLE,
  hashBucket,
  LEXICON_GATE,
  type LexEntry,
  lookupSpan,
  NAME_GATE,
} from './redaction.lexicon.ts';
import { isDistinctGivenName, isKnownName, type NameMemory } from './redaction.names.ts';
import { CL_DIGIT, CL_LOWER, CL_MASK, CL_UPPER, CLASS } from './redaction.tokens.ts';

// Module-local aliases: the scan loop reads them for every character.
const CLS: Uint8Array = CLASS;
const LEX_GATE: Uint8Array = LEXICON_GATE;
const NAMES_GATE: Uint8Array = NAME_GATE;

/** Weak signals, decided once the whole text is seen. */
interface Signals {
  numberWords: number;
  month: boolean;
  at: boolean;
  dotWord: boolean;
  /** "I'm" was just read: the next word decides. */
  afterIm: boolean;
  /** A word that says what a number is ("card", "back", "account"): the next answer may be one. */
  context: boolean;
}

/** A trigger word that alone justifies a full look ("my name is", "Mr", "spelled"), else false. */
function strongTrigger(e: LexEntry, text: string, end: number, sig: Signals): boolean {
  if ((e.flags & F_TITLE) !== 0) return true;
  if ((e.flags & F_NAME_TRIGGER) === 0) return false;
  if (e.word === 'this') return /^\s+is\b/i.test(text.slice(end, end + 5));
  if (e.word === 'm') {
    sig.afterIm = text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 8217;
    return false;
  }
  return true;
}

function noteWord(e: LexEntry, sig: Signals): void {
  if ((e.flags & F_NUM) !== 0) sig.numberWords++;
  if ((e.flags & (F_MONTH | F_ORDINAL)) !== 0) sig.month = true;
  if ((e.flags & F_AT) !== 0) sig.at = true;
  if ((e.flags & F_DOT) !== 0) sig.dotWord = true;
  if ((e.flags & (F_CONTEXT | F_PHRASE)) !== 0) sig.context = true;
}

/** "XXXX": a mask written with X's. */
function isXMask(text: string, s: number, e: number): boolean {
  if (e - s < 2) return false;
  for (let j = s; j < e; j++) if ((text.charCodeAt(j) | 32) !== 120) return false;
  return true;
}

/** Pre-scan verdicts. */
export const SKIP = 0;
/** Nothing to find, but the text names a kind of number: the answer that follows may be one. */
export const SKIP_ASKS = 1;
export const ANALYZE = 2;

/**
 * Cheap first look at a text: SKIP only when no detector could fire (no digit, no '@', no
 * name, no trigger, nothing already redacted, fewer than two number words unless a number is
 * being read in pieces or was just asked for). Such texts skip tokenization entirely, which is
 * most of a call's small talk. It never decides that something is sensitive, only that nothing
 * can be.
 */
export function prescan(text: string, memory: NameMemory, continuing: boolean): number {
  const n = text.length;
  const sig: Signals = {
    numberWords: 0,
    month: false,
    at: false,
    dotWord: false,
    afterIm: false,
    context: false,
  };
  let innerDot = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cl = CLS[c]!;
    if (cl === CL_DIGIT || c === 64) return ANALYZE;
    if (cl !== CL_UPPER && cl !== CL_LOWER) {
      // Something already redacted ("[CARD_NUMBER]", "**** ****"): what follows may continue it.
      if (c === 91 || cl === CL_MASK) return ANALYZE;
      if (c === 46 && i + 1 < n && CLS[text.charCodeAt(i + 1)]! >= CL_UPPER) innerDot = true;
      i++;
      continue;
    }
    const s = i;
    let h = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      const dl = CLS[d]!;
      if (dl === CL_DIGIT) return ANALYZE;
      if (dl !== CL_UPPER && dl !== CL_LOWER) break;
      const f = d >= 65 && d <= 90 ? d | 32 : d >= 0xc0 && d <= 0xde && d !== 0xd7 ? d + 32 : d;
      h = (Math.imul(h, 31) + f) | 0;
    }
    if ((c | 32) === 120 && isXMask(text, s, i)) return ANALYZE;
    const b = hashBucket(h);
    const wasAfterIm = sig.afterIm;
    sig.afterIm = false;
    if (LEX_GATE[b] === 1) {
      const e = lookupSpan(text, s, i, h);
      if (e) {
        if (strongTrigger(e, text, i, sig)) return ANALYZE;
        noteWord(e, sig);
      }
    }
    if (NAMES_GATE[b] === 1) {
      if (cl === CL_UPPER ? isKnownName(text, s, i, h) : isDistinctGivenName(text, s, i, h)) return ANALYZE;
    }
    if (wasAfterIm && cl === CL_UPPER) return ANALYZE;
    if (memory.mayHold(b)) return ANALYZE;
  }
  if (sig.numberWords >= (continuing ? 1 : 2) || (sig.at && (sig.dotWord || innerDot))) return ANALYZE;
  return sig.context ? SKIP_ASKS : SKIP;
}
