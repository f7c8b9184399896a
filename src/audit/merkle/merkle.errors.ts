/** Stable codes for misuse of the Merkle library (bad arguments, store inconsistencies). */
export const MERKLE_ERROR_CODES = [
  'invalid_size',
  'index_out_of_range',
  'bad_hash_length',
  'empty_tree_consistency',
  'node_missing',
  'node_conflict',
  'node_gap',
  'invalid_node_key',
] as const;

export type MerkleErrorCode = (typeof MERKLE_ERROR_CODES)[number];

/**
 * Thrown when a caller asks for something impossible (a proof for a leaf past the tree size, a node
 * the store does not hold). Verification failures are not errors: they come back as results.
 */
export class MerkleError extends Error {
  readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string) {
    super(message);
    this.name = 'MerkleError';
    this.code = code;
  }
}
