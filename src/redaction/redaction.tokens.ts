import {
  foldCode,
  hashBucket,
  LEXICON_GATE,
  type LexEntry,
  lookupSpan,
  NAME_GATE,
} from './redaction.lexicon.ts';
import { ENTITY_TYPES } from './redaction.types.ts';

export const K_WORD = 1;
export const K_NUM = 2;
export const K_MIXED = 3;
export const K_PUNCT = 4;
export const K_MASK = 5;
export const K_PLACEHOLDER = 6;

export const CAP_NONE = 0;
export const CAP_INITIAL = 1;
export const CAP_ALL = 2;

/**
 * The tokens of one text, stored column-wise (parallel arrays) so a long transcript costs a
 * handful of arrays rather than one object per word.
 */
export interface Tokens {
  readonly text: string;
  count: number;
  readonly start: number[];
  readonly end: number[];
  readonly kind: number[];
  /** Lexicon entry of a word, or null. */
  readonly lex: (LexEntry | null)[];
  /** Hash bucket of a word's lowercase form (for the name gate); -1 for non-words. */
  readonly bucket: number[];
  readonly cap: number[];
  /** 1 when the whitespace before the token holds a line break. */
  readonly nl: number[];
  /** OR of the lexicon flags of all words: detectors skip texts without their trigger words. */
  readonly flags: number;
  /** Bit (1 << kind) for every token kind present. */
  readonly kinds: number;
  /** Some word may be a person name (capitalized, or in the name lists' hash gate). */
  readonly nameHint: boolean;
  /** Tokens already claimed by a detector; later detectors skip them. */
  readonly used: number[];
  /** Context category of phrase words by token, once read (-1: not yet); null until needed. */
  phraseMemo: number[] | null;
}

export const CL_SPACE = 1;
export const CL_NL = 2;
export const CL_UPPER = 3;
export const CL_LOWER = 4;
export const CL_DIGIT = 5;
export const CL_MASK = 6;

/** Character classes for the BMP, built once: the scanner does one table read per character. */
export const CLASS = buildClassTable();

function buildClassTable(): Uint8Array {
  const table = new Uint8Array(65536);
  const upper = /\p{Lu}|\p{Lt}/u;
  const letter = /\p{L}|\p{M}/u;
  const space = /\s/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (c >= 48 && c <= 57) table[c] = CL_DIGIT;
    else if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) table[c] = CL_NL;
    else if (space.test(ch)) table[c] = CL_SPACE;
    else if (upper.test(ch)) table[c] = CL_UPPER;
    else if (letter.test(ch)) table[c] = CL_LOWER;
  }
  for (const m of '*•●█■∙#') table[m.charCodeAt(0)] = CL_MASK;
  return table;
}

/**
 * Per character of a word or number (letter or digit): its class bit (1 << class) in the high
 * 16 bits and its lowercase fold (foldCode) in the low 16; 0 for any other character.
 */
const WORD_CHAR = buildWordCharTable();

function buildWordCharTable(): Int32Array {
  const table = new Int32Array(65536);
  for (let c = 0; c < 65536; c++) {
    const cl = CLASS[c]!;
    if (cl >= CL_UPPER && cl <= CL_DIGIT) table[c] = ((1 << cl) << 16) | foldCode(c);
  }
  return table;
}

const PLACEHOLDER_NAMES = new Set<string>([...ENTITY_TYPES, 'REDACTED']);

/** Length of a placeholder such as `[CARD_NUMBER]` or `[CARD_NUMBER ****4242]` at `i`, else 0. */
function placeholderLength(text: string, i: number): number {
  let j = i + 1;
  const limit = Math.min(text.length, i + 48);
  while (j < limit) {
    const c = text.charCodeAt(j);
    if ((c >= 65 && c <= 90) || c === 95) j++;
    else break;
  }
  if (j === i + 1 || !PLACEHOLDER_NAMES.has(text.slice(i + 1, j))) return 0;
  while (j < limit && text.charCodeAt(j) !== 93) {
    const c = text.charCodeAt(j);
    if (c === 91 || c === 10) return 0;
    j++;
  }
  return j < limit ? j + 1 - i : 0;
}

