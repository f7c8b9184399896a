/** Stable codes for refused input or misuse in the checkpoint and proof-bundle code. */
export const CHECKPOINT_ERROR_CODES = [
  'malformed_note',
  'malformed_checkpoint',
  'invalid_key',
  'invalid_key_name',
  'store_mismatch',
  'malformed_bundle',
] as const;

export type CheckpointErrorCode = (typeof CHECKPOINT_ERROR_CODES)[number];

/**
 * Thrown for input that cannot be parsed or used (a malformed note, a bad key string). Messages
 * describe the problem without echoing key material. Signature and proof failures are returned as
 * results by the verify functions instead.
 */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string) {
    super(message);
    this.name = 'CheckpointError';
    this.code = code;
  }
}
