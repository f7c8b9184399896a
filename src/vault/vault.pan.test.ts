import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBrand, isValidPan, luhnValid, maskPan, normalizePan } from './vault.pan.ts';

// Published test card numbers of each scheme (no real account behind them).
const TEST_CARDS: Record<string, string> = {
  visa: '4242424242424242',
  visa13: '4222222222222',
  mastercard: '5555555555554444',
  mastercard2: '2223003122003222',
  amex: '378282246310005',
  discover: '6011111111111117',
  diners: '36227206271667',
  jcb: '3566002020360505',
  unionpay: '6200000000000005',
  maestro: '6759649826438453',
};

/** Appends the Luhn check digit to a partial number. */
function withCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return partial + d;
  throw new Error('unreachable');
}

describe('card numbers', () => {
  it('recognises the brands of the schemes test cards', () => {
    expect(Object.fromEntries(Object.entries(TEST_CARDS).map(([k, v]) => [k, cardBrand(v)]))).toEqual({
      visa: 'visa',
      visa13: 'visa',
      mastercard: 'mastercard',
      mastercard2: 'mastercard',
      amex: 'amex',
      discover: 'discover',
      diners: 'diners',
      jcb: 'jcb',
      unionpay: 'unionpay',
      maestro: 'maestro',
    });
    expect(cardBrand(withCheckDigit('622126000000000'))).toBe('discover'); // inside Discover's 62 range
    expect(cardBrand(withCheckDigit('220000000000000'))).toBe('mir');
    expect(cardBrand(withCheckDigit('999999999999999'))).toBeNull();
  });

  it('validates length, Luhn and brand, naming the failed check but never the number', () => {
    for (const pan of Object.values(TEST_CARDS)) expect(isValidPan(pan)).toBe(true);
    expect(isValidPan('4242 4242-4242 4242')).toBe(true);
    const cases: [string, RegExp][] = [
      ['4242424242424241', /Luhn/],
      ['42424242424', /12 to 19 digits/],
      ['42424242424242424242', /12 to 19 digits/],
      ['4242-4242-4242-424x', /12 to 19 digits/],
      [withCheckDigit('999999999999999'), /known card brand/],
    ];
    for (const [pan, message] of cases) {
      try {
        normalizePan(pan);
        throw new Error('accepted');
      } catch (error) {
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).not.toContain(pan.slice(0, 8));
      }
    }
  });

  it('Luhn accepts exactly one check digit per partial number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11,18}$/), (partial) => {
        const valid = Array.from({ length: 10 }, (_, d) => luhnValid(partial + d)).filter(Boolean);
        return valid.length === 1;
      }),
    );
  });

  it('masks to at most the first six and last four digits (PCI DSS 3.4.1)', () => {
    expect(maskPan('4242 4242 4242 4242')).toBe('••••••••••••4242');
    expect(maskPan('4242424242424242', { showFirstSix: true, maskChar: '*' })).toBe('424242******4242');
    // A 15-digit Amex never shows its BIN: fewer than six digits would stay hidden.
    expect(maskPan('378282246310005', { showFirstSix: true })).toBe('•••••••••••0005');
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12,19}$/), fc.boolean(), (pan, first) => {
        const masked = maskPan(pan, { showFirstSix: first });
        const shown = [...masked].filter((c) => c !== '•').length;
        return masked.length === pan.length && shown <= 10 && masked.endsWith(pan.slice(-4));
      }),
    );
  });
});
