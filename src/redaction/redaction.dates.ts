import { type ContextScope, contextHits } from './redaction.context.ts';
import { F_MONTH, F_NUM, F_ORDINAL } from './redaction.lexicon.ts';
import { C_DOB, C_EXP, C_WALL } from './redaction.lexicon-data.ts';
import { readSpokenNumber } from './redaction.numbers.ts';
import { K_MIXED, K_NUM, K_PUNCT, K_WORD, lowerAt, type Tokens } from './redaction.tokens.ts';
import type { Finding } from './redaction.types.ts';

interface Part {
  value: number;
  digits: number;
  end: number;
}

const ORDINAL_SUFFIX = /^(\d{1,2})(st|nd|rd|th|er|re|e|º|o)$/i;

/** A day of month at token i: "14", "14th", "fourteenth", "twenty first", "fourteen". */
function readDay(t: Tokens, i: number, langMask: number): Part | null {
  if (i >= t.count) return null;
  const k = t.kind[i];
  if (k === K_NUM) {
    const v = Number(t.text.slice(t.start[i], t.end[i]));
    return t.end[i]! - t.start[i]! <= 2 && v >= 1 && v <= 31 ? { value: v, digits: 2, end: i } : null;
  }
  if (k === K_MIXED) {
    const m = ORDINAL_SUFFIX.exec(t.text.slice(t.start[i], t.end[i]));
    return m && Number(m[1]) >= 1 && Number(m[1]) <= 31 ? { value: Number(m[1]), digits: 2, end: i } : null;
  }
  const e = t.lex[i];
  if (!e || k !== K_WORD) return null;
  if ((e.flags & F_ORDINAL) !== 0) return { value: e.ordinal, digits: 2, end: i };
  if ((e.flags & F_NUM) === 0) return null;
  // "twenty first": tens word then an ordinal unit.
  const nx = i + 1 < t.count && t.kind[i + 1] === K_PUNCT ? i + 2 : i + 1;
  const o = t.lex[nx];
  if ((e.numValue === 20 || e.numValue === 30) && o && (o.flags & F_ORDINAL) !== 0 && o.ordinal < 10) {
    return { value: e.numValue + o.ordinal, digits: 2, end: nx };
  }
  const c = readSpokenNumber(t, i, langMask);
  return c && c.value >= 1 && c.value <= 31 ? { value: c.value, digits: 2, end: c.end } : null;
}

/** A year at token i: "1985", "'85", "nineteen eighty five", "two thousand five". */
function readYear(t: Tokens, i: number, langMask: number): Part | null {
  if (i >= t.count) return null;
  if (t.kind[i] === K_NUM) {
    const len = t.end[i]! - t.start[i]!;
    return len === 4 || len === 2
      ? { value: Number(t.text.slice(t.start[i], t.end[i])), digits: len, end: i }
      : null;
  }
  const a = readSpokenNumber(t, i, langMask);
  if (!a) return null;
  if (a.value >= 1900 && a.value <= 2099) return { value: a.value, digits: 4, end: a.end };
  if ((a.value === 19 || a.value === 20) && a.end + 1 < t.count) {
    const b = readSpokenNumber(t, a.end + 1, langMask);
    if (b && b.value < 100 && b.digits.length <= 2)
      return { value: a.value * 100 + b.value, digits: 4, end: b.end };
  }
  return a.value >= 10 && a.value < 100 ? { value: a.value, digits: 2, end: a.end } : null;
}

const LINK_WORDS = new Set(['the', 'of', 'de', 'del', 'le']);

/** Skips ',', "the", "of", "de": the filler words of written and spoken dates. */
function skipLinks(t: Tokens, i: number): number {
  let j = i;
  while (j < t.count && j < i + 3) {
    if (t.kind[j] === K_PUNCT && t.text.charCodeAt(t.start[j]!) === 44) j++;
    else if (t.kind[j] === K_WORD && LINK_WORDS.has(lowerAt(t, j))) j++;
    else break;
  }
  return j;
}

interface DateSpan {
  first: number;
  last: number;
  hasDay: boolean;
  hasYear: boolean;
}

function matchDate(t: Tokens, m: number, langMask: number): DateSpan | null {
  // Month first: "March 14, 1985", "March fourteenth nineteen eighty five", "April 2027".
  const day = readDay(t, skipLinks(t, m + 1), langMask);
  if (day) {
    const year = readYear(t, skipLinks(t, day.end + 1), langMask);
    if (year) return { first: m, last: year.end, hasDay: true, hasYear: true };
    if (day.value <= 31) return { first: m, last: day.end, hasDay: true, hasYear: false };
  }
  const yearOnly = readYear(t, skipLinks(t, m + 1), langMask);
  let first = m;
  // Day first: "14 March 1985", "le 14 mars", "14 de marzo de 1985".
  for (let j = m - 1; j >= 0 && j >= m - 3; j--) {
    if (t.kind[j] === K_NUM || t.kind[j] === K_MIXED || t.kind[j] === K_WORD) {
      const d = readDay(t, j, langMask);
      if (d && d.end >= m - 2 && d.end < m) {
        first = j;
        break;
      }
    }
  }
  if (yearOnly && yearOnly.digits === 4)
    return { first, last: yearOnly.end, hasDay: first < m, hasYear: true };
  if (first < m) return { first, last: m, hasDay: true, hasYear: false };
  return null;
}

/**
 * Dates written or spoken with a month name. A date of birth or card expiry is reported when
 * context says so; any other date is claimed (tokens marked used) so its numbers are never
 * misread as a PIN or code, and left in the text.
 */
export function findMonthDates(scope: ContextScope, langMask: number, out: Finding[]): void {
  const t = scope.tokens;
  for (let i = 0; i < t.count; i++) {
    const e = t.lex[i];
    if (!e || (e.flags & F_MONTH) === 0 || t.used[i] === 1) continue;
    const span = matchDate(t, i, langMask);
    if (!span) continue;
    for (let j = span.first; j <= span.last; j++) t.used[j] = 1;
    const hits = contextHits(scope, span.first, span.last, span.first <= 3, 12, 3);
    for (const h of hits) {
      if ((h.ctx & C_WALL) !== 0) break;
      if ((h.ctx & C_DOB) !== 0 && span.hasDay) {
        out.push(finding('DATE_OF_BIRTH', t, span, 'dob-context'));
        break;
      }
      if ((h.ctx & C_EXP) !== 0 && span.hasYear) {
        out.push(finding('CARD_EXPIRY', t, span, 'expiry-context'));
        break;
      }
    }
    i = span.last;
  }
}

function finding(
  type: 'DATE_OF_BIRTH' | 'CARD_EXPIRY',
  t: Tokens,
  span: DateSpan,
  detector: string,
): Finding {
  return { type, start: t.start[span.first]!, end: t.end[span.last]!, confidence: 0.9, detector };
}
