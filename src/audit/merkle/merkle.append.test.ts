import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  appendToFrontier,
  computeRoot,
  computeRootFromLeafData,
  EMPTY_ROOT,
  frontierKeys,
  hashLeaf,
  MemoryNodeStore,
  MerkleFrontier,
  type MerkleNode,
  readFrontier,
  rootHashAt,
} from './index.ts';
import { leafData, referenceRoot } from './merkle.test-support.ts';

const data = leafData(300);
const leafHashes = data.map(hashLeaf);

/** Appends in the given batch sizes; returns the store and every AppendResult root. */
async function appendInBatches(
  batches: readonly number[],
): Promise<{ store: MemoryNodeStore; roots: Buffer[] }> {
  const store = new MemoryNodeStore();
  const roots: Buffer[] = [];
  let size = 0;
  for (const count of batches) {
    const result = await appendLeaves(store, size, leafHashes.slice(size, size + count));
    await store.putNodes(result.nodes);
    size = result.treeSize;
    roots.push(result.rootHash);
  }
  return { store, roots };
}

function dumpStore(store: MemoryNodeStore): string[][] {
  const levels: string[][] = [];
  for (let level = 0; store.nodeCount(level) > 0; level++) {
    levels.push(
      Array.from({ length: store.nodeCount(level) }, (_, index) =>
        store.getNode({ level, index }).toString('hex'),
      ),
    );
  }
  return levels;
}

