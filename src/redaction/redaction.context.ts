import { F_CONTEXT, F_NUM, F_PHRASE } from './redaction.lexicon.ts';
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
import {
  K_MASK,
  K_MIXED,
  K_NUM,
  K_PLACEHOLDER,
  K_WORD,
  lowerAt,
  type Tokens,
  tokenize,
} from './redaction.tokens.ts';

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
 * The nearest word on one side, within 3 tokens. Numbers (digits, number words, and the
 * placeholders of numbers) are stepped over, up to 8, so "security four 4242 code" reads the
 * same once its number is redacted. Any other placeholder or a mask stood for ordinary words:
 * it is the neighbour, and no phrase word is one.
 */
function neighbourWord(t: Tokens, i: number, step: number): string {
  for (let j = i + step, n = 0, skipped = 0; j >= 0 && j < t.count && n < 3; j += step) {
    if (isNumberish(t, j) && skipped < 8) {
      skipped++;
      continue;
    }
    const k = t.kind[j];
    if (k === K_PLACEHOLDER || k === K_MASK) return '';
    if (k === K_WORD) return lowerAt(t, j);
    n++;
  }
  return '';
}

const HEALTH_CARD = new Set([
  'health',
  'medicare',
  'medicaid',
  'insurance',
  'member',
  'ohip',
  'ramq',
  'soleil',
  'santé',
  'salud',
]);
const OTHER_CARD = new Set([
  'gift',
  'loyalty',
  'rewards',
  'library',
  'sim',
  'business',
  'id',
  'student',
  'report',
  'greeting',
]);
const CODE_NEG = new Set([
  'promo',
  'discount',
  'confirmation',
  'reference',
  'tracking',
  'coupon',
  'error',
  'gift',
]);
const CODE_PIN = new Set([
  'verification',
  'access',
  'time',
  'secret',
  'pin',
  'otp',
  'login',
  'secreto',
  'secrète',
]);

/** Category of a word whose meaning depends on its neighbours. */
function phraseContext(t: Tokens, i: number, word: string): number {
  const prev = neighbourWord(t, i, -1);
  const next = neighbourWord(t, i, 1);
  switch (word) {
    case 'social':
      return next === 'insurance' ? C_SIN : C_SSN;
    case 'security':
      if (prev === 'social') return C_SSN;
      return next === 'code' ? C_CVV : next === 'number' ? C_SSN : 0;
    case 'insurance':
      return prev === 'social' ? C_SIN : C_HEALTH;
    case 'seguro':
      return next === 'social' ? C_SSN : C_HEALTH;
    case 'assurance':
      return next === 'sociale' ? C_SIN : next === 'maladie' ? C_HEALTH : 0;
    case 'code':
      if (prev === 'security') return C_CVV;
      if (prev === 'zip' || prev === 'postal') return C_ZIP;
      if (prev === 'area') return C_PHONE;
      if (CODE_NEG.has(prev)) return C_NEG;
      if (CODE_PIN.has(prev)) return C_PIN;
      return C_CVV | C_PIN;
    case 'card':
    case 'carte':
    case 'tarjeta':
      // "health card", "gift card", "carte soleil": not a payment card.
      if (HEALTH_CARD.has(prev) || HEALTH_CARD.has(next)) return C_HEALTH;
      return OTHER_CARD.has(prev) ? C_NEG : C_CARD;
    default:
      return 0;
  }
}

/** Context category of token i (0 when the word says nothing). */
export function contextAt(t: Tokens, i: number): number {
  const e = t.lex[i];
  if (!e) return 0;
  if ((e.flags & F_PHRASE) !== 0) return phraseContext(t, i, e.word) | e.ctx;
  return (e.flags & F_CONTEXT) !== 0 ? e.ctx : 0;
}

function isWord(t: Tokens, i: number): boolean {
  return t.kind[i] === K_WORD || t.kind[i] === K_MIXED;
}

function isWall(t: Tokens, i: number): boolean {
  return t.kind[i] === K_PLACEHOLDER || t.kind[i] === K_MASK;
}

/** Word distance reached by a backward scan, and whether it passed a wall. */
interface Scan {
  d: number;
  walled: boolean;
}

/**
 * Walks back from token `from`, adding context hits. A placeholder or mask is a wall: context
 * is never read across an entity already redacted (what it hid may have changed the reading),
 * so redacting twice finds nothing new. Words past a wall are still noted, flagged C_WALL:
 * readers stop at the wall, but an order word past it still vetoes and an unrelated category
 * still counts against reading a mark as a card, since the first pass saw them.
 */
function scanBack(t: Tokens, from: number, back: number, scan: Scan, hits: ContextHit[]): void {
  for (let i = from; i >= 0 && scan.d < back; i--) {
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
  const scan: Scan = { d: 0, walled: false };
  scanBack(scope.tokens, first - 1, back, scan, hits);
  // Earlier segments count only for an answer (the candidate opens its segment): otherwise an
  // old question would colour unrelated numbers said later.
  if (answer) {
    for (const h of scope.history) {
      if (scan.d >= back) break;
      const ht = tokensOf(h);
      scanBack(ht, ht.count - 1, back, scan, hits);
    }
  }
  const t = scope.tokens;
  let f = 0;
  let walled = false;
  for (let i = last + 1; i < t.count && f < ahead; i++) {
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
  hits.sort((a, b) => a.distance - b.distance);
  return hits;
}
