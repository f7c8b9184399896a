import { defineErrors } from '../shared/errors.ts';

/**
 * Error codes of the keyring. Messages never carry key material, plaintext or ciphertext bytes:
 * they name what failed and, where it helps an operator, which key (by non-secret id).
 */
export const cryptoError = defineErrors({
  // Stored data that fails authentication was corrupted or tampered with; it is never "maybe ok".
  CIPHERTEXT_INVALID: {
    kind: 'internal',
    message:
      'encrypted value failed its integrity check (corrupted, tampered with, or moved from another row)',
  },
  // Crypto-shredding is a deliberate outcome, reported distinctly so callers can show "erased".
  SUBJECT_KEY_DESTROYED: {
    kind: 'gone',
    message: "this data was erased: the data subject's key has been destroyed",
  },
  SUBJECT_KEY_NOT_FOUND: { kind: 'not_found', message: 'no encryption key exists for this data subject' },
  SUBJECT_KEY_NOT_SCHEDULED: {
    kind: 'conflict',
    message: "this data subject's key is not scheduled for destruction",
  },
  SUBJECT_ID_INVALID: {
    kind: 'invalid',
    message: 'subject id must be 1 to 200 printable characters',
  },
  FIELD_CONTEXT_INVALID: {
    kind: 'invalid',
    message: 'tenant, table, column and row id must each be 1 to 512 characters',
  },
  DESTRUCTION_WINDOW_INVALID: {
    kind: 'invalid',
    message: 'the destruction window must be between 1 hour and 365 days',
  },
  BLIND_INDEX_KIND_INVALID: { kind: 'invalid', message: 'unknown blind index kind' },
  BLIND_INDEX_VALUE_EMPTY: { kind: 'invalid', message: 'the value to index is empty after normalization' },
  ROOT_KEY_UNAVAILABLE: {
    kind: 'unavailable',
    message: 'the root key that wrapped this key is not loaded (finish or undo the root key rotation)',
  },
  KEY_UNWRAP_FAILED: {
    kind: 'internal',
    message: 'a wrapped key failed its integrity check (wrong root key or tampered key table)',
  },
  KEK_MISSING: { kind: 'internal', message: 'a key-encryption key version is missing or retired' },
  KEK_RETIRE_BLOCKED: {
    kind: 'conflict',
    message: 'data keys are still wrapped by a version to retire; run the re-wrap job first',
  },
  KEK_VERSION_INVALID: {
    kind: 'invalid',
    message: 'versions to retire must be below the current key-encryption key version',
  },
  ROOT_KEY_INVALID: { kind: 'invalid', message: 'a root key must be base64 of exactly 32 bytes' },
  ROOT_ROTATION_INCOMPLETE: {
    kind: 'conflict',
    message: 'key-encryption keys are still wrapped by the previous root key; run the re-wrap to completion',
  },
});
