import { MerkleError } from './merkle.errors.ts';
import { frontierKeys, MerkleFrontier } from './merkle.frontier.ts';
import { HASH_SIZE } from './merkle.hash.ts';
import type { MerkleNode, MerkleNodeReader } from './merkle.store.ts';

/** What an append produces: the nodes to persist and the new tree head. */
export interface AppendResult {
  /** Every perfect-subtree node completed by the batch (leaves included), in creation order. */
  readonly nodes: MerkleNode[];
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** Frontier of the new tree, to append the next batch without reading the store again. */
  readonly frontier: MerkleFrontier;
}

/** Reads the O(log n) hashes of the right edge of the tree of `size` leaves. */
export async function readFrontier(store: MerkleNodeReader, size: number): Promise<MerkleFrontier> {
  const keys = frontierKeys(size);
  const hashes = keys.length > 0 ? await store.getNodes(keys) : [];
  if (hashes.length !== keys.length) {
    throw new MerkleError('node_missing', `store returned ${hashes.length} of ${keys.length} frontier nodes`);
  }
  return MerkleFrontier.fromHashes(size, hashes);
}

/**
 * Appends a batch of leaf hashes to a frontier without modifying it, and returns the new nodes
 * and tree head. The whole batch is validated before anything is computed.
 */
export function appendToFrontier(frontier: MerkleFrontier, leafHashes: readonly Uint8Array[]): AppendResult {
  const bad = leafHashes.findIndex((h) => h.length !== HASH_SIZE);
  if (bad >= 0) {
    throw new MerkleError('bad_hash_length', `leaf hash ${bad} of the batch is not ${HASH_SIZE} bytes`);
  }
  const next = frontier.clone();
  const nodes: MerkleNode[] = [];
  const collect = (level: number, index: number, hash: Buffer): void => {
    nodes.push({ level, index, hash });
  };
  for (const leafHash of leafHashes) next.appendLeafHash(leafHash, collect);
  return { nodes, treeSize: next.size, rootHash: next.rootHash(), frontier: next };
}

/**
 * Appends `leafHashes` to the tree of `currentSize` leaves held in `store`: reads the frontier
 * (O(log n) nodes, one `getNodes` call), computes only the new perfect-subtree nodes (about two per
 * leaf) and returns them for the caller to persist in the same transaction as the leaves. The
 * store is not written. Appends to one tree must be serialized by the caller (for example under a
 * row lock on the tree head): two appends from the same size would fork the tree.
 */
export async function appendLeaves(
  store: MerkleNodeReader,
  currentSize: number,
  leafHashes: readonly Uint8Array[],
): Promise<AppendResult> {
  return appendToFrontier(await readFrontier(store, currentSize), leafHashes);
}
