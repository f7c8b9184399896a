/**
 * Checksums and format rules. Each takes a string of ASCII digits (or an uppercase
 * alphanumeric identifier) that the caller already normalized.
 */

/** Luhn (mod 10) check used by payment cards and Canadian SINs. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Numeric value of the first n digits (no substring: card checks run for every window). */
function prefix(digits: string, n: number): number {
  let v = 0;
  for (let i = 0; i < n && i < digits.length; i++) v = v * 10 + (digits.charCodeAt(i) - 48);
  return v;
}

/**
 * Card brand when the prefix and length follow a network's rules (IIN ranges), else null.
 * Covers 2-series Mastercard, 15-digit Amex, 14-digit Diners and 19-digit Visa/Discover/UnionPay.
 */
export function cardBrand(digits: string): string | null {
  const len = digits.length;
  const p2 = prefix(digits, 2);
  const p3 = prefix(digits, 3);
  const p4 = prefix(digits, 4);
  const p6 = prefix(digits, 6);
  if (digits[0] === '4') return len === 13 || len === 16 || len === 19 ? 'visa' : null;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16 ? 'mastercard' : null;
  if (p2 === 34 || p2 === 37) return len === 15 ? 'amex' : null;
  if ((p3 >= 300 && p3 <= 305) || p3 === 309 || p2 === 36 || p2 === 38 || p2 === 39) {
    return len >= 14 && len <= 19 ? 'diners' : null;
  }
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return len >= 16 && len <= 19 ? 'discover' : null;
  }
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19 ? 'jcb' : null;
  if (p2 === 62 || p2 === 81) return len >= 16 && len <= 19 ? 'unionpay' : null;
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return len >= 12 && len <= 19 ? 'maestro' : null;
  return null;
}

/** A plausible payment card number: Luhn plus a known network prefix and length. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && isLuhnValid(digits) && cardBrand(digits) !== null;
}

/** US SSN structure: area 001-899 except 666, group 01-99, serial 0001-9999. */
export function isValidSsn(digits: string): boolean {
  if (digits.length !== 9) return false;
  const area = prefix(digits, 3);
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/** Canadian SIN: 9 digits, Luhn, first digit never 0 or 8 (unassigned). */
export function isValidSin(digits: string): boolean {
  return digits.length === 9 && digits[0] !== '0' && digits[0] !== '8' && isLuhnValid(digits);
}

/** ABA routing number checksum (3-7-1 weights) and Federal Reserve prefix ranges. */
export function isValidRoutingNumber(digits: string): boolean {
  if (digits.length !== 9) return false;
  const p2 = prefix(digits, 2);
  const prefixOk = p2 <= 12 || (p2 >= 21 && p2 <= 32) || (p2 >= 61 && p2 <= 72) || p2 === 80;
  if (!prefixOk) return false;
  const d = (i: number) => digits.charCodeAt(i) - 48;
  const sum = 3 * (d(0) + d(3) + d(6)) + 7 * (d(1) + d(4) + d(7)) + (d(2) + d(5) + d(8));
  return sum % 10 === 0;
}

/**
 * North American Numbering Plan: the area code starts with 2-9 and is not N11. `strict` also
 * requires a 2-9 exchange; formatted or announced numbers skip that (test data and fictional
 * 555 numbers often break it, and they are still phone numbers).
 */
export function isNanpNumber(digits: string, strict = false): boolean {
  const local = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits;
  if (local.length !== 10) return false;
  if (strict && local[3]! < '2') return false;
  return local[0]! >= '2' && !(local[1] === '1' && local[2] === '1');
}

/** IBAN lengths per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** Expected IBAN length for a country code, or 0 when the country issues no IBAN. */
export function ibanLength(country: string): number {
  return IBAN_LENGTHS[country] ?? 0;
}

/** IBAN (uppercase, no spaces): per-country length and ISO 7064 mod-97 check. */
export function isValidIban(iban: string): boolean {
  if (iban.length < 15 || iban.length !== ibanLength(iban.slice(0, 2))) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

// Medicare Beneficiary Identifier alphabet: letters except S, L, O, I, B, Z.
const MBI_LETTER = /^[AC-HJKMNP-RT-Y]$/;

/** Medicare MBI: 11 characters, C A AN N A AN N A A N N (uppercase, no dashes). */
export function isValidMbi(id: string): boolean {
  if (id.length !== 11) return false;
  const isDigit = (c: string) => c >= '0' && c <= '9';
  const isLetter = (c: string) => MBI_LETTER.test(c);
  const layout = 'CAXNAXNAANN';
  for (let i = 0; i < 11; i++) {
    const c = id[i]!;
    const slot = layout[i];
    if (slot === 'C' && !(c >= '1' && c <= '9')) return false;
    if (slot === 'N' && !isDigit(c)) return false;
    if (slot === 'A' && !isLetter(c)) return false;
    if (slot === 'X' && !isDigit(c) && !isLetter(c)) return false;
  }
  return true;
}

/** Canadian postal code A1A 1A1 (no D, F, I, O, Q, U; W and Z never first). */
export function isCanadianPostalCode(code: string): boolean {
  return /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/.test(code);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Calendar-valid month/day (29 February accepted: the year is often unknown). */
export function isValidMonthDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}
