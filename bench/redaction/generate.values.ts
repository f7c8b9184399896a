/**
 * Random but valid sensitive values for the labeled evaluation set, and their spoken forms.
 * Deterministic: everything draws from the seeded PRNG passed in.
 */

export type Rng = () => number;

/** mulberry32: tiny seeded PRNG so every run generates the same evaluation set. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => String(int(rng, 0, 9))).join('');

function luhnCheckDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = Number(body[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

export function withLuhn(body: string): string {
  return body + luhnCheckDigit(body);
}

export function failsLuhn(rng: Rng, len: number): string {
  const valid = withLuhn(String(int(rng, 1, 9)) + digits(rng, len - 2));
  const last = (Number(valid[len - 1]) + int(rng, 1, 9)) % 10;
  return valid.slice(0, -1) + String(last);
}

const CARD_PREFIXES: readonly [string, number][] = [
  ['4', 16],
  ['4', 16],
  ['4', 16],
  ['4', 13],
  ['4', 19],
  ['51', 16],
  ['53', 16],
  ['55', 16],
  ['2221', 16],
  ['2720', 16],
  ['2300', 16],
  ['34', 15],
  ['37', 15],
  ['36', 14],
  ['6011', 16],
  ['65', 16],
  ['3530', 16],
];

export function cardNumber(rng: Rng): string {
  const [prefix, len] = pick(rng, CARD_PREFIXES);
  return withLuhn(prefix + digits(rng, len - prefix.length - 1));
}

/** Groups a PAN the way it is printed: 4-6-5 for Amex, 4-6-4 for Diners, fours otherwise. */
export function cardGroups(pan: string): string[] {
  const widths = pan.length === 15 ? [4, 6, 5] : pan.length === 14 ? [4, 6, 4] : [];
  if (widths.length === 0) return pan.match(/.{1,4}/g) ?? [pan];
  const out: string[] = [];
  let p = 0;
  for (const w of widths) {
    out.push(pan.slice(p, p + w));
    p += w;
  }
  return out;
}

export function ssn(rng: Rng): string {
  let area = int(rng, 1, 899);
  if (area === 666) area = 667;
  return (
    String(area).padStart(3, '0') +
    String(int(rng, 1, 99)).padStart(2, '0') +
    String(int(rng, 1, 9999)).padStart(4, '0')
  );
}

export function sin(rng: Rng): string {
  return withLuhn(String(pick(rng, [1, 2, 3, 4, 5, 6, 7, 9])) + digits(rng, 7));
}

export function routingNumber(rng: Rng): string {
  for (;;) {
    const p2 = pick(rng, [
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '21',
      '22',
      '26',
      '31',
      '32',
    ]);
    const body = p2 + digits(rng, 6);
    for (let c = 0; c <= 9; c++) {
      const d = body + String(c);
      const n = (i: number) => Number(d[i]);
      const sum = 3 * (n(0) + n(3) + n(6)) + 7 * (n(1) + n(4) + n(7)) + (n(2) + n(5) + n(8));
      if (sum % 10 === 0) return d;
    }
  }
}

function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    r = c >= 65 ? (r * 100 + (c - 55)) % 97 : (r * 10 + (c - 48)) % 97;
  }
  return r;
}

export function iban(rng: Rng): string {
  const [cc, bban] = pick(rng, [
    ['DE', digits(rng, 18)],
    ['GB', `${pick(rng, ['WEST', 'NWBK', 'BARC', 'MIDL'])}${digits(rng, 14)}`],
    ['FR', digits(rng, 23)],
    ['ES', digits(rng, 20)],
    ['NL', `${pick(rng, ['ABNA', 'INGB', 'RABO'])}${digits(rng, 10)}`],
  ] as const);
  const check = 98 - mod97(`${bban}${cc}00`);
  return `${cc}${String(check).padStart(2, '0')}${bban}`;
}

const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';

export function mbi(rng: Rng): string {
  const letter = () => pick(rng, [...MBI_LETTERS]);
  const digit = () => String(int(rng, 0, 9));
  const either = () => (rng() < 0.5 ? letter() : digit());
  return `${int(rng, 1, 9)}${letter()}${either()}${digit()}${letter()}${either()}${digit()}${letter()}${letter()}${digit()}${digit()}`;
}

/** A NANP number: area and exchange start with 2-9 and the area code is never N11 (311, 911). */
export function nanpPhone(rng: Rng): string {
  let area = `${int(rng, 2, 9)}${digits(rng, 2)}`;
  if (area[1] === '1' && area[2] === '1') area = `${area[0]}12`;
  return `${area}${int(rng, 2, 9)}${digits(rng, 6)}`;
}

const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const FR_DIGITS = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf'];
const ES_DIGITS = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
const TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

export type Lang = 'en' | 'fr' | 'es';

/** Digit by digit: "four two four two"; English may say "oh" for zero. */
export function spokenDigits(rng: Rng, d: string, lang: Lang = 'en', oh = false): string {
  const table = lang === 'fr' ? FR_DIGITS : lang === 'es' ? ES_DIGITS : EN_DIGITS;
  return [...d]
    .map((c) => (c === '0' && oh && lang === 'en' && rng() < 0.7 ? 'oh' : table[Number(c)]!))
    .join(' ');
}

/** Two digits as a number: "42" → "forty two", "07" → "oh seven", "15" → "fifteen". */
export function spokenPair(p: string): string {
  const n = Number(p);
  if (p[0] === '0') return `oh ${EN_DIGITS[Number(p[1])]}`;
  if (n < 20) return TEENS[n - 10]!;
  return n % 10 === 0 ? TENS[n / 10]! : `${TENS[Math.floor(n / 10)]} ${EN_DIGITS[n % 10]}`;
}

/** Pairs: "4242" → "forty two forty two" (odd length ends with a single digit). */
export function spokenPairs(d: string): string {
  const out: string[] = [];
  for (let i = 0; i < d.length; i += 2)
    out.push(i + 1 < d.length ? spokenPair(d.slice(i, i + 2)) : EN_DIGITS[Number(d[i])]!);
  return out.join(' ');
}

/** "double four" for repeated digits, fillers now and then. */
export function spokenWithDoubles(rng: Rng, d: string): string {
  const out: string[] = [];
  for (let i = 0; i < d.length; i++) {
    if (d[i] === d[i + 1] && d[i] !== d[i + 2]) {
      out.push(`double ${EN_DIGITS[Number(d[i])]}`);
      i++;
    } else out.push(EN_DIGITS[Number(d[i])]!);
    if (rng() < 0.12) out.push(pick(rng, ['um', 'uh', 'uhm']));
  }
  return out.join(' ');
}

export function spokenYear(y: number): string {
  if (y >= 2000 && y < 2010) return `two thousand ${y === 2000 ? '' : EN_DIGITS[y - 2000]}`.trim();
  return `${spokenPair(String(y).slice(0, 2))} ${spokenPair(String(y).slice(2))}`;
}

export const ORDINAL_WORDS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty first',
  'twenty second',
  'twenty third',
  'twenty fourth',
  'twenty fifth',
  'twenty sixth',
  'twenty seventh',
  'twenty eighth',
];

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
