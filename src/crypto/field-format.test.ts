import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import {
  encodeParts,
  FIELD_HEADER_BYTES,
  FIELD_OVERHEAD_BYTES,
  fieldContext,
  fieldContextText,
  keyIdFromBytes,
  keyIdToBytes,
  openField,
  parseFieldHeader,
  sealField,
} from './field-format.ts';

// McGrew & Viega GCM test case 16 (AES-256, 96-bit IV) as published in NIST's GCM validation.
const TC16 = {
  key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
  iv: 'cafebabefacedbaddecaf888',
  plaintext:
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
  ciphertext:
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
  tag: '76fc6ece0f4e1768cddf8853bb2d551b',
};

const hex = (s: string) => Buffer.from(s, 'hex');
const key = createSecretKey(hex(TC16.key));
const keyId = '0190f3a2-7b1c-7d4e-8f00-0123456789ab';
const contextBytes = fieldContext('tenant-1', 'people', 'email', 'row-9');
const context = fieldContextText('tenant-1', 'people', 'email', 'row-9');

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isAppError(error) && error.code).toBe('CIPHERTEXT_INVALID');
    return;
  }
  throw new Error('expected CIPHERTEXT_INVALID');
}

describe('field ciphertext format', () => {
  it('is AES-256-GCM: the NIST test case 16 key, nonce and plaintext give its ciphertext', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 1, context, hex(TC16.plaintext), hex(TC16.iv));
    const body = sealed.subarray(FIELD_HEADER_BYTES + 12, sealed.length - 16);
    expect(body.toString('hex')).toBe(TC16.ciphertext);
    // And the GCM primitive itself reproduces the published tag for the published AAD.
    const cipher = createCipheriv('aes-256-gcm', key, hex(TC16.iv));
    cipher.setAAD(hex(TC16.aad));
    cipher.update(hex(TC16.plaintext));
    cipher.final();
    expect(cipher.getAuthTag().toString('hex')).toBe(TC16.tag);
  });

  it('authenticates exactly header || context as associated data', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 1, context, hex(TC16.plaintext), hex(TC16.iv));
    const cipher = createCipheriv('aes-256-gcm', key, hex(TC16.iv));
    cipher.setAAD(Buffer.concat([sealed.subarray(0, FIELD_HEADER_BYTES), contextBytes]));
    cipher.update(hex(TC16.plaintext));
    cipher.final();
    expect(sealed.subarray(sealed.length - 16).toString('hex')).toBe(cipher.getAuthTag().toString('hex'));
  });

  it('matches the pinned format-1 known answer (format changes must be deliberate)', () => {
    const sealed = sealField(
      key,
      keyIdToBytes(keyId),
      3,
      context,
      Buffer.from('ada@example.com'),
      hex(TC16.iv),
    );
    expect(sealed.toString('hex')).toBe(
      '010190f3a27b1c7d4e8f000123456789ab00000003cafebabefacedbaddecaf888' +
        'ea78929504aa1a8f214a5b48e61e09049a97265be6d6c61f0e8d4c039551b3',
    );
    expect(context).toBe('vigil/field/v1\n8:tenant-1\n6:people\n5:email\n5:row-9');
    expect(contextBytes.equals(encodeParts('vigil/field/v1', ['tenant-1', 'people', 'email', 'row-9']))).toBe(
      true,
    );
  });

  it('lays out version, key id, key version, nonce, ciphertext, tag', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 258, context, Buffer.from('abc'));
    expect(sealed.length).toBe(FIELD_OVERHEAD_BYTES + 3);
    expect(sealed[0]).toBe(1);
    expect(keyIdFromBytes(sealed.subarray(1, 17))).toBe(keyId);
    expect(sealed.readUInt32BE(17)).toBe(258);
    expect(parseFieldHeader(sealed)).toEqual({ keyIdBytes: keyIdToBytes(keyId), keyVersion: 258 });
    expect(openField(key, sealed, context).toString()).toBe('abc');
  });

  it('fails on every single-bit flip anywhere: version, key id, key version, nonce, body, tag', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 7, context, Buffer.from('4111111111111111'));
    for (let byte = 0; byte < sealed.length; byte++) {
      for (const bit of [0, 7]) {
        const tampered = Buffer.from(sealed);
        tampered[byte]! ^= 1 << bit;
        expectInvalid(() => openField(key, tampered, context));
      }
    }
  });

  it('fails when the associated data differs in any part, or the value is truncated or extended', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 7, context, Buffer.from('secret'));
    for (const other of [
      fieldContextText('tenant-2', 'people', 'email', 'row-9'),
      fieldContextText('tenant-1', 'people2', 'email', 'row-9'),
      fieldContextText('tenant-1', 'people', 'phone', 'row-9'),
      fieldContextText('tenant-1', 'people', 'email', 'row-10'),
    ]) {
      expectInvalid(() => openField(key, sealed, other));
    }
    expectInvalid(() => openField(key, sealed.subarray(0, sealed.length - 1), context));
    expectInvalid(() => openField(key, Buffer.concat([sealed, Buffer.from([0])]), context));
    expectInvalid(() => openField(createSecretKey(randomBytes(32)), sealed, context));
  });

  it('binds a place exactly as its context text, for every tenant, column and row (cached prefixes)', () => {
    const places = [
      { tenantId: 'tenant-1', table: 'people', column: 'email', rowId: 'row-9' },
      { tenantId: 'tenant-1', table: 'people', column: 'email', rowId: 'row-10' },
      { tenantId: 'tenant-1', table: 'people', column: 'phone', rowId: 'row-9' },
      { tenantId: 'tenant-2', table: 'people', column: 'email', rowId: 'row-9' },
      { tenantId: 'tenant-é', table: 'peöple', column: 'émail', rowId: 'rôw-☃'.repeat(100) },
    ];
    for (const place of places) {
      const text = fieldContextText(place.tenantId, place.table, place.column, place.rowId);
      const byPlace = sealField(key, keyIdToBytes(keyId), 3, place, Buffer.from('v'));
      expect(openField(key, byPlace, text).toString()).toBe('v');
      const byText = sealField(key, keyIdToBytes(keyId), 3, text, Buffer.from('v'));
      expect(openField(key, byText, place).toString()).toBe('v');
      for (const other of places.filter((p) => p !== place))
        expectInvalid(() => openField(key, byPlace, other));
    }
    expect(() =>
      sealField(key, keyIdToBytes(keyId), 1, { ...places[0]!, rowId: '' }, Buffer.from('v')),
    ).toThrow(expect.objectContaining({ code: 'FIELD_CONTEXT_INVALID' }));
    expect(() =>
      openField(key, sealField(key, keyIdToBytes(keyId), 1, context, Buffer.from('v')), {
        ...places[0]!,
        table: 'x'.repeat(513),
      }),
    ).toThrow(expect.objectContaining({ code: 'FIELD_CONTEXT_INVALID' }));
  });

  it('encodes contexts without ambiguity between parts', () => {
    expect(fieldContext('t', 'ab', 'c', 'r').equals(fieldContext('t', 'a', 'bc', 'r'))).toBe(false);
    expect(fieldContext('t', 'a', 'b', 'c|d').equals(fieldContext('t', 'a', 'b|c', 'd'))).toBe(false);
    // A part that contains the separator and a fake length still cannot imitate two parts.
    expect(fieldContext('t', 'a', 'b', 'c\n1:d').equals(fieldContext('t', 'a', 'b\n1:c', 'd'))).toBe(false);
    expect(() => fieldContext('t', 'a', 'b', '')).toThrow(
      expect.objectContaining({ code: 'FIELD_CONTEXT_INVALID' }),
    );
    expect(() => fieldContext('t', 'a', 'b', 'x'.repeat(513))).toThrow(
      expect.objectContaining({ code: 'FIELD_CONTEXT_INVALID' }),
    );
  });

  it('recognises only format-1 values of a plausible length', () => {
    const sealed = sealField(key, keyIdToBytes(keyId), 1, context, Buffer.alloc(0));
    expect(parseFieldHeader(sealed)).not.toBeNull();
    expect(parseFieldHeader(sealed.subarray(0, FIELD_OVERHEAD_BYTES - 1))).toBeNull();
    const otherVersion = Buffer.from(sealed);
    otherVersion[0] = 2;
    expect(parseFieldHeader(otherVersion)).toBeNull();
  });
});
