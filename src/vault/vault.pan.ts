import { vaultError } from './vault.errors.ts';

export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'discover'
  | 'diners'
  | 'jcb'
  | 'unionpay'
  | 'maestro'
  | 'mir';

interface BrandRule {
  brand: CardBrand;
  /** Inclusive prefix ranges, compared on the first `from.length` digits. */
  ranges: readonly (readonly [from: string, to: string])[];
  lengths: readonly number[];
}

const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Issuer identification ranges (ISO/IEC 7812 BINs as the schemes publish them). Order matters:
// more specific ranges (Discover's 622126-622925) come before broader ones (UnionPay's 62).
const BRAND_RULES: readonly BrandRule[] = [
  {
    brand: 'amex',
    ranges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
  },
  {
    brand: 'diners',
    ranges: [
      ['300', '305'],
      ['3095', '3095'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: span(14, 19),
  },
  { brand: 'jcb', ranges: [['3528', '3589']], lengths: span(16, 19) },
  { brand: 'mir', ranges: [['2200', '2204']], lengths: span(16, 19) },
  {
    brand: 'mastercard',
    ranges: [
      ['2221', '2720'],
      ['51', '55'],
    ],
    lengths: [16],
  },
  { brand: 'visa', ranges: [['4', '4']], lengths: [13, 16, 19] },
  {
    brand: 'discover',
    ranges: [
      ['6011', '6011'],
      ['622126', '622925'],
      ['644', '649'],
      ['65', '65'],
    ],
    lengths: span(16, 19),
  },
  {
    brand: 'unionpay',
    ranges: [
      ['62', '62'],
      ['81', '81'],
    ],
    lengths: span(16, 19),
  },
  {
    brand: 'maestro',
    ranges: [
      ['50', '50'],
      ['56', '58'],
      ['6304', '6304'],
      ['6759', '6759'],
      ['6761', '6763'],
    ],
    lengths: span(12, 19),
  },
];

const SEPARATORS = /[\s-]/g;
const DIGITS = /^\d+$/;

/** Luhn (mod 10) check digit test. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The card brand from the BIN ranges and length, or null for an unknown one. */
export function cardBrand(pan: string): CardBrand | null {
  const digits = pan.replace(SEPARATORS, '');
  if (!DIGITS.test(digits)) return null;
  for (const rule of BRAND_RULES) {
    if (!rule.lengths.includes(digits.length)) continue;
    for (const [from, to] of rule.ranges) {
      const prefix = Number(digits.slice(0, from.length));
      if (prefix >= Number(from) && prefix <= Number(to)) return rule.brand;
    }
  }
  return null;
}

/**
 * Digits of a card number as people and platforms write it (spaces and dashes allowed), checked:
 * 12 to 19 digits, Luhn, known brand. The error says which check failed, never the number.
 */
export function normalizePan(pan: string): { digits: string; brand: CardBrand } {
  const digits = pan.length <= 40 ? pan.replace(SEPARATORS, '') : '';
  if (!DIGITS.test(digits) || digits.length < 12 || digits.length > 19)
    throw vaultError('PAN_INVALID', 'card number must be 12 to 19 digits (spaces and dashes allowed)');
  if (!luhnValid(digits)) throw vaultError('PAN_INVALID', 'card number fails the Luhn check digit');
  const brand = cardBrand(digits);
  if (!brand) throw vaultError('PAN_INVALID', 'card number does not belong to a known card brand');
  return { digits, brand };
}

/** Whether a string is a valid card number (length, Luhn, known brand). */
export function isValidPan(pan: string): boolean {
  try {
    normalizePan(pan);
    return true;
  } catch {
    return false;
  }
}

/**
 * Masks a card number for display under PCI DSS 3.4.1: at most the first six and the last four
 * digits show. By default only the last four do; `showFirstSix` adds the BIN (still only for
 * numbers long enough that at least six digits stay hidden).
 */
export function maskPan(
  pan: string,
  options: { showFirstSix?: boolean; maskChar?: '•' | '*' | 'X' } = {},
): string {
  const digits = pan.replace(SEPARATORS, '');
  if (!DIGITS.test(digits) || digits.length < 12 || digits.length > 19)
    throw vaultError('PAN_INVALID', 'card number must be 12 to 19 digits (spaces and dashes allowed)');
  const mask = options.maskChar ?? '•';
  const first = options.showFirstSix && digits.length >= 16 ? 6 : 0;
  return digits.slice(0, first) + mask.repeat(digits.length - first - 4) + digits.slice(-4);
}
