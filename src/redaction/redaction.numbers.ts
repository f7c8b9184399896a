import { F_NUM, type LexEntry } from './redaction.lexicon.ts';
import {
  NC_DOUBLE,
  NC_HUNDRED,
  NC_HUNDREDS,
  NC_OH,
  NC_TEEN,
  NC_TENS,
  NC_THOUSAND,
  NC_TRIPLE,
  NC_UNIT,
} from './redaction.lexicon-data.ts';
import { K_NUM, K_PUNCT, K_WORD, lowerAt, type Tokens } from './redaction.tokens.ts';

/** A number read from consecutive tokens: its digit string and the last token it used. */
export interface NumberChunk {
  digits: string;
  value: number;
  end: number;
}

/** Number-word entry of token i when its language is enabled, else null. */
export function numberWord(t: Tokens, i: number, langMask: number): LexEntry | null {
  if (i < 0 || i >= t.count || t.kind[i] !== K_WORD) return null;
  const e = t.lex[i];
  return e && (e.flags & F_NUM) !== 0 && (e.numLangs & langMask) !== 0 ? e : null;
}

/** Index of the token after i, stepping over one hyphen that joins compound numbers. */
function after(t: Tokens, i: number): number {
  const j = i + 1;
  if (
    j < t.count &&
    t.kind[j] === K_PUNCT &&
    t.text.charCodeAt(t.start[j]!) === 45 &&
    t.end[i] === t.start[j]
  ) {
    return j + 1;
  }
  return j;
}

function isConnector(t: Tokens, i: number, words: readonly string[]): boolean {
  if (i >= t.count || t.kind[i] !== K_WORD) return false;
  const w = lowerAt(t, i);
  return words.includes(w);
}

interface Partial {
  value: number;
  end: number;
}

/** 1-99 (or 0): tens with optional unit, teens, French 70-99 compounds, a lone unit. */
function readBelow100(t: Tokens, i: number, langMask: number): Partial | null {
  const e = numberWord(t, i, langMask);
  if (!e) return null;
  const cls = e.numClass;
  if (cls === NC_UNIT || cls === NC_OH) {
    const next = numberWord(t, after(t, i), langMask);
    // French "quatre-vingt(s)" = 80, optionally followed by a unit or a teen (81-99).
    if (
      e.numValue === 4 &&
      next &&
      next.numClass === NC_TENS &&
      next.numValue === 20 &&
      e.word === 'quatre'
    ) {
      return extendTens(t, after(t, i), 80, langMask, true);
    }
    return { value: cls === NC_OH ? 0 : e.numValue, end: i };
  }
  if (cls === NC_TEEN) return { value: e.numValue, end: i };
  if (cls === NC_TENS)
    return extendTens(t, i, e.numValue, langMask, e.numValue === 60 && e.word === 'soixante');
  return null;
}

/** Tens word at i with value v, plus an optional unit ("forty two", "vingt et un", "treinta y dos"). */
function extendTens(t: Tokens, i: number, v: number, langMask: number, takesTeen: boolean): Partial {
  let j = after(t, i);
  if (isConnector(t, j, ['et', 'y'])) j = after(t, j);
  const u = numberWord(t, j, langMask);
  if (u && u.numClass === NC_UNIT && u.numValue >= 1) return { value: v + u.numValue, end: j };
  if (u && takesTeen && u.numClass === NC_TEEN && u.numValue < 20) return { value: v + u.numValue, end: j };
  return { value: v, end: i };
}

/** Remainder after "hundred"/"thousand": optional "and", then hundreds or a value below 100. */
function readRemainder(t: Tokens, i: number, langMask: number, allowHundreds: boolean): Partial | null {
  let j = i;
  if (isConnector(t, j, ['and', 'y'])) j = after(t, j);
  const e = numberWord(t, j, langMask);
  if (!e) return null;
  if (allowHundreds && e.numClass === NC_HUNDREDS) return readHundredsWord(t, j, e, langMask);
  if (allowHundreds && e.numClass === NC_UNIT) {
    const h = numberWord(t, after(t, j), langMask);
    if (h && h.numClass === NC_HUNDRED) return readHundreds(t, after(t, j), e.numValue, langMask);
  }
  const below = readBelow100(t, j, langMask);
  return below && below.value > 0 ? below : null;
}

function readHundreds(t: Tokens, i: number, mult: number, langMask: number): Partial {
  const rest = readRemainder(t, after(t, i), langMask, false);
  return rest ? { value: mult * 100 + rest.value, end: rest.end } : { value: mult * 100, end: i };
}

function readHundredsWord(t: Tokens, i: number, e: LexEntry, langMask: number): Partial {
  const rest = readRemainder(t, after(t, i), langMask, false);
  return rest ? { value: e.numValue + rest.value, end: rest.end } : { value: e.numValue, end: i };
}

function readThousands(t: Tokens, i: number, mult: number, langMask: number): Partial {
  const rest = readRemainder(t, after(t, i), langMask, true);
  return rest ? { value: mult * 1000 + rest.value, end: rest.end } : { value: mult * 1000, end: i };
}

/**
 * Reads one spoken number starting at token i. Digit-by-digit reading yields one digit per
 * word; paired reading ("forty two") two; "four hundred five" three; "double four" repeats.
 * Zero-padded output keeps "oh" and "zero" as real digits.
 */
export function readSpokenNumber(t: Tokens, i: number, langMask: number): NumberChunk | null {
  const e = numberWord(t, i, langMask);
  if (!e) return null;
  const cls = e.numClass;
  if (cls === NC_DOUBLE || cls === NC_TRIPLE) return readRepeat(t, i, cls === NC_DOUBLE ? 2 : 3, langMask);
  if (cls === NC_OH) return { digits: '0', value: 0, end: i };
  if (cls === NC_HUNDREDS) return chunk(readHundredsWord(t, i, e, langMask));
  if (cls === NC_HUNDRED) return chunk(readHundreds(t, i, 1, langMask));
  if (cls === NC_THOUSAND) return chunk(readThousands(t, i, 1, langMask));
  const below = readBelow100(t, i, langMask);
  if (!below) return null;
  const j = after(t, below.end);
  const mult = numberWord(t, j, langMask);
  if (mult && below.value > 0 && mult.numClass === NC_HUNDRED)
    return chunk(readHundreds(t, j, below.value, langMask));
  if (mult && below.value > 0 && below.value < 100 && mult.numClass === NC_THOUSAND) {
    return chunk(readThousands(t, j, below.value, langMask));
  }
  return chunk(below);
}

function chunk(p: Partial): NumberChunk {
  return { digits: String(p.value), value: p.value, end: p.end };
}

function readRepeat(t: Tokens, i: number, times: number, langMask: number): NumberChunk | null {
  const j = i + 1;
  if (j >= t.count) return null;
  let digit = '';
  if (t.kind[j] === K_NUM && t.end[j]! - t.start[j]! === 1) digit = t.text[t.start[j]!]!;
  else {
    const u = numberWord(t, j, langMask);
    if (u && (u.numClass === NC_UNIT || u.numClass === NC_OH))
      digit = String(u.numClass === NC_OH ? 0 : u.numValue);
  }
  if (!digit) return null;
  return { digits: digit.repeat(times), value: Number(digit.repeat(times)), end: j };
}
