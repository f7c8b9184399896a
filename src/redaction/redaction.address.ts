import {
  F_CONTEXT,
  F_PHRASE,
  F_PO_BOX,
  F_STREET_PREFIX,
  F_STREET_SUFFIX,
  F_UNIT,
  wordSet,
} from './redaction.lexicon.ts';
import { REGION_CODES, REGION_NAMES } from './redaction.lexicon-data.ts';
import { numberWord, readSpokenNumber } from './redaction.numbers.ts';
import { CAP_ALL, K_MIXED, K_NUM, K_PUNCT, K_WORD, lowerAt, type Tokens } from './redaction.tokens.ts';
import type { Finding } from './redaction.types.ts';
import { isCanadianPostalCode } from './redaction.validators.ts';

const REGION_NAME_SET = wordSet(REGION_NAMES);
const REGION_CODE_SET = wordSet(REGION_CODES);
const STREET_STOP = wordSet(
  'the on in at a an of to my your our his her and or is was for with from by this that i it we they me you near off just',
);
const DIRECTIONS = wordSet(
  'n s e w ne nw se sw north south east west nord sud est ouest norte sur este oeste',
);
const NAME_LINKS = wordSet('de du des la le l saint st ste sainte del los las san santa');

function punctIs(t: Tokens, i: number, code: number): boolean {
  return i >= 0 && i < t.count && t.kind[i] === K_PUNCT && t.text.charCodeAt(t.start[i]!) === code;
}

/** A word that can be part of a street name ("Main", "Saint-Denis", "5th"). */
function isStreetNameWord(t: Tokens, i: number, langMask: number): boolean {
  if (i < 0 || i >= t.count || t.used[i] === 1) return false;
  if (t.kind[i] === K_MIXED) return /^\d{1,3}(st|nd|rd|th|e|er)$/i.test(t.text.slice(t.start[i], t.end[i]));
  if (t.kind[i] !== K_WORD || numberWord(t, i, langMask)) return false;
  if (((t.lex[i]?.flags ?? 0) & (F_CONTEXT | F_PHRASE)) !== 0) return false;
  return !STREET_STOP.has(lowerAt(t, i));
}

/** Start token of a house number ending at token i (written or spoken), else -1. */
function houseNumberStart(t: Tokens, i: number, langMask: number): number {
  if (i < 0 || t.used[i] === 1) return -1;
  if (t.kind[i] === K_NUM) return t.end[i]! - t.start[i]! <= 6 ? i : -1;
  if (t.kind[i] === K_MIXED) return /^\d{1,6}[a-z]$/i.test(t.text.slice(t.start[i], t.end[i])) ? i : -1;
  let j = i;
  let words = 0;
  while (j >= 0 && words < 8 && t.used[j] !== 1 && (numberWord(t, j, langMask) || punctIs(t, j, 45))) {
    if (t.kind[j] === K_WORD) words++;
    j--;
  }
  return words > 0 ? j + 1 : -1;
}

/** Token after a ZIP or postal code that starts at i, else i. */
function readPostal(t: Tokens, i: number, langMask: number): number {
  if (i >= t.count) return i;
  if (t.kind[i] === K_NUM && t.end[i]! - t.start[i]! === 5) {
    return punctIs(t, i + 1, 45) && t.kind[i + 2] === K_NUM ? i + 3 : i + 1;
  }
  if (t.kind[i] === K_MIXED) {
    const a = t.text.slice(t.start[i], t.end[i]).toUpperCase();
    if (a.length === 6 && isCanadianPostalCode(a)) return i + 1;
    const b = i + 1 < t.count ? t.text.slice(t.start[i + 1], t.end[i + 1]).toUpperCase() : '';
    if (a.length === 3 && isCanadianPostalCode(a + b)) return i + 2;
  }
  let digits = 0;
  let j = i;
  while (digits < 5 && numberWord(t, j, langMask)) {
    const c = readSpokenNumber(t, j, langMask);
    if (!c) break;
    digits += c.digits.length;
    j = c.end + 1;
  }
  return digits === 5 || digits === 9 ? j : i;
}

function isRegion(t: Tokens, i: number): boolean {
  if (t.kind[i] !== K_WORD) return false;
  const w = t.text.slice(t.start[i], t.end[i]);
  if (w.length === 2 && t.cap[i] === CAP_ALL) return REGION_CODE_SET.has(w);
  return REGION_NAME_SET.has(w.toLowerCase());
}

