import { describe, expect, it } from 'vitest';
import { redactText } from './redaction.engine.ts';

function only(text: string) {
  const r = redactText(text);
  return { text: r.text, types: r.findings.map((f) => f.type), findings: r.findings };
}

describe('spoken card numbers', () => {
  it.each([
    ['digit by digit', 'it is four two four two four two four two four two four two four two four two'],
    ['oh for zero', 'card is four oh oh oh, one two three four, five six seven eight, nine oh one oh'],
    ['paired numbers', 'forty two forty two, forty two forty two, forty two forty two, forty two forty two'],
    ['fillers', 'four two four two um four two four two uh four two four two four two four two'],
    ['double and triple', 'four triple one triple one triple one triple one double one one'],
    ['mixed digits and words', '4242 4242 four two four two four two four two'],
    [
      'French',
      'quatre deux quatre deux quatre deux quatre deux quatre deux quatre deux quatre deux quatre deux',
    ],
    ['Spanish', 'cuatro dos cuatro dos cuatro dos cuatro dos cuatro dos cuatro dos cuatro dos cuatro dos'],
  ])('finds a card read %s', (_label, text) => {
    const r = only(text);
    expect(r.types).toContain('CARD_NUMBER');
    expect(r.text).not.toMatch(/four|two|one|quatre|deux|cuatro|dos|forty|4242/);
  });

  it('returns the PAN digits as the normalized value', () => {
    const r = only('my card is four one one one one one one one one one one one one one one one');
    expect(r.findings[0]?.value).toBe('4111111111111111');
  });

  it('maps offsets back to the original words', () => {
    const text = 'ok so four two four two four two four two four two four two four two four two thanks';
    const f = only(text).findings[0]!;
    expect(text.slice(f.start, f.end)).toBe(
      'four two four two four two four two four two four two four two four two',
    );
  });

  it('reads French compounds (quatre-vingt-dix-sept) and Spanish tens with y', () => {
    // 4970 0000 0000 0003 is Luhn-valid.
    const fr = only(
      'carte quatre-vingt-dix-sept zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro zéro trois',
    );
    expect(fr.types).toEqual(['CARD_NUMBER']);
    const es = only('mi pin es cuarenta y dos diecisiete');
    expect(es.findings[0]).toMatchObject({ type: 'PIN', value: '4217' });
  });
});

describe('spoken security codes, PINs and dates', () => {
  it('finds the CVV after "the three digits on the back"', () => {
    const r = only('the three digits on the back are seven one nine');
    expect(r.types).toEqual(['CARD_CVV']);
    expect(r.text).toBe('the three digits on the back are [CARD_CVV]');
  });

  it('finds a spoken expiry and date of birth', () => {
    expect(only('it expires oh four twenty seven').types).toEqual(['CARD_EXPIRY']);
    expect(only('my date of birth is march fourteenth nineteen eighty five').types).toEqual([
      'DATE_OF_BIRTH',
    ]);
  });

  it('finds a spoken email', () => {
    const r = only('my email is john dot smith at example dot com');
    expect(r.findings[0]).toMatchObject({ type: 'EMAIL', value: 'john.smith@example.com' });
    expect(r.text).toBe('my email is [EMAIL]');
  });

  it('finds a spoken phone number with context', () => {
    expect(only('call me back at four one five five five five oh one three two').types).toEqual(['PHONE']);
  });
});
