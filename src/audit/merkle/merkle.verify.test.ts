import { describe, expect, it } from 'vitest';
import {
  computeRoot,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  MemoryNodeStore,
  MerkleFrontier,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './index.ts';
import { leafData } from './merkle.test-support.ts';

const leafHashes = leafData(13).map(hashLeaf);
const store = new MemoryNodeStore();
const frontier = new MerkleFrontier();
for (const leafHash of leafHashes) {
  frontier.appendLeafHash(leafHash, (level, index, hash) => store.putNodesSync([{ level, index, hash }]));
}
const root13 = computeRoot(leafHashes);
const root6 = computeRoot(leafHashes.slice(0, 6));

describe('verifyInclusion names the reason for a rejection', async () => {
  const proof = await inclusionProof(store, 5, 13);
  const base = { leafIndex: 5, treeSize: 13, leafHash: leafHashes[5]!, proof, rootHash: root13 };

  it.each([
    ['index_out_of_range', { leafIndex: 13 }, /not below tree size 13/],
    ['invalid_size', { leafIndex: -1 }, /integers/],
    ['invalid_size', { treeSize: Number.NaN }, /integers/],
    ['invalid_size', { treeSize: 2 ** 53 }, /integers/],
    ['bad_leaf_hash', { leafHash: Buffer.alloc(0) }, /0 bytes/],
    ['bad_root_hash', { rootHash: root13.subarray(0, 31) }, /31 bytes/],
    ['wrong_proof_length', { proof: proof.slice(1) }, /has 3 hashes, leaf 5 in a tree of 13 needs 4/],
    ['wrong_proof_length', { proof: [...proof, root13] }, /needs 4/],
    [
      'bad_proof_hash',
      { proof: [proof[0]!, Buffer.alloc(33), proof[2]!, proof[3]!] },
      /proof hash 1 is 33 bytes/,
    ],
    ['root_mismatch', { leafHash: leafHashes[4]! }, /different root/],
    ['root_mismatch', { rootHash: root6 }, /different root/],
  ] as const)('%s for %o', (code, change, message) => {
    const result = verifyInclusion({ ...base, ...change });
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.reason).toMatch(message);
  });

  it('accepts the genuine proof and recomputes its root', () => {
    expect(verifyInclusion(base)).toEqual({ ok: true });
    const computed = rootFromInclusionProof(base);
    expect(computed.ok && computed.rootHash.equals(root13)).toBe(true);
  });

  it('returns a root that does not alias the leaf hash given (a one-leaf tree)', () => {
    const leafHash = Buffer.from(leafHashes[0]!);
    const computed = rootFromInclusionProof({ leafIndex: 0, treeSize: 1, leafHash, proof: [] });
    leafHash.fill(0);
    expect(computed.ok && computed.rootHash.equals(leafHashes[0]!)).toBe(true);
  });
});

describe('verifyConsistency names the reason for a rejection', async () => {
  const proof = await consistencyProof(store, 6, 13);
  const base = { size1: 6, size2: 13, root1: root6, root2: root13, proof };

  it.each([
    ['size1_greater_than_size2', { size1: 14 }],
    ['size1_zero', { size1: 0 }],
    ['size1_zero', { size1: 0, size2: 0, proof: [] }],
    ['invalid_size', { size2: 1.5 }],
    ['proof_not_empty', { size1: 13, root1: root13 }],
    ['roots_differ', { size1: 13, proof: [] }],
    ['wrong_proof_length', { proof: [] }],
    ['wrong_proof_length', { proof: proof.slice(0, -1) }],
    ['bad_root_hash', { root1: Buffer.alloc(12) }],
    ['bad_proof_hash', { proof: proof.map((h, i) => (i === 0 ? h.subarray(1) : h)) }],
    ['root1_mismatch', { root1: computeRoot(leafHashes.slice(1, 7)) }],
    ['root2_mismatch', { root2: computeRoot(leafHashes.slice(0, 12).concat([leafHashes[0]!])) }],
  ] as const)('%s for %o', (code, change) => {
    expect(verifyConsistency({ ...base, ...change })).toMatchObject({ ok: false, code });
  });

  it('accepts the genuine proof, and equal sizes with equal roots and no proof', () => {
    expect(verifyConsistency(base)).toEqual({ ok: true });
    expect(verifyConsistency({ size1: 13, size2: 13, root1: root13, root2: root13, proof: [] })).toEqual({
      ok: true,
    });
  });

  it('puts the old root back when size1 is a power of two', async () => {
    const root8 = computeRoot(leafHashes.slice(0, 8));
    const p = await consistencyProof(store, 8, 13);
    expect(p.some((h) => h.equals(root8))).toBe(false);
    expect(verifyConsistency({ size1: 8, size2: 13, root1: root8, root2: root13, proof: p })).toEqual({
      ok: true,
    });
    expect(verifyConsistency({ size1: 8, size2: 13, root1: root6, root2: root13, proof: p }).ok).toBe(false);
  });
});
