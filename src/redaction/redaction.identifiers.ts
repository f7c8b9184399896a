import { isIPv6 } from 'node:net';
import { F_AT, F_DOT, F_EMAIL_SEP, wordSet } from './redaction.lexicon.ts';
import { TLDS } from './redaction.lexicon-data.ts';
import { numberWord, readSpokenNumber } from './redaction.numbers.ts';
import { K_MIXED, K_NUM, K_PUNCT, K_WORD, lowerAt, type Tokens } from './redaction.tokens.ts';
import type { Finding } from './redaction.types.ts';
import { ibanLength, isValidIban, isValidMbi } from './redaction.validators.ts';

const TLD_SET = wordSet(TLDS);
const LOCAL_STOP = wordSet(
  "is my it its it's s email e-mail mail address at to the me you and or es est c'est correo courriel adresse dirección direccion",
);

/** First token whose start is >= offset (binary search on token starts). */
function tokenAt(t: Tokens, offset: number): number {
  let lo = 0;
  let hi = t.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.start[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function claim(t: Tokens, start: number, end: number): void {
  for (let i = tokenAt(t, start); i < t.count && t.start[i]! < end; i++) t.used[i] = 1;
}

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 45 ||
    c === 43 ||
    c === 37
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** Written addresses around each '@'. */
export function findWrittenEmails(t: Tokens, out: Finding[]): void {
  const text = t.text;
  let at = text.indexOf('@');
  while (at >= 0) {
    let s = at;
    while (s > 0 && isLocalChar(text.charCodeAt(s - 1))) s--;
    let e = at + 1;
    while (e < text.length && isDomainChar(text.charCodeAt(e))) e++;
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    const domain = text.slice(at + 1, e);
    const dot = domain.lastIndexOf('.');
    if (s < at && dot > 0 && /^[a-z]{2,24}$/i.test(domain.slice(dot + 1))) {
      out.push({ type: 'EMAIL', start: s, end: e, confidence: 0.98, detector: 'email-format' });
      claim(t, s, e);
    }
    at = text.indexOf('@', Math.max(e, at + 1));
  }
}

function isDot(t: Tokens, i: number): boolean {
  if (i >= t.count) return false;
  if (t.kind[i] === K_PUNCT) return t.text.charCodeAt(t.start[i]!) === 46;
  return t.kind[i] === K_WORD && ((t.lex[i]?.flags ?? 0) & F_DOT) !== 0;
}

function isLabel(t: Tokens, i: number): boolean {
  return (
    i >= 0 &&
    i < t.count &&
    t.used[i] !== 1 &&
    (t.kind[i] === K_WORD || t.kind[i] === K_MIXED || t.kind[i] === K_NUM)
  );
}

/** Domain after a spoken "at": labels joined by "dot" ending in a known TLD. Returns last token. */
function spokenDomain(t: Tokens, i: number): number {
  let j = i;
  let last = -1;
  for (let labels = 0; labels < 4 && isLabel(t, j); labels++) {
    if (labels > 0 && TLD_SET.has(lowerAt(t, j))) last = j;
    if (!isDot(t, j + 1)) break;
    j += 2;
  }
  return last;
}

function separatorBefore(t: Tokens, i: number): boolean {
  if (i < 0) return false;
  if (t.kind[i] === K_PUNCT) {
    const c = t.text.charCodeAt(t.start[i]!);
    return c === 46 || c === 95 || c === 45;
  }
  return t.kind[i] === K_WORD && ((t.lex[i]?.flags ?? 0) & (F_DOT | F_EMAIL_SEP)) !== 0;
}

/** Local part before a spoken "at": labels joined by dot/underscore/dash, spelled letters, digits. */
function spokenLocalStart(t: Tokens, a: number, langMask: number): number {
  let i = a - 1;
  if (!isLabel(t, i) || LOCAL_STOP.has(lowerAt(t, i))) return -1;
  let start = i;
  // Trailing digits ("john smith eighty two at ...") belong to the local part.
  while (i >= 0 && (t.kind[i] === K_NUM || numberWord(t, i, langMask)) && i > a - 7) i--;
  if (i < a - 1 && isLabel(t, i) && !LOCAL_STOP.has(lowerAt(t, i))) start = i;
  else if (i < a - 1) start = i + 1;
  // Spelled letters: "j o h n at".
  while (
    start > 0 &&
    t.end[start]! - t.start[start]! === 1 &&
    t.kind[start - 1] === K_WORD &&
    t.end[start - 1]! - t.start[start - 1]! === 1
  ) {
    start--;
  }
  for (let labels = 0; labels < 4 && separatorBefore(t, start - 1) && isLabel(t, start - 2); labels++) {
    if (LOCAL_STOP.has(lowerAt(t, start - 2))) break;
    start -= 2;
  }
  return start;
}

function spokenValue(t: Tokens, a: number, b: number, langMask: number): string {
  let s = '';
  for (let i = a; i <= b; i++) {
    const e = t.lex[i];
    if (t.kind[i] === K_PUNCT) s += t.text[t.start[i]!];
    else if (e && (e.flags & F_AT) !== 0) s += '@';
    else if (e && (e.flags & F_DOT) !== 0) s += '.';
    else if (e && (e.flags & F_EMAIL_SEP) !== 0) s += e.emailSep;
    else if (numberWord(t, i, langMask)) {
      const c = readSpokenNumber(t, i, langMask);
      s += c ? c.digits : '';
      if (c) i = c.end;
    } else s += lowerAt(t, i);
  }
  return s;
}

/** Spoken addresses: "john dot smith at example dot com", "j o h n at gmail dot com". */
export function findSpokenEmails(t: Tokens, langMask: number, out: Finding[]): void {
  for (let a = 1; a < t.count; a++) {
    const e = t.lex[a];
    if (!e || (e.flags & F_AT) === 0 || t.kind[a] !== K_WORD || t.used[a] === 1) continue;
    const last = spokenDomain(t, a + 1);
    if (last < 0) continue;
    const first = spokenLocalStart(t, a, langMask);
    if (first < 0) continue;
    const value = spokenValue(t, first, last, langMask);
    out.push({
      type: 'EMAIL',
      start: t.start[first]!,
      end: t.end[last]!,
      confidence: 0.9,
      detector: 'email-spoken',
      value,
    });
    for (let i = first; i <= last; i++) t.used[i] = 1;
    a = last;
  }
}

const IPV6_CANDIDATE = /(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])/g;

/** IPv6 addresses (IPv4 is read from digit runs). */
export function findIpv6(t: Tokens, out: Finding[]): void {
  if (t.text.indexOf(':') < 0) return;
  IPV6_CANDIDATE.lastIndex = 0;
  for (let m = IPV6_CANDIDATE.exec(t.text); m; m = IPV6_CANDIDATE.exec(t.text)) {
    const s = m[0];
    if (s.length < 3 || !isIPv6(s)) continue;
    out.push({
      type: 'IP_ADDRESS',
      start: m.index,
      end: m.index + s.length,
      confidence: 0.95,
      detector: 'ip-format',
    });
    claim(t, m.index, m.index + s.length);
  }
}

function alnumAt(t: Tokens, i: number): string {
  return i < t.count &&
    (t.kind[i] === K_MIXED || t.kind[i] === K_NUM || t.kind[i] === K_WORD) &&
    t.used[i] !== 1
    ? t.text.slice(t.start[i], t.end[i]).toUpperCase()
    : '';
}

/** IBANs written whole or in groups of four ("DE89 3704 0044 0532 0130 00"). */
export function findIbans(t: Tokens, out: Finding[]): void {
  for (let i = 0; i < t.count; i++) {
    if (t.kind[i] !== K_MIXED || t.used[i] === 1) continue;
    const head = alnumAt(t, i);
    if (!/^[A-Z]{2}\d{2}/.test(head)) continue;
    const want = ibanLength(head.slice(0, 2));
    if (want === 0) continue;
    let iban = head;
    let j = i;
    while (iban.length < want && j + 1 < t.count && t.nl[j + 1] === 0) {
      const next = alnumAt(t, j + 1);
      if (!next || next.length > 4) break;
      iban += next;
      j++;
    }
    if (!isValidIban(iban)) continue;
    for (let k = i; k <= j; k++) t.used[k] = 1;
    out.push({
      type: 'IBAN',
      start: t.start[i]!,
      end: t.end[j]!,
      confidence: 0.97,
      detector: 'iban-mod97',
      value: iban,
    });
    i = j;
  }
}

/** Medicare Beneficiary Identifiers, whole or dashed 4-3-4 ("1EG4-TE5-MK73"). */
export function findMbis(t: Tokens, out: Finding[]): void {
  for (let i = 0; i < t.count; i++) {
    if ((t.kind[i] !== K_MIXED && t.kind[i] !== K_NUM) || t.used[i] === 1) continue;
    const len = t.end[i]! - t.start[i]!;
    let last = i;
    let id = '';
    if (len === 11) id = alnumAt(t, i);
    else if (len === 4 && t.text[t.end[i]!] === '-' && t.text[t.end[i]! + 4] === '-') {
      id = alnumAt(t, i) + alnumAt(t, i + 2) + alnumAt(t, i + 4);
      last = i + 4;
    }
    if (id.length !== 11 || !isValidMbi(id)) continue;
    for (let k = i; k <= last; k++) t.used[k] = 1;
    out.push({
      type: 'HEALTH_ID',
      start: t.start[i]!,
      end: t.end[last]!,
      confidence: 0.95,
      detector: 'mbi-format',
      value: id,
    });
    i = last;
  }
}

export { claim, tokenAt };
