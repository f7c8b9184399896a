import { F_CONTEXT, F_NUM, F_PHRASE, spanEquals, TokenWordSet } from './redaction.lexicon.ts';
import {
  C_CARD,
  C_CVV,
  C_HEALTH,
  C_NEG,
  C_PHONE,
  C_PIN,
  C_SIN,
  C_SSN,
  C_WALL,
  C_ZIP,
} from './redaction.lexicon-data.ts';
import { K_MASK, K_MIXED, K_NUM, K_PLACEHOLDER, K_WORD, type Tokens, tokenize } from './redaction.tokens.ts';

/** A context category seen near a candidate, `distance` words away. */
export interface ContextHit {
  ctx: number;
  distance: number;
}

/** An earlier segment: tokenized only when something needs to look back into it. */
export interface HistoryEntry {
  readonly text: string;
  tok: Tokens | null;
}

export function tokensOf(h: HistoryEntry): Tokens {
  if (!h.tok) h.tok = tokenize(h.text);
  return h.tok;
}

/** Where a candidate sits: its tokens plus earlier segments (most recent first) for look-back. */
export interface ContextScope {
  tokens: Tokens;
  history: readonly HistoryEntry[];
}

/** Placeholders of entities made of ordinary words; the others stand for numbers. */
const WORD_TYPES = new Set(['PERSON_NAME', 'EMAIL', 'REDACTED']);

/** A token that is, or replaced, part of a number: stepped over when looking for a neighbour. */
function isNumberish(t: Tokens, j: number): boolean {
  const k = t.kind[j];
  if (k === K_NUM) return true;
  if (k === K_WORD) return ((t.lex[j]?.flags ?? 0) & F_NUM) !== 0;
  if (k !== K_PLACEHOLDER) return false;
  const s = t.start[j]! + 1;
  let e = s;
  while (e < t.end[j]! - 1 && t.text.charCodeAt(e) !== 32) e++;
  return !WORD_TYPES.has(t.text.slice(s, e));
}

/**
 * Index of the nearest word on one side, within 3 tokens, else -1. Numbers (digits, number
 * words, and the placeholders of numbers) are stepped over, up to 8, so "security four 4242
 * code" reads the same once its number is redacted. Any other placeholder or a mask stood for
 * ordinary words: it is the neighbour (-1, no phrase word).
 */
function neighbour(t: Tokens, i: number, step: number): number {
  for (let j = i + step, n = 0, skipped = 0; j >= 0 && j < t.count && n < 3; j += step) {
    if (isNumberish(t, j) && skipped < 8) {
      skipped++;
      continue;
    }
    const k = t.kind[j];
    if (k === K_PLACEHOLDER || k === K_MASK) return -1;
    if (k === K_WORD) return j;
    n++;
  }
  return -1;
}

/** Token j is the (lowercase) word w; no slicing, phrase words are read for every run. */
function wordIs(t: Tokens, j: number, w: string): boolean {
  return j >= 0 && spanEquals(t.text, t.start[j]!, t.end[j]!, w);
}

function wordIn(t: Tokens, j: number, set: TokenWordSet): boolean {
  return j >= 0 && set.hasSpan(t.text, t.start[j]!, t.end[j]!, t.bucket[j]!);
}

const HEALTH_CARD = new TokenWordSet(
  'health medicare medicaid insurance member ohip ramq soleil santé salud',
);
const OTHER_CARD = new TokenWordSet('gift loyalty rewards library sim business id student report greeting');
const CODE_NEG = new TokenWordSet('promo discount confirmation reference tracking coupon error gift');
const CODE_PIN = new TokenWordSet('verification access time secret pin otp login secreto secrète');

/** Category of a word whose meaning depends on its neighbours. */
function phraseContext(t: Tokens, i: number, word: string): number {
  const prev = neighbour(t, i, -1);
  const next = neighbour(t, i, 1);
  switch (word) {
    case 'social':
      return wordIs(t, next, 'insurance') ? C_SIN : C_SSN;
    case 'security':
      if (wordIs(t, prev, 'social')) return C_SSN;
      return wordIs(t, next, 'code') ? C_CVV : wordIs(t, next, 'number') ? C_SSN : 0;
    case 'insurance':
      return wordIs(t, prev, 'social') ? C_SIN : C_HEALTH;
    case 'seguro':
      return wordIs(t, next, 'social') ? C_SSN : C_HEALTH;
    case 'assurance':
      return wordIs(t, next, 'sociale') ? C_SIN : wordIs(t, next, 'maladie') ? C_HEALTH : 0;
    case 'code':
      if (wordIs(t, prev, 'security')) return C_CVV;
      if (wordIs(t, prev, 'zip') || wordIs(t, prev, 'postal')) return C_ZIP;
      if (wordIs(t, prev, 'area')) return C_PHONE;
      if (wordIn(t, prev, CODE_NEG)) return C_NEG;
      if (wordIn(t, prev, CODE_PIN)) return C_PIN;
      return C_CVV | C_PIN;
    case 'card':
    case 'carte':
    case 'tarjeta':
      // "health card", "gift card", "carte soleil": not a payment card.
      if (wordIn(t, prev, HEALTH_CARD) || wordIn(t, next, HEALTH_CARD)) return C_HEALTH;
      return wordIn(t, prev, OTHER_CARD) ? C_NEG : C_CARD;
    default:
      return 0;
  }
}

