import { describe, expect, it } from 'vitest';
import { redactText } from './redaction.engine.ts';

const types = (text: string) => redactText(text).findings.map((f) => f.type);

describe('written forms', () => {
  it.each([
    ['4111 1111 1111 1111', 'CARD_NUMBER'],
    ['4111-1111-1111-1111', 'CARD_NUMBER'],
    ['4111111111111111', 'CARD_NUMBER'],
    ['3782 822463 10005', 'CARD_NUMBER'],
    ['3622 720627 1667', 'CARD_NUMBER'],
    ['2223 0031 2200 3222', 'CARD_NUMBER'],
    ['4000 0000 0000 0000 006', 'CARD_NUMBER'],
  ])('finds the card %s', (pan, type) => {
    const r = redactText(`my card is ${pan} thanks`);
    expect(r.findings.map((f) => f.type)).toEqual([type]);
    expect(r.text).toBe('my card is [CARD_NUMBER] thanks');
  });

  it('finds card, expiry and CVV in one sentence', () => {
    const r = redactText('Card 4111 1111 1111 1111, exp 09/27, CVV 123.');
    expect(r.findings.map((f) => f.type)).toEqual(['CARD_NUMBER', 'CARD_EXPIRY', 'CARD_CVV']);
    expect(r.text).not.toMatch(/\d/);
  });

  it('finds structured identifiers', () => {
    expect(types('SSN 123-45-6789')).toEqual(['US_SSN']);
    expect(types('my SIN is 130 692 544')).toEqual(['CA_SIN']);
    expect(types('routing number 021000021')).toEqual(['ROUTING_NUMBER']);
    expect(types('checking account 000123456789')).toEqual(['BANK_ACCOUNT']);
    expect(types('IBAN GB82 WEST 1234 5698 7654 32')).toEqual(['IBAN']);
    expect(types('write to jane.doe+billing@example.co.uk')).toEqual(['EMAIL']);
    expect(types('call (415) 555-0132')).toEqual(['PHONE']);
    expect(types('or +44 20 7946 0958')).toEqual(['PHONE']);
    expect(types('Medicare 1EG4-TE5-MK73')).toEqual(['HEALTH_ID']);
    expect(types('from 203.0.113.7 and fe80::1ff:fe23:4567:890a')).toEqual(['IP_ADDRESS', 'IP_ADDRESS']);
    expect(types('my date of birth is 03/14/1985')).toEqual(['DATE_OF_BIRTH']);
    expect(types('my pin is 4829')).toEqual(['PIN']);
  });

  it('reports JavaScript string offsets into the original text, end exclusive', () => {
    const text = 'ça va — email: élise@example.fr ok';
    const f = redactText(text).findings[0]!;
    expect(text.slice(f.start, f.end)).toBe('élise@example.fr'.slice(1));
  });
});

describe('things it leaves alone', () => {
  it.each([
    'your order number is 1234 5678 9012 3456',
    'tracking number 1Z999AA10123456784',
    'that comes to $1,249.99 plus tax',
    'it was about forty two dollars',
    'the appointment is at 3:30 pm on March 3rd',
    'I ordered 3 items on January 5, 2024',
    'press one for billing or two for support',
    'your ticket number is 482913',
    'the card on file ends in 4242',
    'I see XXXX-XXXX-XXXX-4242 and ***-**-6789 on the account',
    'already redacted: [CARD_NUMBER] and [CARD_NUMBER ****4242]',
    'we have served 60 thousand customers since 2019',
  ])('%s', (text) => {
    const r = redactText(text);
    expect(r.findings).toEqual([]);
    expect(r.text).toBe(text);
  });
});
