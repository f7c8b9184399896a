import type { ContextHit } from './redaction.context.ts';
import {
  C_ACCOUNT,
  C_CARD,
  C_CVV,
  C_DOB,
  C_EXP,
  C_HEALTH,
  C_NEG,
  C_PHONE,
  C_PIN,
  C_ROUTING,
  C_SIN,
  C_SSN,
  C_WALL,
  C_ZIP,
} from './redaction.lexicon-data.ts';
import { type DigitRun, groupDigits } from './redaction.runs.ts';
import type { EntityType } from './redaction.types.ts';
import {
  isCardNumber,
  isLuhnValid,
  isNanpNumber,
  isValidMonthDay,
  isValidRoutingNumber,
  isValidSin,
  isValidSsn,
} from './redaction.validators.ts';

/** A classified stretch of a run: groups g0..g1. */
export interface RunMatch {
  type: EntityType;
  g0: number;
  g1: number;
  confidence: number;
  detector: string;
  value: string;
}

/** Category priority when one word carries several ("verification" = CVV or PIN). */
const PRIORITY = [
  C_CVV,
  C_PIN,
  C_EXP,
  C_DOB,
  C_SSN,
  C_SIN,
  C_ROUTING,
  C_PHONE,
  C_HEALTH,
  C_ACCOUNT,
  C_ZIP,
  C_CARD,
];

function isSpoken(run: DigitRun, a: number, b: number): boolean {
  for (let g = a; g <= b; g++) if (run.groups[g]!.spoken) return true;
  return false;
}

function validExpiry(d: string): boolean {
  if (d.length === 4 || d.length === 6) {
    const m = Number(d.slice(0, 2));
    return m >= 1 && m <= 12 && (d.length === 4 || d.startsWith('20', 2));
  }
  if (d.length === 3) return d[0] !== '0';
  return false;
}

function plausibleYear(y: number, digits: number): boolean {
  return digits === 2 || (y >= 1900 && y <= 2035);
}

/** True when the digits (with group shapes) read as a calendar date. */
function validDate(run: DigitRun, a: number, b: number): boolean {
  const lens = [];
  for (let g = a; g <= b; g++) lens.push(run.groups[g]!.digits.length);
  const d = groupDigits(run, a, b);
  const ok = (m: string, day: string, y: string) =>
    isValidMonthDay(Number(m), Number(day)) && plausibleYear(Number(y), y.length);
  if (lens.length === 3 && !isSpoken(run, a, b)) {
    const [p, q, r] = [run.groups[a]!.digits, run.groups[a + 1]!.digits, run.groups[b]!.digits];
    if (p.length === 4) return ok(q, r, p);
    return (r.length === 2 || r.length === 4) && (ok(p, q, r) || ok(q, p, r));
  }
  if (d.length === 8) {
    return (
      ok(d.slice(0, 2), d.slice(2, 4), d.slice(4)) ||
      ok(d.slice(2, 4), d.slice(0, 2), d.slice(4)) ||
      ok(d.slice(4, 6), d.slice(6), d.slice(0, 4))
    );
  }
  if (d.length === 6)
    return ok(d.slice(0, 2), d.slice(2, 4), d.slice(4)) || ok(d.slice(2, 4), d.slice(0, 2), d.slice(4));
  if (d.length === 7)
    return ok(d.slice(0, 1), d.slice(1, 3), d.slice(3)) || ok(d.slice(0, 2), d.slice(2, 3), d.slice(3));
  return false;
}

type Fit = [EntityType, number] | null;

