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

/**
 * Where a field ciphertext belongs, as the text of its associated data (tenant, table, column,
 * row id): bound into the tag, so the ciphertext cannot be moved elsewhere.
 */
export function fieldContextText(tenantId: string, table: string, column: string, rowId: string): string {
  if (!validPart(tenantId) || !validPart(table) || !validPart(column) || !validPart(rowId))
    throw cryptoError('FIELD_CONTEXT_INVALID');
  // The same text encodeParts(CONTEXT_LABEL, [...]) encodes, written out because it is the hot path.
  return `${CONTEXT_LABEL}\n${tenantId.length}:${tenantId}\n${table.length}:${table}\n${column.length}:${column}\n${rowId.length}:${rowId}`;
}

/** The context's bytes (what follows the header in the associated data). */
export function fieldContext(tenantId: string, table: string, column: string, rowId: string): Buffer {
  return Buffer.from(fieldContextText(tenantId, table, column, rowId), 'utf8');
}

/** Where a field value lives: the four parts its associated data binds. */
export interface FieldPlace {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
}

// The first three parts are the same for every row of a tenant's column, so their UTF-8 bytes
// are kept and each call encodes only its row id (encoding the whole context cost about as much
// as the rest of the keyring's work per call). A few dozen columns per tenant: the bound is only
// a backstop against unbounded growth, and clearing it costs one re-encoding per column.
const MAX_PREFIXES = 4096;
let prefixCount = 0;
const prefixes = new Map<string, Map<string, Map<string, Buffer>>>();

function contextPrefix(tenantId: string, table: string, column: string): Buffer {
  const cached = prefixes.get(tenantId)?.get(table)?.get(column);
  if (cached) return cached;
  if (!validPart(tenantId) || !validPart(table) || !validPart(column))
    throw cryptoError('FIELD_CONTEXT_INVALID');
  if (prefixCount >= MAX_PREFIXES) {
    prefixes.clear();
    prefixCount = 0;
  }
  const prefix = Buffer.from(
    `${CONTEXT_LABEL}\n${tenantId.length}:${tenantId}\n${table.length}:${table}\n${column.length}:${column}`,
    'utf8',
  );
  const byTable = prefixes.get(tenantId) ?? new Map<string, Map<string, Buffer>>();
  prefixes.set(tenantId, byTable);
  const byColumn = byTable.get(table) ?? new Map<string, Buffer>();
  byTable.set(table, byColumn);
  byColumn.set(column, prefix);
  prefixCount += 1;
  return prefix;
}

// setAAD copies the associated data into the cipher at once, so one scratch buffer can hold it
// for every call (JavaScript runs one call at a time); only unusually long contexts allocate.
// The views of its first n bytes are made once each: a new Buffer view per call was a measurable
// part of the decrypt path's cost over raw AES-GCM.
const aadScratch = Buffer.allocUnsafeSlow(1024);
const aadViews: Buffer[] = [];
const aadView = (size: number) => {
  let view = aadViews[size];
  if (view === undefined) {
    view = aadScratch.subarray(0, size);
    aadViews[size] = view;
  }
  return view;
};

/** The associated data, header || context, in one buffer (one setAAD call). */
function associatedData(header: Buffer, context: string | FieldPlace): Buffer {
  if (typeof context === 'string') return assemble(header, EMPTY, context);
  if (!validPart(context.rowId)) throw cryptoError('FIELD_CONTEXT_INVALID');
  const prefix = contextPrefix(context.tenantId, context.table, context.column);
  return assemble(header, prefix, `\n${context.rowId.length}:${context.rowId}`);
}

const EMPTY = Buffer.alloc(0);

function assemble(header: Buffer, prefix: Buffer, text: string): Buffer {
  const head = FIELD_HEADER_BYTES + prefix.length;
  // A UTF-16 unit takes at most 3 UTF-8 bytes: short texts surely fit, without measuring them.
  const fits = head + text.length * 3 <= aadScratch.length;
  const aad = fits ? aadScratch : Buffer.allocUnsafe(head + Buffer.byteLength(text, 'utf8'));
  for (let i = 0; i < FIELD_HEADER_BYTES; i++) aad[i] = header[i]!;
  aad.set(prefix, FIELD_HEADER_BYTES);
  const size = head + aad.write(text, head, 'utf8');
  if (size === aad.length) return aad;
  return fits ? aadView(size) : aad.subarray(0, size);
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
  keyIdBytes: Buffer;
  keyVersion: number;
}

