import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { auditError } from './audit.errors.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key derived from the root key with HKDF-SHA-256, one purpose per info string. */
export function deriveKey(rootKey: Buffer, purpose: string, salt = ''): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.from(salt), Buffer.from(purpose), 32));
}

/**
 * Encrypts a small secret with AES-256-GCM. The associated data binds the ciphertext to the row it
 * belongs to, so a wrapped secret copied onto another row (or another key's row) fails to open.
 * Layout: version (1) || iv (12) || tag (16) || ciphertext.
 */
export function wrapSecret(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens what wrapSecret produced; throws AUDIT_KEY_UNWRAP_FAILED on any mismatch. */
export function unwrapSecret(key: Buffer, wrapped: Uint8Array, associatedData: string): Buffer {
  const blob = Buffer.from(wrapped);
  if (blob.length <= 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION)
    throw auditError('AUDIT_KEY_UNWRAP_FAILED');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw auditError('AUDIT_KEY_UNWRAP_FAILED');
  }
}

/** Per-tenant keys derived from the root key, cached (derivation is cheap but runs per event). */
export function tenantKeyCache(rootKey: Buffer, purpose: string): (tenantId: string) => Buffer {
  const cache = new Map<string, Buffer>();
  return (tenantId) => {
    let key = cache.get(tenantId);
    if (!key) {
      key = deriveKey(rootKey, purpose, tenantId);
      cache.set(tenantId, key);
    }
    return key;
  };
}