const LETTER_BITS = (1 << CL_UPPER) | (1 << CL_LOWER);
const LOWER_BIT = 1 << CL_LOWER;
const DIGIT_BIT = 1 << CL_DIGIT;

/** Letters in text[s, e) (an all-capitals word needs two: "ID", not "I"). */
function lettersIn(text: string, s: number, e: number): number {
  let letters = 0;
  for (let j = s; j < e; j++) if (CLASS[text.charCodeAt(j)] !== CL_DIGIT) letters++;
  return letters;
}

/** Splits text into words, numbers, mixed alphanumerics, masks and single punctuation marks. */
export function tokenize(text: string): Tokens {
  const n = text.length;
  const start: number[] = [];
  const end: number[] = [];
  const kind: number[] = [];
  const cap: number[] = [];
  const nl: number[] = [];
  const bucket: number[] = [];
  const used: number[] = [];
  const lex: (LexEntry | null)[] = [];
  let count = 0;
  let flags = 0;
  let kinds = 0;
  let nameHint = false;
  let i = 0;
  let sawNewline = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cl = CLASS[c]!;
    if (cl === CL_SPACE) {
      i++;
      continue;
    }
    if (cl === CL_NL) {
      sawNewline = 1;
      i++;
      continue;
    }
    const s = i;
    let k = K_PUNCT;
    let entry: LexEntry | null = null;
    let b = -1;
    let capKind = CAP_NONE;
    if (cl >= CL_UPPER && cl <= CL_DIGIT) {
      let h = 0;
      // Bit (1 << class) of every character class seen, shifted left by 16: one OR per character.
      let seen = 0;
      while (i < n) {
        // One table read gives the class bit and the fold (foldCode + hashStep of
        // redaction.lexicon.ts, inlined): this loop is the hot path.
        const v = WORD_CHAR[text.charCodeAt(i)]!;
        if (v === 0) break;
        seen |= v;
        h = (Math.imul(h, 31) + (v & 0xffff)) | 0;
        i++;
      }
      seen >>>= 16;
      k = (seen & LETTER_BITS) === 0 ? K_NUM : (seen & DIGIT_BIT) === 0 ? K_WORD : K_MIXED;
      if (k !== K_NUM) {
        b = hashBucket(h);
        if (LEXICON_GATE[b] === 1) {
          entry = lookupSpan(text, s, i, h) ?? null;
          if (entry) flags |= entry.flags;
        }
        if (!nameHint && NAME_GATE[b] === 1) nameHint = true;
      }
      if (cl === CL_UPPER)
        capKind = (seen & LOWER_BIT) === 0 && lettersIn(text, s, i) > 1 ? CAP_ALL : CAP_INITIAL;
    } else if (c === 91 && placeholderLength(text, i) > 0) {
      i += placeholderLength(text, i);
      k = K_PLACEHOLDER;
    } else if (cl === CL_MASK) {
      while (i < n && CLASS[text.charCodeAt(i)] === CL_MASK) i++;
      k = K_MASK;
    } else i++;
    start.push(s);
    end.push(i);
    kind.push(k);
    cap.push(capKind);
    nl.push(sawNewline);
    bucket.push(b);
    used.push(0);
    lex.push(entry);
    kinds |= 1 << k;
    count++;
    sawNewline = 0;
  }
  return {
    text,
    count,
    start,
    end,
    kind,
    lex,
    bucket,
    cap,
    nl,
    used,
    flags,
    kinds,
    nameHint,
    phraseMemo: null,
  };
}

/** Char code of a punctuation token, else -1. */
export function punctCode(t: Tokens, i: number): number {
  return i >= 0 && i < t.count && t.kind[i] === K_PUNCT ? t.text.charCodeAt(t.start[i]!) : -1;
}

/** Lowercase text of token i. */
export function lowerAt(t: Tokens, i: number): string {
  return t.text.slice(t.start[i], t.end[i]).toLowerCase();
}

/** True when token j starts right where token i ends (no whitespace between). */
export function touching(t: Tokens, i: number, j: number): boolean {
  return t.end[i] === t.start[j];
}