/** Whether a run stretch of n digits fits a context category, and with what confidence. */
function fitCategory(cat: number, run: DigitRun, a: number, b: number, d: string): Fit {
  const n = d.length;
  switch (cat) {
    case C_CVV:
      return n === 3 || n === 4 ? ['CARD_CVV', 0.9] : null;
    case C_PIN:
      return n >= 4 && n <= 8 ? ['PIN', 0.9] : null;
    case C_EXP:
      return validExpiry(d) ? ['CARD_EXPIRY', 0.9] : null;
    case C_DOB:
      return validDate(run, a, b) ? ['DATE_OF_BIRTH', 0.9] : null;
    case C_SSN:
      if (n === 9) return ['US_SSN', isValidSsn(d) ? 0.95 : 0.8];
      return n === 4 ? ['US_SSN', 0.85] : null;
    case C_SIN:
      return n === 9 ? ['CA_SIN', isValidSin(d) ? 0.95 : 0.75] : null;
    case C_ROUTING:
      if (n === 9) return ['ROUTING_NUMBER', isValidRoutingNumber(d) ? 0.95 : 0.6];
      return n === 5 || n === 8 ? ['ROUTING_NUMBER', 0.8] : null;
    case C_PHONE:
      if ((n === 10 || n === 11) && isNanpNumber(d)) return ['PHONE', 0.9];
      return n === 7 || (run.plus && n >= 8 && n <= 15) ? ['PHONE', 0.85] : null;
    case C_HEALTH:
      return n >= 8 && n <= 12 ? ['HEALTH_ID', 0.85] : null;
    case C_ACCOUNT:
      return n >= 6 && n <= 17 ? ['BANK_ACCOUNT', 0.85] : null;
    case C_ZIP:
      return n === 5 || n === 9 ? ['ADDRESS', 0.8] : null;
    case C_CARD:
      return n >= 6 && n <= 19 ? ['CARD_NUMBER', isLuhnValid(d) ? 0.8 : 0.7] : null;
    default:
      return null;
  }
}

function match(
  type: EntityType,
  a: number,
  b: number,
  confidence: number,
  detector: string,
  d: string,
): RunMatch {
  return { type, g0: a, g1: b, confidence, detector, value: d };
}

/** Context decides: the nearest word whose category fits wins; a nearer amount/order word vetoes. */
function byContext(
  run: DigitRun,
  a: number,
  b: number,
  d: string,
  hits: readonly ContextHit[],
): RunMatch | null {
  const spoken = isSpoken(run, a, b) ? ':spoken' : '';
  for (const h of hits) {
    if ((h.ctx & C_WALL) !== 0 || ((h.ctx & C_NEG) !== 0 && h.distance <= 3)) return null;
    for (const cat of PRIORITY) {
      if ((h.ctx & cat) === 0) continue;
      const fit = fitCategory(cat, run, a, b, d);
      if (fit) return match(fit[0], a, b, fit[1], `context${spoken}`, d);
    }
  }
  return null;
}

const PHONE_SEPS = new Set([45, 46, 32, 41, 40, 8211]);
const SSN_SHAPE = [3, 2, 4];
const SIN_SHAPE = [3, 3, 3];
const PHONE_SHAPES = [
  [3, 3, 4],
  [1, 3, 3, 4],
  [3, 7],
];

/** Group lengths a..b are exactly `lens`. */
function shapeIs(run: DigitRun, a: number, b: number, lens: readonly number[]): boolean {
  if (b - a + 1 !== lens.length) return false;
  for (let k = 0; k < lens.length; k++) if (run.groups[a + k]!.digits.length !== lens[k]) return false;
  return true;
}

/** Every separator between groups a..b is a dash or a space (SSN and SIN shapes). */
function dashOrSpaceSeps(run: DigitRun, a: number, b: number): boolean {
  for (let g = a + 1; g <= b; g++) {
    const sep = run.groups[g]!.sep;
    if (sep !== 45 && sep !== 32) return false;
  }
  return true;
}

function phoneSeps(run: DigitRun, a: number, b: number): boolean {
  for (let g = a + 1; g <= b; g++) if (!PHONE_SEPS.has(run.groups[g]!.sep)) return false;
  return true;
}

/**
 * Written shapes that identify a type without context: 555-123-4567, 123-45-6789, 123 456 782.
 * `d` (the digits) is built only when the digit count fits a shape: splitting a long run calls
 * this at every group, and most calls end at the count.
 */
