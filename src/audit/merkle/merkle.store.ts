import { MerkleError } from './merkle.errors.ts';
import { HASH_SIZE, hashesEqual } from './merkle.hash.ts';
import type { NodeKey } from './merkle.math.ts';

/** A perfect-subtree hash at its position; level 0 holds the leaf hashes. */
export interface MerkleNode extends NodeKey {
  readonly hash: Buffer;
}

/**
 * Read side of a node store. A node (level, index) is the hash of the perfect subtree over leaves
 * [index * 2^level, (index + 1) * 2^level); once written it never changes, whatever the tree grows
 * to, which is why one store serves proofs for every past tree size.
 *
 * `getNodes` returns the hashes in the order of `keys` and must reject (never return a
 * placeholder) when one is missing. Proof generation calls it once per proof with O(log n) keys,
 * so a SQL implementation is one `WHERE (level, index) IN (...)` query.
 */
export interface MerkleNodeReader {
  getNodes(keys: readonly NodeKey[]): Promise<Buffer[]>;
}

/**
 * Read and write side. `putNodes` receives what `appendLeaves` returns; it must write all nodes or
 * none, and a SQL implementation should keep (tree, level, index) unique so that two writers
 * racing to extend the same tree cannot both succeed (the loser's insert conflicts).
 */
export interface MerkleNodeStore extends MerkleNodeReader {
  putNodes(nodes: readonly MerkleNode[]): Promise<void>;
}

// 32,768 hashes (1 MiB) per chunk: large enough that 10 million leaves need few objects, small
// enough that growth never copies a big buffer.
const CHUNK_NODES = 32_768;
const CHUNK_BYTES = CHUNK_NODES * HASH_SIZE;
const MAX_LEVEL = 63;

interface Level {
  readonly chunks: Buffer[];
  count: number;
}

function assertKey(key: NodeKey): void {
  const { level, index } = key;
  if (
    !Number.isInteger(level) ||
    level < 0 ||
    level > MAX_LEVEL ||
    !Number.isSafeInteger(index) ||
    index < 0
  ) {
    throw new MerkleError('invalid_node_key', `invalid node key (level ${level}, index ${index})`);
  }
}

/**
 * In-memory node store for tests, benchmarks and offline tools. Levels are append-only arrays of
 * hashes in fixed-size chunks (about 64 bytes of memory per leaf in total). Writes must extend
 * each level contiguously, which `appendLeaves` guarantees; rewriting a node with the same hash is
 * a no-op and with a different hash is refused, as a durable store must refuse it too.
 */
export class MemoryNodeStore implements MerkleNodeStore {
  readonly #levels: Level[] = [];

  /** Number of leaves stored (nodes at level 0). */
  get leafCount(): number {
    return this.#levels[0]?.count ?? 0;
  }

  /** Number of nodes stored at `level`. */
  nodeCount(level: number): number {
    return this.#levels[level]?.count ?? 0;
  }

  async getNodes(keys: readonly NodeKey[]): Promise<Buffer[]> {
    return keys.map((key) => this.getNode(key));
  }

  /** Synchronous read of one node; throws MerkleError('node_missing') when absent. */
  getNode(key: NodeKey): Buffer {
    assertKey(key);
    const level = this.#levels[key.level];
    if (!level || key.index >= level.count) {
      throw new MerkleError('node_missing', `node (level ${key.level}, index ${key.index}) is not stored`);
    }
    const offset = (key.index % CHUNK_NODES) * HASH_SIZE;
    return Buffer.from(
      level.chunks[Math.floor(key.index / CHUNK_NODES)]!.subarray(offset, offset + HASH_SIZE),
    );
  }

  async putNodes(nodes: readonly MerkleNode[]): Promise<void> {
    this.putNodesSync(nodes);
  }

  /** Validates the whole batch first, then writes it: a refused batch leaves the store unchanged. */
  putNodesSync(nodes: readonly MerkleNode[]): void {
    // New nodes of one level are contiguous, so the batch's not-yet-stored nodes of level L are
    // exactly indices [stored count, stored count + pending length).
    const pending = new Map<number, Buffer[]>();
    for (const node of nodes) {
      assertKey(node);
      if (node.hash.length !== HASH_SIZE) {
        throw new MerkleError(
          'bad_hash_length',
          `node hash is ${node.hash.length} bytes, expected ${HASH_SIZE}`,
        );
      }
      const stored = this.nodeCount(node.level);
      let queue = pending.get(node.level);
      if (!queue) {
        queue = [];
        pending.set(node.level, queue);
      }
      const next = stored + queue.length;
      if (node.index > next) {
        throw new MerkleError(
          'node_gap',
          `node (level ${node.level}, index ${node.index}) leaves a gap at ${next}`,
        );
      }
      if (node.index === next) {
        queue.push(node.hash);
        continue;
      }
      const existing = node.index < stored ? this.getNode(node) : queue[node.index - stored]!;
      if (!hashesEqual(existing, node.hash)) {
        throw new MerkleError(
          'node_conflict',
          `node (level ${node.level}, index ${node.index}) already differs`,
        );
      }
    }
    for (const [level, queue] of pending) {
      for (const hash of queue) this.#append(level, hash);
    }
  }

  #append(levelNumber: number, hash: Buffer): void {
    while (this.#levels.length <= levelNumber) this.#levels.push({ chunks: [], count: 0 });
    const level = this.#levels[levelNumber]!;
    const chunkIndex = Math.floor(level.count / CHUNK_NODES);
    if (chunkIndex === level.chunks.length) level.chunks.push(Buffer.alloc(CHUNK_BYTES));
    hash.copy(level.chunks[chunkIndex]!, (level.count % CHUNK_NODES) * HASH_SIZE);
    level.count++;
  }
}
