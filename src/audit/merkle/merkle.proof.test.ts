import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  leafHashAt,
  MemoryNodeStore,
  MerkleError,
  rootHashAt,
  verifyConsistency,
  verifyInclusion,
} from './index.ts';
import {
  leafData,
  OneSpecialLeafTree,
  RecordingReader,
  referenceConsistency,
  referencePath,
  referenceRoot,
} from './merkle.test-support.ts';

const MAX_EXHAUSTIVE = 66;
const data = leafData(MAX_EXHAUSTIVE);
const leafHashes = data.map(hashLeaf);
const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

async function buildStore(leaves: readonly Buffer[], batch = 7): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  for (let start = 0; start < leaves.length; start += batch) {
    const result = await appendLeaves(store, start, leaves.slice(start, start + batch));
    await store.putNodes(result.nodes);
  }
  return store;
}

describe('proofs against the RFC 9162 recursive definitions, every size up to 66', async () => {
  const store = await buildStore(leafHashes);

  it('gives the reference root for every tree size', async () => {
    for (let n = 0; n <= MAX_EXHAUSTIVE; n++) {
      expect((await rootHashAt(store, n)).equals(referenceRoot(data.slice(0, n)))).toBe(true);
    }
  });

  it('gives the reference inclusion proof for every leaf of every size, and it verifies', async () => {
    for (let n = 1; n <= MAX_EXHAUSTIVE; n++) {
      const root = referenceRoot(data.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = await inclusionProof(store, m, n);
        expect(hex(proof)).toEqual(hex(referencePath(m, data.slice(0, n))));
        expect(
          verifyInclusion({ leafIndex: m, treeSize: n, leafHash: leafHashes[m]!, proof, rootHash: root }),
        ).toEqual({
          ok: true,
        });
      }
    }
  });

  it('gives the reference consistency proof for every pair of sizes, and it verifies', async () => {
    for (let n = 1; n <= MAX_EXHAUSTIVE; n++) {
      const root2 = referenceRoot(data.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const proof = await consistencyProof(store, m, n);
        expect(hex(proof)).toEqual(hex(referenceConsistency(m, data.slice(0, n))));
        const root1 = referenceRoot(data.slice(0, m));
        expect(verifyConsistency({ size1: m, size2: n, root1, root2, proof })).toEqual({ ok: true });
      }
    }
  });

  it('returns the stored leaf hash', async () => {
    expect((await leafHashAt(store, 65)).equals(leafHashes[65]!)).toBe(true);
  });
});

describe('tampered proofs are rejected', async () => {
  const store = await buildStore(leafHashes);
  const flip = (hash: Buffer, bit: number): Buffer => {
    const copy = Buffer.from(hash);
    copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  };

  it('rejects any single bit flip in an inclusion proof, the leaf or the root', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: MAX_EXHAUSTIVE }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        fc.nat(255),
        fc.nat(),
        async ([n, m], bit, pick) => {
          const proof = await inclusionProof(store, m, n);
          const root = await rootHashAt(store, n);
          const leafHash = leafHashes[m]!;
          const at = pick % proof.length;
          const tampered = proof.map((h, i) => (i === at ? flip(h, bit) : h));
          expect(
            verifyInclusion({ leafIndex: m, treeSize: n, leafHash, proof: tampered, rootHash: root }).ok,
          ).toBe(false);
          const badLeaf = flip(leafHash, bit);
          expect(
            verifyInclusion({ leafIndex: m, treeSize: n, leafHash: badLeaf, proof, rootHash: root }).ok,
          ).toBe(false);
          const badRoot = flip(root, bit);
          expect(verifyInclusion({ leafIndex: m, treeSize: n, leafHash, proof, rootHash: badRoot }).ok).toBe(
            false,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects an inclusion proof presented for another leaf index', async () => {
    for (let n = 2; n <= 40; n++) {
      const root = await rootHashAt(store, n);
      for (let m = 0; m < n; m++) {
        const proof = await inclusionProof(store, m, n);
        for (let other = 0; other < n; other++) {
          if (other === m) continue;
          const check = verifyInclusion({
            leafIndex: other,
            treeSize: n,
            leafHash: leafHashes[m]!,
            proof,
            rootHash: root,
          });
          expect(check.ok).toBe(false);
        }
      }
    }
  });

  it('rejects any single bit flip in a consistency proof or either root', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: MAX_EXHAUSTIVE })
          .chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n))),
        fc.nat(255),
        fc.nat(),
        async ([m, n], bit, pick) => {
          const proof = await consistencyProof(store, m, n);
          const root1 = await rootHashAt(store, m);
          const root2 = await rootHashAt(store, n);
          const at = pick % proof.length;
          const tampered = proof.map((h, i) => (i === at ? flip(h, bit) : h));
          expect(verifyConsistency({ size1: m, size2: n, root1, root2, proof: tampered }).ok).toBe(false);
          expect(verifyConsistency({ size1: m, size2: n, root1: flip(root1, bit), root2, proof }).ok).toBe(
            false,
          );
          expect(verifyConsistency({ size1: m, size2: n, root1, root2: flip(root2, bit), proof }).ok).toBe(
            false,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a consistency proof between a tree and a rewritten history', async () => {
    const forked = [...leafHashes.slice(0, 40)];
    forked[17] = hashLeaf(Buffer.from('rewritten'));
    const forkStore = await buildStore(forked);
    const root1 = await rootHashAt(forkStore, 30);
    const root2 = await rootHashAt(store, 40);
    const proof = await consistencyProof(store, 30, 40);
    const check = verifyConsistency({ size1: 30, size2: 40, root1, root2, proof });
    expect(check).toMatchObject({ ok: false, code: 'root1_mismatch' });
  });
});