function byShape(run: DigitRun, a: number, b: number, d?: string): RunMatch | null {
  let n = 0;
  for (let g = a; g <= b; g++) n += run.groups[g]!.digits.length;
  if (n < 8 || n > 15) return null;
  const digits = d ?? groupDigits(run, a, b);
  const spoken = isSpoken(run, a, b);
  if (!spoken && shapeIs(run, a, b, SSN_SHAPE) && dashOrSpaceSeps(run, a, b) && isValidSsn(digits)) {
    return match('US_SSN', a, b, run.groups[a + 1]!.sep === 45 ? 0.9 : 0.75, 'ssn-format', digits);
  }
  if (!spoken && shapeIs(run, a, b, SIN_SHAPE) && dashOrSpaceSeps(run, a, b) && isValidSin(digits)) {
    return match('CA_SIN', a, b, 0.75, 'sin-format', digits);
  }
  const phoneShape = PHONE_SHAPES.some((lens) => shapeIs(run, a, b, lens));
  if (phoneShape && phoneSeps(run, a, b) && isNanpNumber(digits)) {
    return match('PHONE', a, b, spoken ? 0.8 : 0.9, spoken ? 'phone-format:spoken' : 'phone-format', digits);
  }
  if (run.plus && a === 0) return match('PHONE', a, b, 0.9, 'phone-format', digits);
  if ((n === 10 || (n === 11 && digits[0] === '1')) && isNanpNumber(digits, true)) {
    return match('PHONE', a, b, 0.6, spoken ? 'phone-format:spoken' : 'phone-format', digits);
  }
  return null;
}

function isIp(run: DigitRun, a: number, b: number): boolean {
  if (b - a !== 3) return false;
  for (let g = a; g <= b; g++) {
    const x = run.groups[g]!;
    if (x.spoken || x.digits.length > 3 || Number(x.digits) > 255) return false;
    if (g > a && x.sep !== 46) return false;
  }
  return run.groups[a]!.tokens === run.groups[b]!.tokens;
}

/** Written decimals and thousands separators ("25.99", "1,250"): an amount or a measure. */
function isDecimal(run: DigitRun, a: number, b: number): boolean {
  for (let g = a + 1; g <= b; g++) {
    const x = run.groups[g]!;
    if (
      !x.spoken &&
      (x.sep === 46 || x.sep === 44) &&
      x.tokens.start[x.first] === x.tokens.end[x.first - 1]
    ) {
      return true;
    }
  }
  return false;
}

/** Classifies groups a..b (no card inside). */
function classifyStretch(run: DigitRun, a: number, b: number, hits: readonly ContextHit[]): RunMatch[] {
  if (isIp(run, a, b)) return [match('IP_ADDRESS', a, b, 0.95, 'ip-format', groupDigits(run, a, b))];
  if (run.amount || isDecimal(run, a, b)) return [];
  if (b - a >= MAX_ENTITY_GROUPS) return splitByShape(run, a, b);
  const d = groupDigits(run, a, b);
  const ctx = byContext(run, a, b, d, hits);
  if (ctx) return [ctx];
  const shaped = byShape(run, a, b, d);
  if (shaped) return [shaped];
  if (b > a) return splitByShape(run, a, b);
  return [];
}

/** Several written numbers in a row ("555-123-4567, 555-987-6543"): shapes at group boundaries. */
function splitByShape(run: DigitRun, a: number, b: number): RunMatch[] {
  const out: RunMatch[] = [];
  let g = a;
  while (g <= b) {
    let found: RunMatch | null = null;
    for (let width = 4; width >= 2; width--) {
      if (g + width - 1 > b || (g === a && g + width - 1 === b)) continue;
      found = byShape(run, g, g + width - 1);
      if (found && found.confidence >= 0.75) break;
      found = null;
    }
    if (found) {
      out.push(found);
      g = found.g1 + 1;
    } else g++;
  }
  return out;
}

