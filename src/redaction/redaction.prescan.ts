import {
  F_AT,
  F_CONTEXT,
  F_DOT,
  F_FILLER,
  F_NAME_TRIGGER,
  F_NUM,
  F_PHRASE,
  F_TITLE,
  foldCode,
  hashBucket,
  type LexEntry,
  lexiconGate,
  lookupSpan,
} from './redaction.lexicon.ts';
import { GIVEN_GATE, gateHas, givenNameKind, type NameMemory } from './redaction.names.ts';
import { CL_DIGIT, CL_LOWER, CL_MASK, CL_NL, CL_SPACE, CL_UPPER, CLASS } from './redaction.tokens.ts';

// Module-local alias: the scan loop reads it for every character.
const CLS: Uint8Array = CLASS;

/** Pre-scan result bits. P_ANALYZE: something may be found; without it nothing can be. */
export const P_ANALYZE = 1;
/** The text names a kind of number ("card", "back"): the answer that follows may be one. */
export const P_ASKS = 2;
/** More than six words: no acknowledgement ("okay, go on"). */
export const P_LONG = 4;
/** Words an acknowledgement may have at most (redaction.segment.ts isAcknowledgement). */
const ACK_WORDS = 6;

/** Lexicon flags the pre-scan acts on; other lexicon words are read like any word. */
const SIGNALS = F_NUM | F_FILLER | F_AT | F_DOT | F_CONTEXT | F_PHRASE | F_TITLE | F_NAME_TRIGGER;

/**
 * Per character: a letter's lowercase fold (foldCode, > 0); -1 for what always needs a full
 * look (a digit, '@', '[', a mask character); 0 for anything else (spaces, punctuation).
 */
const FOLD = buildFoldTable();

function buildFoldTable(): Int32Array {
  const table = new Int32Array(65536);
  for (let c = 0; c < 65536; c++) {
    const cl = CLS[c];
    if (cl === CL_UPPER || cl === CL_LOWER) table[c] = foldCode(c);
    else if (cl === CL_DIGIT || cl === CL_MASK || c === 64 || c === 91) table[c] = -1;
  }
  return table;
}

const G_LEXICON = 1;
const G_GIVEN = 2;
/** Per hash bucket: G_LEXICON (a lexicon word with a signal may have it), G_GIVEN (a given name). */
const GATE = buildGate();

function buildGate(): Uint8Array {
  const gate = lexiconGate(SIGNALS);
  for (let b = 0; b < gate.length; b++)
    gate[b] = (gate[b]! !== 0 ? G_LEXICON : 0) | (GIVEN_GATE[b]! !== 0 ? G_GIVEN : 0);
  return gate;
}

/** "this is": the trigger needs its "is" (no substring, no regex: "this" is frequent). */
function followedByIs(text: string, end: number): boolean {
  let j = end;
  while (j < text.length && (CLS[text.charCodeAt(j)] === CL_SPACE || CLS[text.charCodeAt(j)] === CL_NL)) j++;
  if (j === end || j + 2 > text.length) return false;
  if ((text.charCodeAt(j) | 32) !== 105 || (text.charCodeAt(j + 1) | 32) !== 115) return false;
  const after = j + 2 < text.length ? CLS[text.charCodeAt(j + 2)]! : 0;
  return after !== CL_UPPER && after !== CL_LOWER && after !== CL_DIGIT;
}

/** A trigger word that alone justifies a full look ("my name is", "Mr", "spelled"). */
function strongTrigger(e: LexEntry, text: string, end: number): boolean {
  if ((e.flags & F_TITLE) !== 0) return true;
  if (e.word === 'this') return followedByIs(text, end);
  return e.word !== 'm';
}

/** "I'm": the apostrophe before the "m" that ends at `end`. */
function isIm(text: string, end: number): boolean {
  const c = text.charCodeAt(end - 2);
  return c === 39 || c === 8217;
}

/** "XXXX": a mask written with X's. */
function isXMask(text: string, s: number, e: number): boolean {
  if (e - s < 2) return false;
  for (let j = s; j < e; j++) if ((text.charCodeAt(j) | 32) !== 120) return false;
  return true;
}

