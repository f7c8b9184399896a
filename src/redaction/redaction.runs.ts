import { F_AMBIGUOUS, F_FILLER, F_NUM, F_QUANT_AFTER, F_QUANT_BEFORE } from './redaction.lexicon.ts';
import { NC_HUNDRED, NC_THOUSAND } from './redaction.lexicon-data.ts';
import { isMaskToken, maskBefore } from './redaction.marks.ts';
import { numberWord, readSpokenNumber } from './redaction.numbers.ts';
import { K_MIXED, K_NUM, K_PUNCT, K_WORD, type Tokens } from './redaction.tokens.ts';

/** One piece of a digit run: a written number token or one spoken number. */
export interface DigitGroup {
  tokens: Tokens;
  first: number;
  last: number;
  digits: string;
  /** Separator before this group: a punctuation char code, 32 for whitespace, 0 when touching. */
  sep: number;
  spoken: boolean;
}

/** A maximal sequence of digit groups joined by spaces, light punctuation or fillers. */
export interface DigitRun {
  groups: DigitGroup[];
  digits: string;
  /** '+' before the first group (international phone). */
  plus: boolean;
  /** A currency sign or '%' touches the run: it is an amount. */
  amount: boolean;
  /** Mask characters touch the run ("****4242", "XXX-XX-1234"): already masked. */
  masked: boolean;
}

const GLUE_PUNCT = new Set([45, 46, 44, 47, 40, 41, 8211]); // - . , / ( ) –
const CURRENCY = new Set([36, 163, 8364, 165, 37]); // $ £ € ¥ %

function prevWord(t: Tokens, i: number): number {
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) if (t.kind[j] === K_WORD) return j;
  return -1;
}

/** A digit group starting at token i, or null when the token is no digit here. */
function readGroup(t: Tokens, i: number, langMask: number, sep: number): DigitGroup | null {
  if (t.kind[i] === K_NUM) {
    return { tokens: t, first: i, last: i, digits: t.text.slice(t.start[i], t.end[i]), sep, spoken: false };
  }
  const e = numberWord(t, i, langMask);
  // "thousand" or "hundred" without a number before it is a quantity ("60 thousand"), not a digit.
  if (!e || e.numClass === NC_HUNDRED || e.numClass === NC_THOUSAND) return null;
  const pw = prevWord(t, i);
  if (pw >= 0 && ((t.lex[pw]?.flags ?? 0) & F_QUANT_BEFORE) !== 0) return null;
  const chunk = readSpokenNumber(t, i, langMask);
  if (!chunk) return null;
  const nx = chunk.end + 1;
  if (nx < t.count && t.kind[nx] === K_WORD && ((t.lex[nx]?.flags ?? 0) & F_QUANT_AFTER) !== 0) return null;
  return { tokens: t, first: i, last: chunk.end, digits: chunk.digits, sep, spoken: true };
}

/**
 * After a group ending at token `last`, finds the next group start across glue (spaces,
 * up to two of - . , / ( ), fillers). Returns [tokenIndex, sep] or null.
 */
function nextGroupStart(t: Tokens, last: number): [number, number] | null {
  let j = last + 1;
  let sep = 0;
  let puncts = 0;
  let fillers = 0;
  while (j < t.count) {
    if (t.nl[j] === 1) return null;
    if (t.start[j] !== t.end[j - 1] && sep === 0) sep = 32;
    const k = t.kind[j];
    if (k === K_PUNCT && GLUE_PUNCT.has(t.text.charCodeAt(t.start[j]!)) && puncts < 2) {
      if (sep === 0 || sep === 32) sep = t.text.charCodeAt(t.start[j]!);
      puncts++;
      j++;
      continue;
    }
    if (k === K_WORD && ((t.lex[j]?.flags ?? 0) & F_FILLER) !== 0 && fillers < 3) {
      fillers++;
      j++;
      continue;
    }
    return [j, sep];
  }
  return null;
}