/** Whether a value has the shape of a format-1 field ciphertext (checked before anything else). */
export function isFieldCiphertext(ciphertext: Buffer): boolean {
  return ciphertext.length >= FIELD_OVERHEAD_BYTES && ciphertext[0] === FIELD_FORMAT_V1;
}

/** Reads the header, or null when the value is not a format-1 field ciphertext. */
export function parseFieldHeader(ciphertext: Buffer): FieldHeader | null {
  if (!isFieldCiphertext(ciphertext)) return null;
  return {
    keyIdBytes: ciphertext.subarray(1, 1 + KEY_ID_BYTES),
    keyVersion: ciphertext.readUInt32BE(1 + KEY_ID_BYTES),
  };
}

/** The header's key reference (key id and version bytes) as latin1: the key cache's lookup key. */
export function fieldKeyRef(ciphertext: Buffer): string {
  return ciphertext.toString('latin1', 1, FIELD_HEADER_BYTES);
}

// Nonces come from a buffer of CSPRNG output refilled 341 nonces at a time: one randomFillSync
// call costs about as much as encrypting 2 KB here, and nonces are public (they are stored in
// the clear), so batching their generation is safe. Each slice is handed out exactly once.
const NONCE_POOL_BYTES = 4092;
const noncePool = Buffer.allocUnsafeSlow(NONCE_POOL_BYTES);
let nonceOffset = NONCE_POOL_BYTES;

function takeNonce(target: Buffer, at: number): void {
  if (nonceOffset + NONCE_BYTES > NONCE_POOL_BYTES) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const start = nonceOffset;
  nonceOffset += NONCE_BYTES;
  noncePool.copy(target, at, start, start + NONCE_BYTES);
}

/**
 * Encrypts under a data key. `nonce` is for known-answer tests only; production callers leave it
 * out and get 96 fresh random bits per value.
 */
export function sealField(
  key: KeyObject,
  keyId: Buffer,
  keyVersion: number,
  context: string | FieldPlace,
  plaintext: Buffer,
  nonce?: Buffer,
): Buffer {
  const out = Buffer.allocUnsafe(FIELD_OVERHEAD_BYTES + plaintext.length);
  out[0] = FIELD_FORMAT_V1;
  keyId.copy(out, 1, 0, KEY_ID_BYTES);
  out.writeUInt32BE(keyVersion, 1 + KEY_ID_BYTES);
  if (nonce) nonce.copy(out, FIELD_HEADER_BYTES);
  else takeNonce(out, FIELD_HEADER_BYTES);
  const cipher = createCipheriv(
    'aes-256-gcm',
    key,
    out.subarray(FIELD_HEADER_BYTES, FIELD_HEADER_BYTES + NONCE_BYTES),
  );
  cipher.setAAD(associatedData(out, context));
  let offset = FIELD_HEADER_BYTES + NONCE_BYTES;
  offset += cipher.update(plaintext).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
  return out;
}

/** Decrypts and authenticates a field ciphertext; any mismatch is CIPHERTEXT_INVALID. */
export function openField(key: KeyObject, ciphertext: Buffer, context: string | FieldPlace): Buffer {
  const bodyStart = FIELD_HEADER_BYTES + NONCE_BYTES;
  const tagStart = ciphertext.length - TAG_BYTES;
  // Built before the try: an invalid context is the caller's error, not a bad ciphertext.
  const aad = associatedData(ciphertext, context);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(FIELD_HEADER_BYTES, bodyStart));
    decipher.setAAD(aad);
    decipher.setAuthTag(ciphertext.subarray(tagStart));
    const head = decipher.update(ciphertext.subarray(bodyStart, tagStart));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    throw cryptoError('CIPHERTEXT_INVALID');
  }
}
