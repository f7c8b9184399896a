import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeRoot, EMPTY_ROOT, hashChildren, hashLeaf, MemoryNodeStore, MerkleFrontier } from './index.ts';
import { consistencyProof, inclusionProof, rootHashAt } from './merkle.proof.ts';
import { verifyConsistency, verifyInclusion } from './merkle.verify.ts';

// The vectors live beside the repository (../shared from the repo root, in CI as here) and are
// read in place, never copied in. A missing directory fails the suite instead of skipping it.
const VECTORS_DIR = fileURLToPath(
  new URL('../../../../shared/fetched/transparency-dev-merkle/', import.meta.url),
);

function listJson(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listJson(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

const b64 = (value: string): Buffer => Buffer.from(value, 'base64');
const hex = (value: string): Buffer => Buffer.from(value, 'hex');

interface InclusionProbe {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyProbe {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const inclusionFiles = listJson(join(VECTORS_DIR, 'inclusion'));
const consistencyFiles = listJson(join(VECTORS_DIR, 'consistency'));
const load = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const name = (path: string): string => relative(VECTORS_DIR, path);

describe('transparency-dev/merkle probe files', () => {
  it('finds every probe file the README counts', () => {
    expect(inclusionFiles).toHaveLength(98);
    expect(consistencyFiles).toHaveLength(98);
  });

  it.each(inclusionFiles.map((path) => [name(path), path]))('inclusion %s', (_label, path) => {
    const probe = load<InclusionProbe>(path);
    const result = verifyInclusion({
      leafIndex: probe.leafIdx,
      treeSize: probe.treeSize,
      leafHash: b64(probe.leafHash),
      proof: (probe.proof ?? []).map(b64),
      rootHash: b64(probe.root),
    });
    expect(result.ok, probe.desc).toBe(!probe.wantErr);
  });

  it.each(consistencyFiles.map((path) => [name(path), path]))('consistency %s', (_label, path) => {
    const probe = load<ConsistencyProbe>(path);
    const result = verifyConsistency({
      size1: probe.size1,
      size2: probe.size2,
      root1: b64(probe.root1),
      root2: b64(probe.root2),
      proof: (probe.proof ?? []).map(b64),
    });
    expect(result.ok, probe.desc).toBe(!probe.wantErr);
  });
});

interface CanonicalVectors {
  hasherVectors: { op: string; inputHex?: string; leftHex?: string; rightHex?: string; want: string }[];
  leafInputsHex: string[];
  nodeHashesByLevel: string[][];
  rootHashesBySize: string[];
  inclusionProofs: { leafIndex: number; treeSize: number; proof: string[] }[];
  consistencyProofs: { size1: number; size2: number; proof: string[] }[];
}

describe('transparency-dev/merkle canonical vectors', () => {
  const vectors = load<CanonicalVectors>(join(VECTORS_DIR, 'canonical-vectors.json'));
  const leafHashes = vectors.leafInputsHex.map((input) => hashLeaf(hex(input)));
  const store = new MemoryNodeStore();
  const frontier = new MerkleFrontier();
  for (const leafHash of leafHashes) {
    frontier.appendLeafHash(leafHash, (level, index, hash) => store.putNodesSync([{ level, index, hash }]));
  }

  it('matches the four hasher vectors', () => {
    expect(vectors.hasherVectors).toHaveLength(4);
    for (const v of vectors.hasherVectors) {
      const got =
        v.op === 'emptyRoot'
          ? EMPTY_ROOT
          : v.op === 'hashLeaf'
            ? hashLeaf(hex(v.inputHex ?? ''))
            : hashChildren(hex(v.leftHex ?? ''), hex(v.rightHex ?? ''));
      expect(got.toString('hex'), v.op).toBe(v.want);
    }
  });

  it('stores every complete-subtree hash at its level and index', () => {
    vectors.nodeHashesByLevel.forEach((level, levelNumber) => {
      expect(store.nodeCount(levelNumber)).toBe(level.length);
      level.forEach((want, index) => {
        expect(store.getNode({ level: levelNumber, index }).toString('hex')).toBe(want);
      });
    });
  });

  it('computes the root of every size 0..8, directly and from the store', async () => {
    expect(vectors.rootHashesBySize).toHaveLength(9);
    for (const [size, want] of vectors.rootHashesBySize.entries()) {
      expect(computeRoot(leafHashes.slice(0, size)).toString('hex')).toBe(want);
      expect((await rootHashAt(store, size)).toString('hex')).toBe(want);
    }
  });

  it('generates and verifies the inclusion proofs of the table', async () => {
    for (const v of vectors.inclusionProofs) {
      const proof = await inclusionProof(store, v.leafIndex, v.treeSize);
      expect(proof.map((h) => h.toString('hex'))).toEqual(v.proof);
      const check = verifyInclusion({
        leafIndex: v.leafIndex,
        treeSize: v.treeSize,
        leafHash: leafHashes[v.leafIndex]!,
        proof: v.proof.map(hex),
        rootHash: hex(vectors.rootHashesBySize[v.treeSize]!),
      });
      expect(check).toEqual({ ok: true });
    }
  });

  it('generates and verifies the consistency proofs of the table', async () => {
    for (const v of vectors.consistencyProofs) {
      const proof = await consistencyProof(store, v.size1, v.size2);
      expect(proof.map((h) => h.toString('hex'))).toEqual(v.proof);
      const check = verifyConsistency({
        size1: v.size1,
        size2: v.size2,
        root1: hex(vectors.rootHashesBySize[v.size1]!),
        root2: hex(vectors.rootHashesBySize[v.size2]!),
        proof: v.proof.map(hex),
      });
      expect(check).toEqual({ ok: true });
    }
  });
});
