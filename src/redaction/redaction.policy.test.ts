import { describe, expect, it } from 'vitest';
import { redactText } from './redaction.engine.ts';
import { compileRedactionPolicy, RedactionPolicyError } from './redaction.policy.ts';

describe('tenant policy', () => {
  it('redacts only the chosen types', () => {
    const policy = compileRedactionPolicy({ types: ['EMAIL'] });
    const r = redactText('card 4111 1111 1111 1111, mail a@b.co', policy);
    expect(r.text).toBe('card 4111 1111 1111 1111, mail [EMAIL]');
  });

  it('offers mask and fixed placeholders, and the last four of a card', () => {
    const text = 'card 4111 1111 1111 1234 ok';
    const valid = '4111 1111 1111 1111';
    expect(redactText(`card ${valid} ok`, compileRedactionPolicy({ placeholder: 'mask' })).text).toBe(
      'card **** **** **** **** ok',
    );
    expect(redactText(`card ${valid} ok`, compileRedactionPolicy({ placeholder: 'fixed' })).text).toBe(
      'card [REDACTED] ok',
    );
    expect(redactText(`card ${valid} ok`, compileRedactionPolicy({ keepLastFour: true })).text).toBe(
      'card [CARD_NUMBER ****1111] ok',
    );
    // Without card context a Luhn-invalid number is left alone; with it, it is a misread card.
    expect(redactText(text.replace('card', 'order')).findings).toEqual([]);
    expect(redactText(text).findings.map((f) => f.detector)).toEqual(['context']);
  });

  it('applies custom patterns, deny and allow lists', () => {
    const policy = compileRedactionPolicy({
      customPatterns: [{ name: 'member', type: 'HEALTH_ID', pattern: 'MBR-\\d{6}' }],
      denyList: [{ term: 'Project Falcon', type: 'PERSON_NAME' }],
      allowList: ['1-800-555-0199'],
    });
    const r = redactText('member MBR-123456 on project falcon, call 1-800-555-0199 or 415-555-0132', policy);
    expect(r.text).toBe('member [HEALTH_ID] on [PERSON_NAME], call 1-800-555-0199 or [PHONE]');
    expect(r.findings.map((f) => f.detector)).toEqual(['custom:member', 'deny-list', 'context']);
  });

  it('refuses invalid policies without echoing their values', () => {
    const secret = 'Jane Secret-Customer';
    try {
      compileRedactionPolicy({ denyList: [{ term: secret, type: 'NOPE' as never }] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RedactionPolicyError);
      expect((err as Error).message).toMatch(/denyList\.0\.type/);
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('refuses patterns prone to catastrophic backtracking or matching nothing', () => {
    expect(() =>
      compileRedactionPolicy({ customPatterns: [{ name: 'bad', type: 'PIN', pattern: '(a+)+$' }] }),
    ).toThrow(/nested quantifiers/);
    expect(() =>
      compileRedactionPolicy({ customPatterns: [{ name: 'empty', type: 'PIN', pattern: 'x*' }] }),
    ).toThrow(/matches empty/);
    expect(() =>
      compileRedactionPolicy({ customPatterns: [{ name: 'broken', type: 'PIN', pattern: '(' }] }),
    ).toThrow(RedactionPolicyError);
  });

  it('limits number words to the chosen languages', () => {
    const en = compileRedactionPolicy({ languages: ['en'] });
    const text = 'cuatro uno uno uno uno uno uno uno uno uno uno uno uno uno uno uno';
    expect(redactText(text, en).findings).toEqual([]);
    expect(redactText(text).findings.map((f) => f.type)).toEqual(['CARD_NUMBER']);
  });
});