/** Context category of token i (0 when the word says nothing). */
export function contextAt(t: Tokens, i: number): number {
  const e = t.lex[i];
  if (!e) return 0;
  if ((e.flags & F_PHRASE) !== 0) {
    // Read once per token: every run within reach looks at the same words again.
    if (!t.phraseMemo) t.phraseMemo = new Array<number>(t.count).fill(-1);
    const memo = t.phraseMemo;
    if (memo[i]! < 0) memo[i] = phraseContext(t, i, e.word) | e.ctx;
    return memo[i]!;
  }
  return (e.flags & F_CONTEXT) !== 0 ? e.ctx : 0;
}

function isWord(t: Tokens, i: number): boolean {
  return t.kind[i] === K_WORD || t.kind[i] === K_MIXED;
}

function isWall(t: Tokens, i: number): boolean {
  return t.kind[i] === K_PLACEHOLDER || t.kind[i] === K_MASK;
}

/** Word distance reached by a backward scan, tokens left to visit, and whether it passed a wall. */
interface Scan {
  d: number;
  budget: number;
  walled: boolean;
}

/**
 * Tokens a context scan visits at most, behind and ahead: words are counted, but digits and
 * punctuation between them are not, and "1 ! 2 ! 3 ! ..." must not make every run read back
 * over the whole text (quadratic on hostile input).
 */
const BACK_TOKENS = 128;
const AHEAD_TOKENS = 48;

/**
 * Walks back from token `from`, adding context hits. A placeholder or mask is a wall: context
 * is never read across an entity already redacted (what it hid may have changed the reading),
 * so redacting twice finds nothing new. Words past a wall are still noted, flagged C_WALL:
 * readers stop at the wall, but an order word past it still vetoes and an unrelated category
 * still counts against reading a mark as a card, since the first pass saw them.
 */
function scanBack(t: Tokens, from: number, back: number, scan: Scan, hits: ContextHit[]): void {
  for (let i = from; i >= 0 && scan.d < back && scan.budget > 0; i--) {
    scan.budget--;
    if (isWall(t, i)) {
      if (!scan.walled) hits.push({ ctx: C_WALL, distance: scan.d + 1 });
      scan.walled = true;
      continue;
    }
    if (!isWord(t, i)) continue;
    scan.d++;
    const c = contextAt(t, i);
    if (c !== 0) hits.push({ ctx: scan.walled ? c | C_WALL : c, distance: scan.d });
  }
}

/**
 * Context categories around tokens first..last, nearest first: up to `back` words before
 * (continuing into earlier segments) and `ahead` words after, within the same segment.
 */
export function contextHits(
  scope: ContextScope,
  first: number,
  last: number,
  answer: boolean,
  back = 12,
  ahead = 4,
): ContextHit[] {
  const hits: ContextHit[] = [];
  const scan: Scan = { d: 0, budget: BACK_TOKENS, walled: false };
  scanBack(scope.tokens, first - 1, back, scan, hits);
  // Earlier segments count only for an answer (the candidate opens its segment): otherwise an
  // old question would colour unrelated numbers said later.
  if (answer) {
    for (const h of scope.history) {
      if (scan.d >= back || scan.budget <= 0) break;
      const ht = tokensOf(h);
      scanBack(ht, ht.count - 1, back, scan, hits);
    }
  }
  const t = scope.tokens;
  let f = 0;
  let walled = false;
  const stop = Math.min(t.count, last + 1 + AHEAD_TOKENS);
  for (let i = last + 1; i < stop && f < ahead; i++) {
    if (isWall(t, i)) {
      if (!walled) hits.push({ ctx: C_WALL, distance: f + 1.5 });
      walled = true;
      continue;
    }
    if (!isWord(t, i)) continue;
    f++;
    const c = contextAt(t, i);
    // Ahead words count slightly farther than the same distance behind.
    if (c !== 0) hits.push({ ctx: walled ? c | C_WALL : c, distance: f + 0.5 });
  }
  if (hits.length > 1) hits.sort((a, b) => a.distance - b.distance);
  return hits;
}