function markEdges(t: Tokens, run: DigitRun): void {
  const g0 = run.groups[0]!;
  const gl = run.groups[run.groups.length - 1]!;
  const p = g0.first - 1;
  if (p >= 0 && t.end[p] === t.start[g0.first]) {
    const c = t.text.charCodeAt(t.start[p]!);
    if (t.kind[p] === K_PUNCT && c === 43) run.plus = true;
    if (t.kind[p] === K_PUNCT && CURRENCY.has(c)) run.amount = true;
  }
  // Digits a mask kept: "****4242", "XXX-XX-1234", "**** **** **** 4242".
  if (maskBefore(t, g0.first) >= 0) run.masked = true;
  const n = gl.last + 1;
  if (n < t.count && t.start[n] === t.end[gl.last]) {
    const c = t.text.charCodeAt(t.start[n]!);
    if (t.kind[n] === K_PUNCT && CURRENCY.has(c)) run.amount = true;
    if (isMaskToken(t, n) || t.kind[n] === K_MIXED) run.masked = true;
  }
  if (g0.first > 0 && t.kind[g0.first - 1] === K_MIXED && t.end[g0.first - 1] === t.start[g0.first])
    run.masked = true;
}

function loneAmbiguous(x: DigitGroup): boolean {
  return x.spoken && x.first === x.last && ((x.tokens.lex[x.first]?.flags ?? 0) & F_AMBIGUOUS) !== 0;
}

function bigValue(x: DigitGroup): boolean {
  return (x.tokens.lex[x.first]?.numValue ?? 0) >= 10;
}

/**
 * Drops ambiguous words ("oh", "once", "une") that stand without a neighbouring number. A
 * trailing one is dropped only when it is not a digit reading ("42 once", "5 cents").
 */
function trimAmbiguous(run: DigitRun): void {
  const g = run.groups;
  while (g.length > 0 && loneAmbiguous(g[0]!) && (g.length === 1 || g[1]!.sep === 44 || g[1]!.sep === 46))
    g.shift();
  while (g.length > 0 && loneAmbiguous(g[g.length - 1]!) && (g.length === 1 || bigValue(g[g.length - 1]!)))
    g.pop();
}

/**
 * Finds every digit run (written, spoken or mixed) among the unused tokens. `continuing`: the
 * speaker is in the middle of reading a number.
 */
export function findDigitRuns(t: Tokens, langMask: number, continuing = false): DigitRun[] {
  const runs: DigitRun[] = [];
  if ((t.kinds & (1 << K_NUM)) === 0 && (t.flags & F_NUM) === 0) return runs;
  let i = 0;
  while (i < t.count) {
    if (t.used[i] === 1 || (t.kind[i] !== K_NUM && t.kind[i] !== K_WORD)) {
      i++;
      continue;
    }
    const first = readGroup(t, i, langMask, 0);
    if (!first) {
      i++;
      continue;
    }
    const run: DigitRun = { groups: [first], digits: '', plus: false, amount: false, masked: false };
    let last = first.last;
    for (;;) {
      const nx = nextGroupStart(t, last);
      if (!nx || t.used[nx[0]] === 1) break;
      const g = readGroup(t, nx[0], langMask, nx[1]);
      if (!g) break;
      run.groups.push(g);
      last = g.last;
    }
    i = last + 1;
    markEdges(t, run);
    // While a number is being read in pieces, a lone "oh" is its next digit, not an interjection.
    if (!continuing) trimAmbiguous(run);
    if (run.groups.length === 0) continue;
    let digits = '';
    for (const g of run.groups) digits += g.digits;
    run.digits = digits;
    runs.push(run);
  }
  return runs;
}

/** Digits of groups a..b of a run. */
export function groupDigits(run: DigitRun, a: number, b: number): string {
  let s = '';
  for (let g = a; g <= b; g++) s += run.groups[g]!.digits;
  return s;
}
