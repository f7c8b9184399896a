import { HASH_SIZE, hashChildren, hashesEqual } from './merkle.hash.ts';
import { consistencyRanges, inclusionRanges, isPowerOfTwo } from './merkle.math.ts';

/** Why a proof was rejected; stable, for callers that branch on it. */
export type MerkleFailureCode =
  | 'invalid_size'
  | 'index_out_of_range'
  | 'bad_leaf_hash'
  | 'bad_root_hash'
  | 'bad_proof_hash'
  | 'wrong_proof_length'
  | 'root_mismatch'
  | 'size1_greater_than_size2'
  | 'size1_zero'
  | 'proof_not_empty'
  | 'roots_differ'
  | 'root1_mismatch'
  | 'root2_mismatch';

export type MerkleFailure = { readonly ok: false; readonly code: MerkleFailureCode; readonly reason: string };
export type MerkleCheck = { readonly ok: true } | MerkleFailure;

export interface InclusionProofInput {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export interface InclusionCheckInput extends InclusionProofInput {
  readonly rootHash: Uint8Array;
}

export interface ConsistencyCheckInput {
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

const OK: MerkleCheck = Object.freeze({ ok: true });

function fail(code: MerkleFailureCode, reason: string): MerkleFailure {
  return { ok: false, code, reason };
}

function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function badProofHash(proof: readonly Uint8Array[]): MerkleFailure | undefined {
  const bad = proof.findIndex((h) => h.length !== HASH_SIZE);
  if (bad < 0) return undefined;
  return fail('bad_proof_hash', `proof hash ${bad} is ${proof[bad]?.length} bytes, expected ${HASH_SIZE}`);
}

// "Right-shift fn and sn until LSB(fn) is set or fn is 0" (RFC 9162 2.1.3.2 / 2.1.4.2), with
// division because the operands may exceed 32 bits.
function shiftToOddOrZero(state: { fn: number; sn: number }): void {
  while (state.fn % 2 === 0 && state.fn !== 0) {
    state.fn /= 2;
    state.sn = Math.floor(state.sn / 2);
  }
}

/**
 * Recomputes the root an inclusion proof commits to (RFC 9162 section 2.1.3.2), after checking
 * the sizes, the hash lengths and that the proof has exactly the length the position requires.
 */
export function rootFromInclusionProof(
  input: InclusionProofInput,
): { readonly ok: true; readonly rootHash: Buffer } | MerkleFailure {
  const { leafIndex, treeSize, leafHash, proof } = input;
  if (!isSize(leafIndex) || !isSize(treeSize)) {
    return fail('invalid_size', `leaf index ${leafIndex} and tree size ${treeSize} must be integers >= 0`);
  }
  if (leafIndex >= treeSize) {
    return fail('index_out_of_range', `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  if (leafHash.length !== HASH_SIZE) {
    return fail('bad_leaf_hash', `leaf hash is ${leafHash.length} bytes, expected ${HASH_SIZE}`);
  }
  const expected = inclusionRanges(leafIndex, treeSize).length;
  if (proof.length !== expected) {
    return fail(
      'wrong_proof_length',
      `proof has ${proof.length} hashes, leaf ${leafIndex} in a tree of ${treeSize} needs ${expected}`,
    );
  }
  const badHash = badProofHash(proof);
  if (badHash) return badHash;

  const state = { fn: leafIndex, sn: treeSize - 1 };
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (state.fn % 2 === 1 || state.fn === state.sn) {
      r = hashChildren(p, r);
      shiftToOddOrZero(state);
    } else {
      r = hashChildren(r, p);
    }
    state.fn = Math.floor(state.fn / 2);
    state.sn = Math.floor(state.sn / 2);
  }
  return { ok: true, rootHash: r };
}

/** Verifies that `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves with `rootHash`. */
export function verifyInclusion(input: InclusionCheckInput): MerkleCheck {
  const computed = rootFromInclusionProof(input);
  if (!computed.ok) return computed;
  if (input.rootHash.length !== HASH_SIZE) {
    return fail('bad_root_hash', `root hash is ${input.rootHash.length} bytes, expected ${HASH_SIZE}`);
  }
  if (!hashesEqual(computed.rootHash, input.rootHash)) {
    return fail(
      'root_mismatch',
      `the proof leads to a different root than the one given for size ${input.treeSize}`,
    );
  }
  return OK;
}

function checkConsistencyArgs(input: ConsistencyCheckInput): MerkleCheck {
  const { size1, size2, root1, root2, proof } = input;
  if (!isSize(size1) || !isSize(size2)) {
    return fail('invalid_size', `sizes ${size1} and ${size2} must be integers >= 0`);
  }
  if (size1 > size2) return fail('size1_greater_than_size2', `size1 ${size1} is greater than size2 ${size2}`);
  // transparency-dev/merkle policy: every tree extends the empty tree, so a proof from size 0
  // proves nothing and is refused rather than trivially accepted.
  if (size1 === 0) return fail('size1_zero', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length > 0)
      return fail('proof_not_empty', `sizes are equal (${size1}) but the proof is not empty`);
    if (!hashesEqual(root1, root2))
      return fail('roots_differ', `sizes are equal (${size1}) but the roots differ`);
    return OK;
  }
  const expected = consistencyRanges(size1, size2).length;
  if (proof.length !== expected) {
    return fail(
      'wrong_proof_length',
      `proof has ${proof.length} hashes, sizes ${size1} -> ${size2} need ${expected}`,
    );
  }
  for (const [name, root] of [
    ['root1', root1],
    ['root2', root2],
  ] as const) {
    if (root.length !== HASH_SIZE) {
      return fail('bad_root_hash', `${name} is ${root.length} bytes, expected ${HASH_SIZE}`);
    }
  }
  return badProofHash(proof) ?? OK;
}

/**
 * Verifies that the tree of `size2` leaves with `root2` extends the tree of `size1` leaves with
 * `root1` (RFC 9162 section 2.1.4.2).
 */
export function verifyConsistency(input: ConsistencyCheckInput): MerkleCheck {
  const args = checkConsistencyArgs(input);
  if (!args.ok || input.size1 === input.size2) return args;
  const { size1, size2, root1, root2, proof } = input;

  // When size1 is a power of two the old root is itself a node of the new tree and the proof
  // leaves it out: the verifier puts it back (RFC 9162 step 2).
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  const state = { fn: size1 - 1, sn: size2 - 1 };
  while (state.fn % 2 === 1) {
    state.fn = Math.floor(state.fn / 2);
    state.sn = Math.floor(state.sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (state.sn === 0) return fail('wrong_proof_length', 'proof is longer than the tree sizes allow');
    if (state.fn % 2 === 1 || state.fn === state.sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      shiftToOddOrZero(state);
    } else {
      sr = hashChildren(sr, c);
    }
    state.fn = Math.floor(state.fn / 2);
    state.sn = Math.floor(state.sn / 2);
  }
  if (state.sn !== 0) return fail('wrong_proof_length', 'proof is shorter than the tree sizes require');
  if (!hashesEqual(fr, root1)) {
    return fail('root1_mismatch', `the proof does not lead to root1 for size ${size1}`);
  }
  if (!hashesEqual(sr, root2)) {
    return fail('root2_mismatch', `the proof and root1 do not lead to root2 for size ${size2}`);
  }
  return OK;
}
