import { MerkleError } from './merkle.errors.ts';
import { emptyRoot, HASH_SIZE, hashChildren } from './merkle.hash.ts';
import {
  assertTreeSize,
  consistencyRanges,
  inclusionRanges,
  type LeafRange,
  type NodeKey,
  perfectSubtrees,
} from './merkle.math.ts';
import type { MerkleNodeReader } from './merkle.store.ts';

// Every hash a proof or a root needs is the hash of a leaf range that is either a perfect subtree
// or the ragged right edge of the tree; the latter is the right fold of its perfect subtrees. A
// proof touches at most one ragged range, so the whole proof costs O(log n) stored nodes, fetched
// with a single getNodes call.
async function hashRanges(store: MerkleNodeReader, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const pieces = ranges.map((range) => perfectSubtrees(range));
  const keys: NodeKey[] = pieces.flat();
  const hashes = keys.length > 0 ? await store.getNodes(keys) : [];
  if (hashes.length !== keys.length) {
    throw new MerkleError(
      'node_missing',
      `store returned ${hashes.length} of ${keys.length} requested nodes`,
    );
  }
  const badIndex = hashes.findIndex((h) => h.length !== HASH_SIZE);
  if (badIndex >= 0) {
    const key = keys[badIndex]!;
    throw new MerkleError(
      'bad_hash_length',
      `stored node (level ${key.level}, index ${key.index}) is not 32 bytes`,
    );
  }
  let cursor = 0;
  return pieces.map((rangeKeys) => {
    const own = hashes.slice(cursor, cursor + rangeKeys.length);
    cursor += rangeKeys.length;
    let hash = own[own.length - 1]!;
    for (let i = own.length - 2; i >= 0; i--) hash = hashChildren(own[i]!, hash);
    return hash;
  });
}

/** RFC 9162 inclusion proof (audit path) of leaf `leafIndex` in the tree of `treeSize` leaves. */
export async function inclusionProof(
  store: MerkleNodeReader,
  leafIndex: number,
  treeSize: number,
): Promise<Buffer[]> {
  assertTreeSize(leafIndex, 'leaf index');
  assertTreeSize(treeSize, 'tree size');
  if (leafIndex >= treeSize) {
    throw new MerkleError('index_out_of_range', `leaf index ${leafIndex} is not below tree size ${treeSize}`);
  }
  return hashRanges(store, inclusionRanges(leafIndex, treeSize));
}

/**
 * RFC 9162 consistency proof from the tree of `size1` leaves to the tree of `size2` leaves.
 * Equal sizes give an empty proof; size1 = 0 is refused, as the verifier refuses it.
 */
export async function consistencyProof(
  store: MerkleNodeReader,
  size1: number,
  size2: number,
): Promise<Buffer[]> {
  assertTreeSize(size1, 'size1');
  assertTreeSize(size2, 'size2');
  if (size1 > size2) throw new MerkleError('invalid_size', `size1 ${size1} is greater than size2 ${size2}`);
  if (size1 === 0)
    throw new MerkleError('empty_tree_consistency', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) return [];
  return hashRanges(store, consistencyRanges(size1, size2));
}

/** Root hash of the tree as it was at `treeSize` leaves (any size up to the stored one). */
export async function rootHashAt(store: MerkleNodeReader, treeSize: number): Promise<Buffer> {
  assertTreeSize(treeSize, 'tree size');
  if (treeSize === 0) return emptyRoot();
  const [root] = await hashRanges(store, [{ begin: 0, end: treeSize }]);
  return root!;
}

/** Stored hash of leaf `leafIndex`. */
export async function leafHashAt(store: MerkleNodeReader, leafIndex: number): Promise<Buffer> {
  assertTreeSize(leafIndex, 'leaf index');
  const [leafHash] = await hashRanges(store, [{ begin: leafIndex, end: leafIndex + 1 }]);
  return leafHash!;
}