/** Extends an address past the street: direction, unit, city, region, postal code. */
function extendAddress(t: Tokens, i: number, langMask: number): number {
  let j = i + 1;
  if (punctIs(t, j, 46)) j++;
  if (j < t.count && t.kind[j] === K_WORD && DIRECTIONS.has(lowerAt(t, j))) j++;
  let last = j - 1;
  let k = punctIs(t, j, 44) ? j + 1 : j;
  const unitWord = k < t.count && t.kind[k] === K_WORD && ((t.lex[k]?.flags ?? 0) & F_UNIT) !== 0;
  if (unitWord || punctIs(t, k, 35)) {
    k++;
    if (punctIs(t, k, 35) || punctIs(t, k, 46)) k++;
    let parts = 0;
    while (
      k < t.count &&
      parts < 4 &&
      (t.kind[k] === K_NUM ||
        t.kind[k] === K_MIXED ||
        numberWord(t, k, langMask) ||
        (t.kind[k] === K_WORD && t.end[k]! - t.start[k]! === 1))
    ) {
      k++;
      parts++;
    }
    if (parts > 0) last = k - 1;
    j = k;
  }
  // City then region ("Springfield, IL 62704"): only taken when a region word closes it.
  for (let r = j, words = 0; r < t.count && words <= 4; r++) {
    if (t.kind[r] === K_PUNCT && !punctIs(t, r, 44)) break;
    if (t.kind[r] !== K_WORD) continue;
    if (isRegion(t, r)) {
      last = r;
      const p = readPostal(t, punctIs(t, r + 1, 44) ? r + 2 : r + 1, langMask);
      if (p > r + 2 || (p > r + 1 && !punctIs(t, r + 1, 44))) last = p - 1;
      return last;
    }
    words++;
  }
  const p = readPostal(t, punctIs(t, last + 1, 44) ? last + 2 : last + 1, langMask);
  return p > last + 2 ? p - 1 : last;
}

function streetBySuffix(t: Tokens, s: number, langMask: number): [number, number] | null {
  let i = s - 1;
  let names = 0;
  while (names < 4 && (isStreetNameWord(t, i, langMask) || (punctIs(t, i, 45) && names > 0))) {
    if (t.kind[i] !== K_PUNCT) names++;
    i--;
  }
  if (names === 0) return null;
  const h = houseNumberStart(t, i, langMask);
  return h < 0 ? null : [h, extendAddress(t, s, langMask)];
}

/** French/Spanish order: "123, rue Saint-Denis", "calle Mayor 12", "Avenida Insurgentes Sur 1602". */
function streetByPrefix(t: Tokens, p: number, langMask: number): [number, number] | null {
  let i = p + 1;
  let names = 0;
  while (names < 5 && i < t.count && t.used[i] !== 1) {
    if (punctIs(t, i, 45) || punctIs(t, i, 39)) i++;
    else if (isStreetNameWord(t, i, langMask) || (t.kind[i] === K_WORD && NAME_LINKS.has(lowerAt(t, i)))) {
      i++;
      names++;
    } else break;
  }
  if (names === 0) return null;
  const before = punctIs(t, p - 1, 44) ? p - 2 : p - 1;
  const h = houseNumberStart(t, before, langMask);
  if (h >= 0) return [h, extendAddress(t, i - 1, langMask)];
  if (
    i < t.count &&
    (t.kind[i] === K_NUM || t.kind[i] === K_MIXED) &&
    houseNumberStart(t, i, langMask) === i
  ) {
    return [p, extendAddress(t, i, langMask)];
  }
  return null;
}

function poBox(t: Tokens, b: number): [number, number] | null {
  const n = t.kind[b + 1] === K_NUM ? b + 1 : -1;
  if (n < 0) return null;
  let s = b;
  const w = lowerAt(t, b);
  if (w === 'box') {
    let j = b - 1;
    while (j >= 0 && j >= b - 5 && (punctIs(t, j, 46) || /^(p|o|po|post|office)$/i.test(lowerAt(t, j)))) j--;
    if (j === b - 1) return null;
    s = j + 1;
  } else if (w === 'postale' && b > 0 && lowerAt(t, b - 1) === 'case') s = b - 1;
  else if (w !== 'apartado') return null;
  return [s, n];
}

/** Street addresses (US/CA and French/Spanish order), PO boxes; tokens are claimed. */
export function findAddresses(t: Tokens, langMask: number, out: Finding[]): void {
  for (let i = 0; i < t.count; i++) {
    const e = t.lex[i];
    if (!e || t.used[i] === 1 || t.kind[i] !== K_WORD) continue;
    let span: [number, number] | null = null;
    if ((e.flags & F_STREET_SUFFIX) !== 0) span = streetBySuffix(t, i, langMask);
    if (!span && (e.flags & F_STREET_PREFIX) !== 0) span = streetByPrefix(t, i, langMask);
    if (!span && (e.flags & F_PO_BOX) !== 0) span = poBox(t, i);
    if (!span) continue;
    const [a, b] = span;
    for (let j = a; j <= b; j++) t.used[j] = 1;
    out.push({
      type: 'ADDRESS',
      start: t.start[a]!,
      end: t.end[b]!,
      confidence: 0.85,
      detector: 'address-street',
    });
    i = b;
  }
}

/** Canadian postal codes on their own ("H2X 1Y4"): unambiguous by format. */
export function findPostalCodes(t: Tokens, out: Finding[]): void {
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== K_MIXED || t.used[i] === 1) continue;
    const len = t.end[i]! - t.start[i]!;
    if (len !== 3 && len !== 6) continue;
    const end = readPostal(t, i, 0);
    if (end === i) continue;
    for (let j = i; j < end; j++) t.used[j] = 1;
    out.push({
      type: 'ADDRESS',
      start: t.start[i]!,
      end: t.end[end - 1]!,
      confidence: 0.9,
      detector: 'postal-code',
    });
    i = end - 1;
  }
}
