import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { cryptoError } from './crypto.errors.ts';
import type { KeyDomain } from './crypto.tables.ts';
import { encodeParts } from './field-format.ts';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEK_LABEL = 'vigil/kek/v1';
const DEK_LABEL = 'vigil/dek/v1';

/** AAD of a KEK wrapped by the root key: it belongs to one tenant, domain and version. */
export function kekAad(tenantId: string, domain: KeyDomain, version: number): Buffer {
  return encodeParts(KEK_LABEL, [tenantId, domain, String(version)]);
}

/** AAD of a data key wrapped by a KEK: it belongs to one tenant, key id, version and domain. */
export function dataKeyAad(tenantId: string, keyId: string, version: number, domain: KeyDomain): Buffer {
  return encodeParts(DEK_LABEL, [tenantId, keyId, String(version), domain]);
}

/** AES-256-GCM key wrap: nonce || wrapped key || tag. */
export function wrapKey(kek: KeyObject, material: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(material), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function unwrapKey(kek: KeyObject, wrapped: Buffer, aad: Buffer): Buffer {
  if (wrapped.length < NONCE_BYTES + TAG_BYTES) throw cryptoError('KEY_UNWRAP_FAILED');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw cryptoError('KEY_UNWRAP_FAILED');
  }
}
