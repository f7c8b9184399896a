import { describe, expect, it } from 'vitest';
import {
  cardBrand,
  isCanadianPostalCode,
  isCardNumber,
  isLuhnValid,
  isNanpNumber,
  isValidIban,
  isValidMbi,
  isValidRoutingNumber,
  isValidSin,
  isValidSsn,
} from './redaction.validators.ts';

describe('card validation', () => {
  it('checks Luhn', () => {
    expect(isLuhnValid('4242424242424242')).toBe(true);
    expect(isLuhnValid('4242424242424241')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
  });

  it.each([
    ['4111111111111111', 'visa'],
    ['4222222222222', 'visa'],
    ['4000000000000000006', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['36227206271667', 'diners'],
    ['6011111111111117', 'discover'],
    ['3530111333300000', 'jcb'],
  ])('knows the brand and length of %s', (pan, brand) => {
    expect(cardBrand(pan)).toBe(brand);
    expect(isCardNumber(pan)).toBe(true);
  });

  it('refuses a brand prefix with the wrong length', () => {
    expect(cardBrand('37828224631000')).toBeNull(); // Amex must be 15 digits
    expect(cardBrand('55555555555544')).toBeNull(); // Mastercard must be 16
    expect(isCardNumber('1234567812345670')).toBe(false); // Luhn-valid, no network
  });
});

describe('national identifiers', () => {
  it('applies SSN area, group and serial rules', () => {
    expect(isValidSsn('123456789')).toBe(true);
    expect(isValidSsn('000456789')).toBe(false);
    expect(isValidSsn('666456789')).toBe(false);
    expect(isValidSsn('923456789')).toBe(false);
    expect(isValidSsn('123006789')).toBe(false);
    expect(isValidSsn('123450000')).toBe(false);
  });

  it('checks the SIN with Luhn', () => {
    expect(isValidSin('130692544')).toBe(true);
    expect(isValidSin('130692545')).toBe(false);
    expect(isValidSin('046454286')).toBe(false); // first digit 0 is never issued
  });

  it('checks the ABA routing checksum', () => {
    expect(isValidRoutingNumber('021000021')).toBe(true);
    expect(isValidRoutingNumber('011000015')).toBe(true);
    expect(isValidRoutingNumber('021000022')).toBe(false);
    expect(isValidRoutingNumber('991000021')).toBe(false);
  });

  it('checks IBAN mod-97 and per-country length', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('GB82WEST1234569876543')).toBe(false);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
  });

  it('checks the Medicare MBI layout', () => {
    expect(isValidMbi('1EG4TE5MK73')).toBe(true);
    expect(isValidMbi('1EG4TE5MK7')).toBe(false);
    expect(isValidMbi('0EG4TE5MK73')).toBe(false);
    expect(isValidMbi('1SG4TE5MK73')).toBe(false); // S is excluded
  });

  it('checks NANP and Canadian postal codes', () => {
    expect(isNanpNumber('4155550132')).toBe(true);
    expect(isNanpNumber('14155550132')).toBe(true);
    expect(isNanpNumber('9115550132')).toBe(false);
    expect(isNanpNumber('4151230132', true)).toBe(false);
    expect(isCanadianPostalCode('H2X1Y4')).toBe(true);
    expect(isCanadianPostalCode('D2X1Y4')).toBe(false);
  });
});