/** "and", "et", "y": they join the words of one number ("four hundred and five", "vingt et un"). */
function isConnector(text: string, s: number, e: number): boolean {
  const n = e - s;
  const c = text.charCodeAt(s) | 32;
  if (n === 1) return c === 121;
  if (n === 2) return c === 101 && (text.charCodeAt(s + 1) | 32) === 116;
  return (
    n === 3 && c === 97 && (text.charCodeAt(s + 1) | 32) === 110 && (text.charCodeAt(s + 2) | 32) === 100
  );
}

/**
 * Cheap first look at a text: no P_ANALYZE only when no detector could fire. It analyzes on a digit,
 * '@', anything already redacted, a trigger word, a given name (capitalized, or lowercase and
 * not an everyday word), a name heard earlier, an e-mail spoken ("at" with "dot"), or two
 * number words next to each other (one when a number is being read in pieces or was just asked
 * for): a lone number word ("three to five days") is no entity. Such texts skip tokenization
 * entirely, which is most of a call's small talk. It never decides that something is sensitive,
 * only that nothing can be.
 */
export function prescan(text: string, memory: NameMemory, continuing: boolean): number {
  const n = text.length;
  const remembered = memory.gate;
  let at = false;
  let dot = false;
  let context = false;
  let afterIm = false;
  /** A number word was read and only punctuation, fillers or connectors followed it. */
  let numberOpen = false;
  let words = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let h = FOLD[c]!;
    if (h <= 0) {
      // A digit, '@' or something already redacted ("[CARD_NUMBER]", "**** ****"): what
      // follows may continue it.
      if (h < 0) return P_ANALYZE;
      if (c === 46 && i + 1 < n && CLS[text.charCodeAt(i + 1)]! >= CL_UPPER) dot = true;
      i++;
      continue;
    }
    const s = i;
    words++;
    // One table read per character gives both the class and the fold (the hash of
    // redaction.lexicon.ts, inlined): this loop is the hot path.
    for (i++; i < n; i++) {
      const f = FOLD[text.charCodeAt(i)]!;
      if (f <= 0) {
        if (f < 0) return P_ANALYZE;
        break;
      }
      h = (Math.imul(h, 31) + f) | 0;
    }
    const b = hashBucket(h);
    const gate = GATE[b]!;
    const wasAfterIm = afterIm;
    afterIm = false;
    let flags = 0;
    if ((gate & G_LEXICON) !== 0) {
      const e = lookupSpan(text, s, i, h);
      if (e && (e.flags & SIGNALS) !== 0) {
        flags = e.flags;
        if ((flags & (F_TITLE | F_NAME_TRIGGER)) !== 0) {
          if (strongTrigger(e, text, i)) return P_ANALYZE;
          afterIm = e.word === 'm' && isIm(text, i);
        }
        if ((flags & F_NUM) !== 0) {
          if (numberOpen || continuing) return P_ANALYZE;
          numberOpen = true;
        }
        if ((flags & F_AT) !== 0) at = true;
        if ((flags & F_DOT) !== 0) dot = true;
        if ((flags & (F_CONTEXT | F_PHRASE)) !== 0) context = true;
      }
    }
    if (numberOpen && (flags & (F_NUM | F_FILLER)) === 0 && !isConnector(text, s, i)) numberOpen = false;
    if ((gate & G_GIVEN) !== 0) {
      const kind = givenNameKind(text, s, i, h);
      if (kind === 2 || (kind === 1 && CLS[c] === CL_UPPER)) return P_ANALYZE;
    }
    if (wasAfterIm && CLS[c] === CL_UPPER) return P_ANALYZE;
    if ((c | 32) === 120 && isXMask(text, s, i)) return P_ANALYZE;
    if (remembered !== null && gateHas(remembered, b)) return P_ANALYZE;
  }
  if (at && dot) return P_ANALYZE;
  return (context ? P_ASKS : 0) | (words > ACK_WORDS ? P_LONG : 0);
}
