import { createCipheriv, createDecipheriv, type KeyObject, randomFillSync } from 'node:crypto';
import { cryptoError } from './crypto.errors.ts';

/**
 * The self-describing field ciphertext, format 1:
 *
 *   offset 0   1 byte    format version (0x01)
 *   offset 1   16 bytes  key id (the UUID of the key slot)
 *   offset 17  4 bytes   key version, big-endian
 *   offset 21  12 bytes  random nonce
 *   offset 33  n bytes   AES-256-GCM ciphertext
 *   end - 16   16 bytes  GCM tag
 *
 * The tag authenticates the 21 header bytes and the field context (tenant, table, column, row id),
 * so a ciphertext copied to another row, column or tenant, or with a rewritten header, fails.
 */
export const FIELD_FORMAT_V1 = 0x01;
export const KEY_ID_BYTES = 16;
export const FIELD_HEADER_BYTES = 1 + KEY_ID_BYTES + 4;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const FIELD_OVERHEAD_BYTES = FIELD_HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

const MAX_CONTEXT_PART_CHARS = 512;
const CONTEXT_LABEL = 'vigil/field/v1';

/**
 * Unambiguous encoding of a label and parts, used as AES-GCM associated data: each part is
 * written as `\n<length in UTF-16 units>:<part>`, so no two different lists encode alike
 * ("a|bc" vs "ab|c"). One template string and one UTF-8 conversion: this runs on every field.
 */
export function encodeParts(label: string, parts: readonly string[]): Buffer {
  let text = label;
  for (const part of parts) {
    if (part.length === 0 || part.length > MAX_CONTEXT_PART_CHARS) throw cryptoError('FIELD_CONTEXT_INVALID');
    text += `\n${part.length}:${part}`;
  }
  return Buffer.from(text, 'utf8');
}

const validPart = (part: string) => part.length > 0 && part.length <= MAX_CONTEXT_PART_CHARS;

/** Where a field ciphertext belongs: bound into its tag, so it cannot be moved elsewhere. */
export function fieldContext(tenantId: string, table: string, column: string, rowId: string): Buffer {
  if (!validPart(tenantId) || !validPart(table) || !validPart(column) || !validPart(rowId))
    throw cryptoError('FIELD_CONTEXT_INVALID');
  // Same bytes as encodeParts(CONTEXT_LABEL, [...]), written out because it is the hot path.
  return Buffer.from(
    `${CONTEXT_LABEL}\n${tenantId.length}:${tenantId}\n${table.length}:${table}\n${column.length}:${column}\n${rowId.length}:${rowId}`,
    'utf8',
  );
}

/** UUID text <-> the 16 header bytes. */
export function keyIdToBytes(keyId: string): Buffer {
  return Buffer.from(keyId.replaceAll('-', ''), 'hex');
}

export function keyIdFromBytes(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface FieldHeader {
  /** Hex of the 16 key id bytes (cheap to build; a cache key on the decrypt path). */
  keyIdHex: string;
  keyVersion: number;
}

/** Reads the header, or null when the value is not a format-1 field ciphertext. */
export function parseFieldHeader(ciphertext: Buffer): FieldHeader | null {
  if (ciphertext.length < FIELD_OVERHEAD_BYTES || ciphertext[0] !== FIELD_FORMAT_V1) return null;
  return {
    keyIdHex: ciphertext.toString('hex', 1, 1 + KEY_ID_BYTES),
    keyVersion: ciphertext.readUInt32BE(1 + KEY_ID_BYTES),
  };
}

/**
 * Encrypts under a data key. `nonce` is for known-answer tests only; production callers leave it
 * out and get 96 fresh random bits per value.
 */
export function sealField(
  key: KeyObject,
  keyId: Buffer,
  keyVersion: number,
  context: Buffer,
  plaintext: Buffer,
  nonce?: Buffer,
): Buffer {
  const out = Buffer.allocUnsafe(FIELD_OVERHEAD_BYTES + plaintext.length);
  out[0] = FIELD_FORMAT_V1;
  keyId.copy(out, 1, 0, KEY_ID_BYTES);
  out.writeUInt32BE(keyVersion, 1 + KEY_ID_BYTES);
  const iv = out.subarray(FIELD_HEADER_BYTES, FIELD_HEADER_BYTES + NONCE_BYTES);
  if (nonce) nonce.copy(iv);
  else randomFillSync(iv);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // GCM authenticates AAD given in several calls exactly as if concatenated: header, then context.
  cipher.setAAD(out.subarray(0, FIELD_HEADER_BYTES));
  cipher.setAAD(context);
  let offset = FIELD_HEADER_BYTES + NONCE_BYTES;
  offset += cipher.update(plaintext).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
  return out;
}

/** Decrypts and authenticates a field ciphertext; any mismatch is CIPHERTEXT_INVALID. */
export function openField(key: KeyObject, ciphertext: Buffer, context: Buffer): Buffer {
  const bodyStart = FIELD_HEADER_BYTES + NONCE_BYTES;
  const tagStart = ciphertext.length - TAG_BYTES;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      key,
      ciphertext.subarray(FIELD_HEADER_BYTES, bodyStart),
    );
    decipher.setAAD(ciphertext.subarray(0, FIELD_HEADER_BYTES));
    decipher.setAAD(context);
    decipher.setAuthTag(ciphertext.subarray(tagStart));
    const head = decipher.update(ciphertext.subarray(bodyStart, tagStart));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw cryptoError('CIPHERTEXT_INVALID');
  }
}