describe('appendLeaves', () => {
  it('produces the same nodes and roots whatever the batch sizes', async () => {
    const oneByOne = await appendInBatches(Array.from({ length: 300 }, () => 1));
    const expected = dumpStore(oneByOne.store);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 40 }), async (splits) => {
        const total = splits.reduce((a, b) => a + b, 0);
        const batches = total < 300 ? [...splits, 300 - total] : splits;
        const { store, roots } = await appendInBatches(batches);
        const size = store.leafCount;
        expect(dumpStore(store)).toEqual(
          expected.map((level, l) => level.slice(0, Math.floor(size / 2 ** l))).filter((x) => x.length),
        );
        expect(roots.at(-1)!.equals(referenceRoot(data.slice(0, size)))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('stores floor(n / 2^level) nodes per level: exactly the perfect subtrees', async () => {
    const { store } = await appendInBatches([1, 2, 3, 100, 0, 194]);
    for (let level = 0; level <= 9; level++)
      expect(store.nodeCount(level)).toBe(Math.floor(300 / 2 ** level));
  });

  it('returns only new nodes, each exactly once, in an order the store accepts', async () => {
    const store = new MemoryNodeStore();
    const first = await appendLeaves(store, 0, leafHashes.slice(0, 5));
    await store.putNodes(first.nodes);
    const second = await appendLeaves(store, 5, leafHashes.slice(5, 8));
    const keys = second.nodes.map((n: MerkleNode) => `${n.level}/${n.index}`);
    // Leaves 5..7 complete nodes 1/2, 1/3, 2/1 and 3/0 (the whole 8-leaf tree).
    expect(keys).toEqual(['0/5', '1/2', '0/6', '0/7', '1/3', '2/1', '3/0']);
    await store.putNodes(second.nodes);
    expect(second.rootHash.equals(store.getNode({ level: 3, index: 0 }))).toBe(true);
  });

  it('hands back a frontier that continues the tree without reading the store', async () => {
    const store = new MemoryNodeStore();
    const first = await appendLeaves(store, 0, leafHashes.slice(0, 77));
    const second = appendToFrontier(first.frontier, leafHashes.slice(77, 200));
    expect(second.treeSize).toBe(200);
    expect(second.rootHash.equals(referenceRoot(data.slice(0, 200)))).toBe(true);
    expect(first.frontier.size).toBe(77);
    expect(first.frontier.rootHash().equals(first.rootHash)).toBe(true);
  });

  it('refuses a batch holding one malformed leaf hash, computing nothing', async () => {
    const store = new MemoryNodeStore();
    const batch = [leafHashes[0]!, Buffer.alloc(31), leafHashes[2]!];
    await expect(appendLeaves(store, 0, batch)).rejects.toMatchObject({ code: 'bad_hash_length' });
    expect(store.leafCount).toBe(0);
  });

  it('fails when the store does not hold the claimed current size', async () => {
    const store = new MemoryNodeStore();
    await expect(appendLeaves(store, 3, [leafHashes[3]!])).rejects.toMatchObject({ code: 'node_missing' });
  });

  it('empty batch keeps the tree as it is', async () => {
    const { store, roots } = await appendInBatches([10]);
    const result = await appendLeaves(store, 10, []);
    expect(result.nodes).toEqual([]);
    expect(result.rootHash.equals(roots[0]!)).toBe(true);
  });
});

describe('MerkleFrontier', () => {
  it('roots of leaf data and leaf hashes agree with the reference for sizes 0..300', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 255, 256, 257, 300]) {
      const want = referenceRoot(data.slice(0, n));
      expect(computeRoot(leafHashes.slice(0, n)).equals(want)).toBe(true);
      expect(computeRootFromLeafData(data.slice(0, n)).equals(want)).toBe(true);
    }
    expect(computeRoot([]).equals(EMPTY_ROOT)).toBe(true);
  });

  it('is rebuilt from the store at any past size', async () => {
    const { store } = await appendInBatches([300]);
    for (const size of [0, 1, 6, 128, 255, 299]) {
      const frontier = await readFrontier(store, size);
      expect(frontier.size).toBe(size);
      expect(frontier.hashes()).toHaveLength(frontierKeys(size).length);
      expect(frontier.rootHash().equals(await rootHashAt(store, size))).toBe(true);
    }
  });

  it('refuses a hash list that does not fit the size', () => {
    expect(() => MerkleFrontier.fromHashes(6, [leafHashes[0]!])).toThrow(/2 frontier hashes/);
    expect(() => MerkleFrontier.fromHashes(1, [Buffer.alloc(8)])).toThrow(/8 bytes/);
    expect(() => MerkleFrontier.fromHashes(-1, [])).toThrow(/tree size/);
  });

  it('grows the same tree and reports the same nodes from latin1 leaf hashes', () => {
    const fromBuffers = new MerkleFrontier();
    const fromStrings = new MerkleFrontier();
    const a: string[] = [];
    const b: string[] = [];
    for (const leaf of leafHashes.slice(0, 77)) {
      fromBuffers.appendLeafHash(leaf, (level, index, hash) =>
        a.push(`${level}:${index}:${hash.toString('hex')}`),
      );
      fromStrings.appendLeafHashLatin1(leaf.toString('latin1'), (level, index, hash) =>
        b.push(`${level}:${index}:${Buffer.from(hash, 'latin1').toString('hex')}`),
      );
    }
    expect(b).toEqual(a);
    expect(fromStrings.rootHash().equals(fromBuffers.rootHash())).toBe(true);
    expect(() => fromStrings.appendLeafHashLatin1('short')).toThrow(/5 characters/);
  });

  it('keeps its own copy of the hashes it is given', () => {
    const leaf = Buffer.from(leafHashes[0]!);
    const frontier = new MerkleFrontier();
    frontier.appendLeafHash(leaf);
    leaf.fill(0);
    expect(frontier.rootHash().equals(leafHashes[0]!)).toBe(true);
  });
});

describe('leaf hashing of any size', () => {
  it('matches SHA-256(0x00 || data) across the scratch-buffer and streaming paths', () => {
    for (const size of [0, 1, 1023, 1024, 5000, 65_534, 65_535, 65_536, 200_000]) {
      const leaf = Buffer.alloc(size, size % 251);
      const want = createHash('sha256')
        .update(Buffer.from([0]))
        .update(leaf)
        .digest();
      expect(hashLeaf(leaf).equals(want), `size ${size}`).toBe(true);
      const frontier = new MerkleFrontier();
      frontier.appendLeafData(leaf);
      expect(frontier.rootHash().equals(want), `frontier, size ${size}`).toBe(true);
    }
    // Short leaves again after the scratch buffer grew: cached views must follow the new buffer.
    for (const size of [1, 1023]) {
      const leaf = Buffer.alloc(size, 9);
      const frontier = new MerkleFrontier();
      frontier.appendLeafData(leaf);
      const want = createHash('sha256')
        .update(Buffer.from([0]))
        .update(leaf)
        .digest();
      expect(frontier.rootHash().equals(want), `again, size ${size}`).toBe(true);
    }
  });
});