/** After a card in the same run: expiry then security code ("4242… 12 26 123"). */
function classifyFollow(run: DigitRun, a: number, b: number, hits: readonly ContextHit[]): RunMatch[] {
  const out: RunMatch[] = [];
  let g = a;
  let d = '';
  for (let h = g; h <= b && d.length < 6; h++) {
    d += run.groups[h]!.digits;
    if ((d.length === 4 || d.length === 3) && validExpiry(d) && h < b) {
      out.push(match('CARD_EXPIRY', g, h, 0.85, 'card-follow', d));
      g = h + 1;
      break;
    }
  }
  const rest = groupDigits(run, g, b);
  if (g <= b && (rest.length === 3 || rest.length === 4)) {
    const type = rest.length === 4 && validExpiry(rest) && out.length === 0 ? 'CARD_EXPIRY' : 'CARD_CVV';
    out.push(match(type, g, b, 0.85, 'card-follow', rest));
  } else if (g <= b) {
    const rest = classifyStretch(run, g, b, hits);
    // Digits read right after a card that fit nothing else are most likely more of the card
    // (a misread or repeated digit): redact them rather than leave part of a PAN readable.
    const tail = b - g < 4 ? groupDigits(run, g, b) : '';
    if (rest.length === 0 && tail.length > 0 && tail.length <= 4) {
      out.push(match('CARD_NUMBER', g, b, 0.6, 'card-adjacent', tail));
    } else out.push(...rest);
  }
  return out;
}

function classifyBetween(
  run: DigitRun,
  a: number,
  b: number,
  hits: readonly ContextHit[],
  follow: boolean,
): RunMatch[] {
  return follow ? classifyFollow(run, a, b, hits) : classifyStretch(run, a, b, hits);
}

/** Card lengths by how common they are: a 16-digit card followed by its expiry is not a 19-digit one. */
const CARD_LENGTHS = [16, 15, 14, 19, 13, 17, 18];
const WINDOW_ENDS = new Int32Array(20);
/** No entity is read in more groups than this: longer stretches are only split by shape. */
const MAX_ENTITY_GROUPS = 40;

/** Valid card window starting at group g (most common length first), as its last group, else -1. */
function cardWindow(run: DigitRun, g: number, preferEnd: boolean): number {
  // Last group of the valid window of each length (index = digit count), -1 when none.
  const ends = WINDOW_ENDS.fill(-1);
  let d = '';
  for (let h = g; h < run.groups.length; h++) {
    d += run.groups[h]!.digits;
    if (d.length > 19) break;
    if (d.length >= 13 && isCardNumber(d)) ends[d.length] = h;
  }
  // A number that ends exactly where the reading ends is taken whole (19-digit cards, and
  // numbers read in pauses); otherwise the most common length wins.
  const lastGroup = run.groups.length - 1;
  if (preferEnd || g === 0)
    for (let len = 13; len <= 19; len++) if (ends[len] === lastGroup) return lastGroup;
  for (const len of CARD_LENGTHS) if (ends[len]! >= 0) return ends[len]!;
  return -1;
}

/**
 * Classifies a digit run: card windows first (Luhn + brand at group boundaries), then the
 * stretches between them by context and written shape. `afterCard` says a card ended just
 * before this run, so a lone 3-4 digit run is its expiry or security code.
 */
export function classifyRun(
  run: DigitRun,
  hits: readonly ContextHit[],
  afterCard: boolean,
  readInPieces = false,
): RunMatch[] {
  if (run.masked) return [];
  const out: RunMatch[] = [];
  let g = 0;
  let stretchStart = 0;
  let follow = afterCard;
  while (g < run.groups.length) {
    const w = cardWindow(run, g, readInPieces);
    if (w < 0) {
      g++;
      continue;
    }
    if (stretchStart < g) out.push(...classifyBetween(run, stretchStart, g - 1, hits, follow));
    const d = groupDigits(run, g, w);
    out.push(match('CARD_NUMBER', g, w, 0.97, isSpoken(run, g, w) ? 'card-luhn:spoken' : 'card-luhn', d));
    g = w + 1;
    stretchStart = g;
    follow = true;
  }
  if (stretchStart < run.groups.length)
    out.push(...classifyBetween(run, stretchStart, run.groups.length - 1, hits, follow));
  return out;
}
