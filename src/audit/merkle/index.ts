export { type AppendResult, appendLeaves, appendToFrontier, readFrontier } from './merkle.append.ts';
export { MERKLE_ERROR_CODES, MerkleError, type MerkleErrorCode } from './merkle.errors.ts';
export {
  computeRoot,
  computeRootFromLeafData,
  frontierKeys,
  type Latin1NodeSink,
  MerkleFrontier,
  type NodeSink,
} from './merkle.frontier.ts';
export {
  EMPTY_ROOT,
  emptyRoot,
  HASH_SIZE,
  hashChildren,
  hashesEqual,
  hashLeaf,
  hashLeafText,
  LEAF_PREFIX,
} from './merkle.hash.ts';
export {
  consistencyRanges,
  inclusionRanges,
  type LeafRange,
  MAX_TREE_SIZE,
  type NodeKey,
} from './merkle.math.ts';
export { consistencyProof, inclusionProof, leafHashAt, rootHashAt } from './merkle.proof.ts';
export {
  MemoryNodeStore,
  type MerkleNode,
  type MerkleNodeReader,
  type MerkleNodeStore,
} from './merkle.store.ts';
export {
  type ConsistencyCheckInput,
  type InclusionCheckInput,
  type InclusionProofInput,
  type MerkleCheck,
  type MerkleFailure,
  type MerkleFailureCode,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle.verify.ts';
