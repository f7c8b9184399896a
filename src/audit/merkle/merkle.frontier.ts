import { MerkleError } from './merkle.errors.ts';
import { emptyRoot, HASH_SIZE, hashChildrenBinary, hashLeafBinary } from './merkle.hash.ts';
import { assertTreeSize, countPerfectSubtrees, type NodeKey, perfectSubtrees } from './merkle.math.ts';

/** Receives every perfect-subtree node that becomes complete while leaves are appended. */
export type NodeSink = (level: number, index: number, hash: Buffer) => void;

/** A NodeSink receiving hashes as 32-character latin1 strings (no Buffer per node). */
export type Latin1NodeSink = (level: number, index: number, hash: string) => void;

/** Keys of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost) first. */
export function frontierKeys(size: number): NodeKey[] {
  assertTreeSize(size, 'tree size');
  return perfectSubtrees({ begin: 0, end: size });
}

function toBinary(hash: Uint8Array, what: string): string {
  if (hash.length !== HASH_SIZE) {
    throw new MerkleError('bad_hash_length', `${what} is ${hash.length} bytes, expected ${HASH_SIZE}`);
  }
  return Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('latin1');
}

/**
 * The right edge of a tree (a "compact range" starting at 0): one hash per perfect subtree of the
 * current size, at most 53 of them. That is all the state needed to append leaves and to compute
 * the root, so appending never reads more than O(log n) stored hashes.
 */
export class MerkleFrontier {
  #size = 0;
  // Roots of the perfect subtrees, largest first, as latin1 strings (see merkle.hash.ts: chaining
  // strings instead of Buffers roughly triples the rate of root recomputation).
  readonly #hashes: string[] = [];

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
    for (const h of hashes) frontier.#hashes.push(toBinary(h, 'frontier hash'));
    frontier.#size = size;
    return frontier;
  }

  /** Number of leaves appended so far (including those the frontier was rebuilt with). */
  get size(): number {
    return this.#size;
  }

  /** The frontier hashes, largest subtree first. */
  hashes(): Buffer[] {
    return this.#hashes.map((h) => Buffer.from(h, 'latin1'));
  }

  /** An independent copy, so a caller can try an append without touching this frontier. */
  clone(): MerkleFrontier {
    const copy = new MerkleFrontier();
    copy.#hashes.push(...this.#hashes);
    copy.#size = this.#size;
    return copy;
  }

  /** Appends one leaf by its hash; `onNode` sees the leaf and every subtree it completes. */
  appendLeafHash(leafHash: Uint8Array, onNode?: NodeSink): void {
    this.#push(toBinary(leafHash, 'leaf hash'), onNode);
  }

  /**
   * Appends one leaf by its hash given as a 32-character latin1 string (see hashLeafText); the
   * sink sees node hashes the same way. The bulk path of verification: no Buffer per node.
   */
  appendLeafHashLatin1(leafHash: string, onNode?: Latin1NodeSink): void {
    if (leafHash.length !== HASH_SIZE) {
      throw new MerkleError(
        'bad_hash_length',
        `leaf hash is ${leafHash.length} characters, expected ${HASH_SIZE}`,
      );
    }
    this.#pushLatin1(leafHash, onNode);
  }

  /** Appends one leaf by its data, hashed as SHA-256(0x00 || data). */
  appendLeafData(data: Uint8Array, onNode?: NodeSink): void {
    this.#push(hashLeafBinary(data), onNode);
  }

  /** RFC 9162 root of the current tree: the right fold of the frontier hashes. */
  rootHash(): Buffer {
    const last = this.#hashes.length - 1;
    if (last < 0) return emptyRoot();
    let root = this.#hashes[last]!;
    for (let i = last - 1; i >= 0; i--) root = hashChildrenBinary(this.#hashes[i]!, root);
    return Buffer.from(root, 'latin1');
  }

  #push(leafHash: string, onNode: NodeSink | undefined): void {
    this.#pushLatin1(
      leafHash,
      onNode && ((level, index, hash) => onNode(level, index, Buffer.from(hash, 'latin1'))),
    );
  }

  #pushLatin1(leafHash: string, onNode: Latin1NodeSink | undefined): void {
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
      hash = hashChildrenBinary(this.#hashes.pop()!, hash);
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
