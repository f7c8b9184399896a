import { MerkleError } from './merkle.errors.ts';
import { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf } from './merkle.hash.ts';
import { assertTreeSize, countPerfectSubtrees, type NodeKey, perfectSubtrees } from './merkle.math.ts';

/** Receives every perfect-subtree node that becomes complete while leaves are appended. */
export type NodeSink = (level: number, index: number, hash: Buffer) => void;

/** Keys of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost) first. */
export function frontierKeys(size: number): NodeKey[] {
  assertTreeSize(size, 'tree size');
  return perfectSubtrees({ begin: 0, end: size });
}

/**
 * The right edge of a tree (a "compact range" starting at 0): one hash per perfect subtree of the
 * current size, at most 53 of them. That is all the state needed to append leaves and to compute
 * the root, so appending never reads more than O(log n) stored hashes.
 */
export class MerkleFrontier {
  #size = 0;
  // Roots of the perfect subtrees, largest first; subtree i covers the i-th set bit of #size.
  readonly #hashes: Buffer[] = [];

  /** Rebuilds a frontier from the hashes of `frontierKeys(size)`, in that order. */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): MerkleFrontier {
    assertTreeSize(size, 'tree size');
    const expected = countPerfectSubtrees(size);
    if (hashes.length !== expected) {
      throw new MerkleError(
        'invalid_size',
        `a tree of ${size} leaves has ${expected} frontier hashes, got ${hashes.length}`,
      );
    }
    const frontier = new MerkleFrontier();
    for (const h of hashes) {
      if (h.length !== HASH_SIZE) {
        throw new MerkleError('bad_hash_length', `frontier hash is ${h.length} bytes, expected ${HASH_SIZE}`);
      }
      frontier.#hashes.push(Buffer.from(h));
    }
    frontier.#size = size;
    return frontier;
  }

  /** Number of leaves appended so far (including those the frontier was rebuilt with). */
  get size(): number {
    return this.#size;
  }

  /** Copies of the frontier hashes, largest subtree first. */
  hashes(): Buffer[] {
    return this.#hashes.map((h) => Buffer.from(h));
  }

  /** An independent copy, so a caller can try an append without touching this frontier. */
  clone(): MerkleFrontier {
    return MerkleFrontier.fromHashes(this.#size, this.#hashes);
  }

  /** Appends one leaf by its hash; `onNode` sees the leaf and every subtree it completes. */
  appendLeafHash(leafHash: Uint8Array, onNode?: NodeSink): void {
    if (leafHash.length !== HASH_SIZE) {
      throw new MerkleError(
        'bad_hash_length',
        `leaf hash is ${leafHash.length} bytes, expected ${HASH_SIZE}`,
      );
    }
    this.#push(Buffer.from(leafHash), onNode);
  }

  /** Appends one leaf by its data and returns the leaf hash SHA-256(0x00 || data). */
  appendLeafData(data: Uint8Array, onNode?: NodeSink): Buffer {
    const leafHash = hashLeaf(data);
    this.#push(leafHash, onNode);
    return leafHash;
  }

  /** RFC 9162 root of the current tree: the right fold of the frontier hashes. */
  rootHash(): Buffer {
    const last = this.#hashes.length - 1;
    if (last < 0) return Buffer.from(EMPTY_ROOT);
    let root = this.#hashes[last]!;
    for (let i = last - 1; i >= 0; i--) root = hashChildren(this.#hashes[i]!, root);
    return Buffer.from(root);
  }

  #push(leafHash: Buffer, onNode: NodeSink | undefined): void {
    if (this.#size >= Number.MAX_SAFE_INTEGER) {
      throw new MerkleError('invalid_size', 'the tree cannot grow past 2^53-1 leaves');
    }
    let hash = leafHash;
    let index = this.#size;
    let level = 0;
    onNode?.(level, index, hash);
    // Each trailing 1 bit of the old size is a perfect subtree of the current level waiting for a
    // right sibling: merge until the new node is a left child.
    while (index % 2 === 1) {
      hash = hashChildren(this.#hashes.pop()!, hash);
      index = (index - 1) / 2;
      level++;
      onNode?.(level, index, hash);
    }
    this.#hashes.push(hash);
    this.#size++;
  }
}

/** RFC 9162 root of the given leaf hashes (streams: memory stays O(log n)). */
export function computeRoot(leafHashes: Iterable<Uint8Array>): Buffer {
  const frontier = new MerkleFrontier();
  for (const leafHash of leafHashes) frontier.appendLeafHash(leafHash);
  return frontier.rootHash();
}

/** RFC 9162 root of the given leaf data: hashes each leaf then the tree. */
export function computeRootFromLeafData(leaves: Iterable<Uint8Array>): Buffer {
  const frontier = new MerkleFrontier();
  for (const data of leaves) frontier.appendLeafData(data);
  return frontier.rootHash();
}