describe('proof generation reads O(log n) stored nodes in one call', async () => {
  const size = 100_003;
  const store = await buildStore(
    Array.from({ length: size }, (_, i) => hashLeaf(Buffer.from(String(i)))),
    4096,
  );
  const log2 = Math.ceil(Math.log2(size));

  it('reads at most 2 log2(n) nodes per inclusion or consistency proof', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(size - 1), fc.integer({ min: 1, max: size }), async (a, b) => {
        const reader = new RecordingReader(store);
        await inclusionProof(reader, a, size);
        await consistencyProof(reader, Math.min(a + 1, b), Math.max(a + 1, b));
        expect(reader.calls.length).toBeLessThanOrEqual(2);
        for (const keys of reader.calls) expect(keys.length).toBeLessThanOrEqual(2 * log2);
      }),
      { numRuns: 200 },
    );
  });

  it('reads at most log2(n) + 1 nodes to append', async () => {
    const reader = new RecordingReader(store);
    const result = await appendLeaves(reader, size, [hashLeaf(Buffer.from('next'))]);
    expect(reader.calls).toHaveLength(1);
    expect(reader.calls[0]!.length).toBeLessThanOrEqual(log2 + 1);
    expect(result.treeSize).toBe(size + 1);
  });
});

describe('trees beyond 2^32 leaves (no 32-bit arithmetic)', () => {
  const cases = [
    { special: 2 ** 40 + 12_345, size: 2 ** 41 + 777, older: 2 ** 40 + 99_999 },
    { special: 2 ** 33 - 1, size: 2 ** 33 + 1, older: 2 ** 33 },
    { special: 2 ** 52 + 3, size: 2 ** 53 - 1, older: 2 ** 52 + 5 },
  ];

  it.each(cases)('proves leaf $special in a tree of $size', async ({ special, size, older }) => {
    const tree = new OneSpecialLeafTree(special);
    const root = await rootHashAt(tree, size);
    const proof = await inclusionProof(tree, special, size);
    const leafHash = tree.leafHash(special);
    expect(verifyInclusion({ leafIndex: special, treeSize: size, leafHash, proof, rootHash: root })).toEqual({
      ok: true,
    });
    // The same proof at an index that differs only above bit 31 must fail.
    const wrongIndex = special - 2 ** 32;
    expect(
      verifyInclusion({ leafIndex: wrongIndex, treeSize: size, leafHash, proof, rootHash: root }).ok,
    ).toBe(false);

    const oldRoot = await rootHashAt(tree, older);
    const consistency = await consistencyProof(tree, older, size);
    expect(
      verifyConsistency({ size1: older, size2: size, root1: oldRoot, root2: root, proof: consistency }),
    ).toEqual({
      ok: true,
    });
  });
});

describe('proof generation refuses impossible requests', () => {
  const store = new MemoryNodeStore();

  it('names the problem', async () => {
    await expect(inclusionProof(store, 3, 3)).rejects.toMatchObject({ code: 'index_out_of_range' });
    await expect(inclusionProof(store, -1, 3)).rejects.toMatchObject({ code: 'invalid_size' });
    await expect(inclusionProof(store, 0, 2 ** 53)).rejects.toMatchObject({ code: 'invalid_size' });
    await expect(consistencyProof(store, 4, 3)).rejects.toMatchObject({ code: 'invalid_size' });
    await expect(consistencyProof(store, 0, 3)).rejects.toMatchObject({ code: 'empty_tree_consistency' });
    await expect(consistencyProof(store, 3, 3)).resolves.toEqual([]);
    await expect(inclusionProof(store, 0, 2)).rejects.toBeInstanceOf(MerkleError);
    await expect(inclusionProof(store, 0, 2)).rejects.toMatchObject({ code: 'node_missing' });
  });
});
