import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { decodeBase64Strict, formatKeyId, isValidKeyName } from './checkpoint.encoding.ts';
import { CheckpointError } from './checkpoint.errors.ts';

/** Signs note text with one key; `sign` may be remote (KMS, HSM), hence the promise. */
export interface NoteSigner {
  readonly name: string;
  /** uint32 key ID, SHA-256(name || 0x0A || 0x01 || public key)[:4] for Ed25519. */
  readonly keyId: number;
  /** The matching public key in signed-note vkey form, to publish. */
  readonly verifierKey: string;
  sign(message: Uint8Array): Promise<Buffer> | Buffer;
}

/** Checks note signatures of one key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** The key in signed-note vkey form: `<name>+<key id hex>+<base64(0x01 || public key)>`. */
  readonly verifierKey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

const ALG_ED25519 = 0x01;
const ED25519_KEY_BYTES = 32;
// ASN.1 headers that wrap a raw Ed25519 key as PKCS#8 / SPKI DER (RFC 8410), so node:crypto can
// import the raw bytes the signed-note key formats carry.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Signed-note key ID: first 4 bytes (big-endian) of SHA-256(name || "\n" || 0x01 || public key). */
export function computeKeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update('\n')
    .update(Buffer.from([ALG_ED25519]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new CheckpointError(
      'invalid_key_name',
      'key name must be non-empty, without spaces, "+" or control characters',
    );
  }
}

/** Encodes an Ed25519 public key as a signed-note verifier key. */
export function formatVerifierKey(name: string, publicKey: KeyObject | Uint8Array): string {
  assertKeyName(name);
  const raw = publicKey instanceof Uint8Array ? Buffer.from(publicKey) : rawPublicKey(publicKey);
  if (raw.length !== ED25519_KEY_BYTES)
    throw new CheckpointError('invalid_key', 'public key is not an Ed25519 key');
  const encoded = Buffer.concat([Buffer.from([ALG_ED25519]), raw]).toString('base64');
  return `${name}+${formatKeyId(computeKeyId(name, raw))}+${encoded}`;
}

/** Ed25519 signer for notes from a node:crypto private key. */
export function createNoteSigner(name: string, privateKey: KeyObject): NoteSigner {
  assertKeyName(name);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CheckpointError('invalid_key', 'note signing needs an Ed25519 private key');
  }
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return Object.freeze({
    name,
    keyId: computeKeyId(name, publicKey),
    verifierKey: formatVerifierKey(name, publicKey),
    sign: (message: Uint8Array) => sign(null, message, privateKey),
  });
}

/** Ed25519 verifier for notes from a node:crypto public key. */
export function createNoteVerifier(name: string, publicKey: KeyObject): NoteVerifier {
  return parseVerifierKey(formatVerifierKey(name, publicKey));
}

// Splits "a+b+c" into exactly `count` fields; the last field keeps any further '+' (base64 may
// contain '+'), mirroring Go's chop-based parsing.
function splitFields(text: string, count: number): string[] | undefined {
  const fields: string[] = [];
  let rest = text;
  for (let i = 0; i < count - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  return fields;
}

function decodeKeyFields(
  name: string,
  idHex: string,
  keyBase64: string,
): { keyId: number; raw: Buffer } | undefined {
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idHex)) return undefined;
  const key = decodeBase64Strict(keyBase64);
  if (!key || key.length !== 1 + ED25519_KEY_BYTES || key[0] !== ALG_ED25519) return undefined;
  return { keyId: Number.parseInt(idHex, 16), raw: key.subarray(1) };
}

/** Parses a signed-note verifier key `<name>+<8 hex>+<base64(0x01 || key)>` (Ed25519 only). */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const [name = '', idHex = '', keyBase64 = ''] = splitFields(verifierKey, 3) ?? [];
  const decoded = decodeKeyFields(name, idHex, keyBase64);
  if (!decoded) {
    throw new CheckpointError(
      'invalid_key',
      'verifier key is not of the form <name>+<8 hex digits>+<base64 Ed25519 key>',
    );
  }
  if (decoded.keyId !== computeKeyId(name, decoded.raw)) {
    throw new CheckpointError('invalid_key', `verifier key ${name}: key ID does not match the key`);
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, decoded.raw]),
    format: 'der',
    type: 'spki',
  });
  return Object.freeze({
    name,
    keyId: decoded.keyId,
    verifierKey,
    verify: (message: Uint8Array, signature: Uint8Array) =>
      signature.length === 64 && verify(null, message, publicKey, signature),
  });
}

/**
 * Parses a signer key `PRIVATE+KEY+<name>+<8 hex>+<base64(0x01 || seed)>` (the Go sumdb/note
 * format). The message never includes the key.
 */
export function parseSignerKey(signerKey: string): NoteSigner {
  const [private1, private2, name = '', idHex = '', keyBase64 = ''] = splitFields(signerKey, 5) ?? [];
  const decoded =
    private1 === 'PRIVATE' && private2 === 'KEY' ? decodeKeyFields(name, idHex, keyBase64) : undefined;
  if (!decoded) {
    throw new CheckpointError(
      'invalid_key',
      'signer key is not of the form PRIVATE+KEY+<name>+<8 hex digits>+<base64>',
    );
  }
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, decoded.raw]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  // The KeyObject holds its own copy; do not leave the seed in these buffers.
  der.fill(0);
  decoded.raw.fill(0);
  const signer = createNoteSigner(name, privateKey);
  if (signer.keyId !== decoded.keyId) {
    throw new CheckpointError('invalid_key', `signer key ${name}: key ID does not match the key`);
  }
  return signer;
}

/** New Ed25519 key pair as signed-note strings. The signer key is a secret: store it wrapped. */
export function generateNoteKeyPair(name: string): { signerKey: string; verifierKey: string } {
  assertKeyName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const verifierKey = formatVerifierKey(name, publicKey);
  const [, keyIdHex] = splitFields(verifierKey, 3) ?? [];
  const encodedSeed = Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64');
  seed.fill(0);
  return { signerKey: `PRIVATE+KEY+${name}+${keyIdHex}+${encodedSeed}`, verifierKey };
}
