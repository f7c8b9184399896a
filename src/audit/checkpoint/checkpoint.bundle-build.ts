import {
  consistencyProof,
  hashesEqual,
  hashLeaf,
  inclusionProof,
  leafHashAt,
  type MerkleNodeReader,
  rootHashAt,
} from '../merkle/index.ts';
import {
  type ConsistencyProofBundle,
  type InclusionProofBundle,
  PROOF_BUNDLE_FORMAT,
} from './checkpoint.bundle.ts';
import { CheckpointError } from './checkpoint.errors.ts';
import { type ParsedCheckpoint, parseCheckpoint } from './checkpoint.format.ts';

// A server must never hand out a bundle that cannot verify: if its own store disagrees with a
// checkpoint it signed, something rewrote history, and that is reported where it is found.
async function assertStoreMatches(
  store: MerkleNodeReader,
  parsed: ParsedCheckpoint,
  label: string,
): Promise<void> {
  const { size, rootHash } = parsed.checkpoint;
  if (!hashesEqual(await rootHashAt(store, size), rootHash)) {
    throw new CheckpointError(
      'store_mismatch',
      `${label}: the stored tree at size ${size} has a different root`,
    );
  }
}

/**
 * Builds the inclusion bundle of leaf `leafIndex` under a signed checkpoint, from the node store.
 * With `leafData` the bundle also carries the leaf itself, so the verifier can hash it.
 */
export async function buildInclusionBundle(
  store: MerkleNodeReader,
  signedCheckpoint: string,
  leafIndex: number,
  options: { readonly leafData?: Uint8Array } = {},
): Promise<InclusionProofBundle> {
  const parsed = parseCheckpoint(signedCheckpoint);
  await assertStoreMatches(store, parsed, 'checkpoint');
  const proof = await inclusionProof(store, leafIndex, parsed.checkpoint.size);
  const leafHash = await leafHashAt(store, leafIndex);
  if (options.leafData !== undefined && !hashesEqual(hashLeaf(options.leafData), leafHash)) {
    throw new CheckpointError(
      'store_mismatch',
      `leaf ${leafIndex}: the data given does not hash to the stored leaf`,
    );
  }
  return {
    format: PROOF_BUNDLE_FORMAT,
    type: 'inclusion',
    checkpoint: signedCheckpoint,
    leafIndex,
    leafHash: leafHash.toString('base64'),
    ...(options.leafData === undefined ? {} : { leafData: Buffer.from(options.leafData).toString('base64') }),
    proof: proof.map((h) => h.toString('base64')),
  };
}

/** Builds the consistency bundle between two signed checkpoints of the same log. */
export async function buildConsistencyBundle(
  store: MerkleNodeReader,
  signedCheckpoint1: string,
  signedCheckpoint2: string,
): Promise<ConsistencyProofBundle> {
  const first = parseCheckpoint(signedCheckpoint1);
  const second = parseCheckpoint(signedCheckpoint2);
  if (first.checkpoint.origin !== second.checkpoint.origin) {
    throw new CheckpointError('malformed_bundle', 'the two checkpoints have different origins');
  }
  await assertStoreMatches(store, first, 'checkpoint1');
  await assertStoreMatches(store, second, 'checkpoint2');
  const proof = await consistencyProof(store, first.checkpoint.size, second.checkpoint.size);
  return {
    format: PROOF_BUNDLE_FORMAT,
    type: 'consistency',
    checkpoint1: signedCheckpoint1,
    checkpoint2: signedCheckpoint2,
    proof: proof.map((h) => h.toString('base64')),
  };
}
