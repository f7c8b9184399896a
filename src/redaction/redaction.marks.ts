import { F_NUM } from './redaction.lexicon.ts';
import { K_MASK, K_MIXED, K_NUM, K_PLACEHOLDER, K_PUNCT, K_WORD, type Tokens } from './redaction.tokens.ts';

/**
 * Something already redacted at the end of a segment: a placeholder (`[CARD_NUMBER]`,
 * `[CARD_NUMBER ****4242]`, `[CARD_CVV]`, `[REDACTED]`) or a mask (`**** ****`,
 * `XXXX-XXXX-XXXX-4242`). Chat and webhook platforms deliver a conversation one message at a
 * time and Vigil re-reads the stored, redacted messages with each new one: a card whose first
 * digits were redacted in an earlier delivery shows up here, and the digits that follow it in
 * the next delivery are the rest of it.
 */
export interface MarkToken {
  first: number;
  last: number;
  /** What a typed placeholder says; null for `[REDACTED]` and masks (context decides). */
  typed: 'card' | 'cvv' | 'other' | null;
  /** Mask shape: `complete` hides a whole card (4x4 groups, 15 as 4-6-5, 13+ in one block). */
  shape: 'complete' | 'fragment' | null;
  /** Characters a mask hides (its length without separators); null for placeholders. */
  hidden: number | null;
}

/** Mask and placeholder tokens read back from the end; bounds the work on long masked runs. */
const MAX_MASK_TOKENS = 24;

function isXRun(t: Tokens, i: number, allowDigits: boolean): boolean {
  const k = t.kind[i];
  if (k !== K_WORD && (k !== K_MIXED || !allowDigits)) return false;
  const s = t.start[i]!;
  const e = t.end[i]!;
  let x = 0;
  for (let j = s; j < e; j++) {
    const c = t.text.charCodeAt(j);
    if ((c === 88 || c === 120) && x === j - s) x++;
    else if (!(allowDigits && c >= 48 && c <= 57 && x >= 2)) return false;
  }
  return x >= 2;
}

/** A token that masks digits: asterisks or bullets, or a run of X's ("XXXX", "XXXX4242"). */
export function isMaskToken(t: Tokens, i: number): boolean {
  return t.kind[i] === K_MASK || isXRun(t, i, true);
}

function isDash(t: Tokens, i: number): boolean {
  return t.kind[i] === K_PUNCT && t.text.charCodeAt(t.start[i]!) === 45;
}

function placeholderType(t: Tokens, i: number): MarkToken['typed'] {
  const name = t.text.slice(t.start[i]! + 1, t.end[i]! - 1).split(' ')[0];
  if (name === 'CARD_NUMBER') return 'card';
  if (name === 'CARD_CVV') return 'cvv';
  return name === 'REDACTED' ? null : 'other';
}

/** Group lengths of a mask (mask characters and kept digits; spaces and dashes separate groups). */
function maskGroups(t: Tokens, first: number, last: number): number[] {
  const lens: number[] = [];
  let cur = 0;
  for (let i = first; i <= last; i++) {
    const joined = i > first && t.start[i] === t.end[i - 1] && !isDash(t, i - 1);
    if (!joined && cur > 0) {
      lens.push(cur);
      cur = 0;
    }
    if (!isDash(t, i)) cur += t.end[i]! - t.start[i]!;
  }
  if (cur > 0) lens.push(cur);
  return lens;
}

function maskShape(lens: readonly number[]): MarkToken['shape'] {
  const total = lens.reduce((a, b) => a + b, 0);
  const fours = lens.length >= 2 && lens.every((l) => l === 4);
  const amex = lens.length === 3 && lens[0] === 4 && lens[1] === 6 && (lens[2] === 5 || lens[2] === 4);
  if (lens.length === 1 && total >= 13) return 'complete';
  if (fours || amex) return total >= 13 ? 'complete' : 'fragment';
  return null;
}

/**
 * Index of the mask token that digits at `i` were kept by, else -1: touching it ("****4242"),
 * after a dash ("XXXX-4242") or, four of them, after a space ("**** **** **** 4242"). The same
 * rule marks such digits as masked when runs are read (redaction.runs.ts).
 */
export function maskBefore(t: Tokens, i: number): number {
  if (t.kind[i] !== K_NUM || i < 1) return -1;
  const p = i - 1;
  if (t.start[i] === t.end[p]) {
    if (isMaskToken(t, p)) return p;
    return p >= 1 && isDash(t, p) && t.start[p] === t.end[p - 1] && isMaskToken(t, p - 1) ? p - 1 : -1;
  }
  return t.end[i]! - t.start[i]! === 4 && isMaskToken(t, p) && t.nl[i] === 0 ? p : -1;
}

/**
 * The mark that ends segment tokens `t` (only punctuation or up to three acknowledgement words
 * after it, as `isGlue` decides), else null.
 */
export function trailingMark(t: Tokens, isGlue: (t: Tokens, i: number) => boolean): MarkToken | null {
  let last = t.count - 1;
  let words = 0;
  let mask = -1;
  for (; last >= 0; last--) {
    const k = t.kind[last];
    if (k === K_PLACEHOLDER)
      return { first: last, last, typed: placeholderType(t, last), shape: null, hidden: null };
    mask = isMaskToken(t, last) ? last : maskBefore(t, last);
    if (mask >= 0) break;
    // A number word after it may be a digit ("... oh"): the segment does not end with the mark.
    if (k === K_NUM || !isGlue(t, last) || ((t.lex[last]?.flags ?? 0) & F_NUM) !== 0) return null;
    if (k === K_WORD && ++words > 3) return null;
  }
  if (mask < 0) return null;
  // The mask's blocks, the dashes between them and the digits it kept.
  let first = mask;
  for (let j = mask - 1; j >= 0 && mask - j < MAX_MASK_TOKENS; j--) {
    if (isMaskToken(t, j)) first = j;
    else if (!isDash(t, j) && maskBefore(t, j) < 0) break;
  }
  const lens = maskGroups(t, first, last);
  return { first, last, typed: null, shape: maskShape(lens), hidden: lens.reduce((a, b) => a + b, 0) };
}
