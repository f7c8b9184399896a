// Test support only (imported by *.test.ts, never by the library): a literal transcription of the
// recursive definitions of RFC 9162 section 2.1, kept deliberately naive so that it shares no logic
// with the iterative implementation it checks.
import { createHash } from 'node:crypto';
import type { NodeKey } from './merkle.math.ts';
import type { MerkleNodeReader } from './merkle.store.ts';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

const ZERO = Buffer.from([0]);
const ONE = Buffer.from([1]);

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH(D[n]) over leaf data. */
export function referenceRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(ZERO, leaves[0]!);
  const split = k(leaves.length);
  return sha256(ONE, referenceRoot(leaves.slice(0, split)), referenceRoot(leaves.slice(split)));
}

/** PATH(m, D[n]). */
export function referencePath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const split = k(leaves.length);
  if (m < split) return [...referencePath(m, leaves.slice(0, split)), referenceRoot(leaves.slice(split))];
  return [...referencePath(m - split, leaves.slice(split)), referenceRoot(leaves.slice(0, split))];
}

function subproof(m: number, leaves: readonly Buffer[], b: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return b ? [] : [referenceRoot(leaves)];
  const split = k(n);
  if (m <= split) return [...subproof(m, leaves.slice(0, split), b), referenceRoot(leaves.slice(split))];
  return [...subproof(m - split, leaves.slice(split), false), referenceRoot(leaves.slice(0, split))];
}

/** PROOF(m, D[n]). */
export function referenceConsistency(m: number, leaves: readonly Buffer[]): Buffer[] {
  return subproof(m, leaves, true);
}

/** Distinct, deterministic leaf data: "leaf-<i>". */
export function leafData(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.from(`leaf-${i}`));
}

/** Wraps a reader and records every getNodes call, to assert how much a proof reads. */
export class RecordingReader implements MerkleNodeReader {
  readonly calls: NodeKey[][] = [];
  readonly #inner: MerkleNodeReader;

  constructor(inner: MerkleNodeReader) {
    this.#inner = inner;
  }

  getNodes(keys: readonly NodeKey[]): Promise<Buffer[]> {
    this.calls.push([...keys]);
    return this.#inner.getNodes(keys);
  }
}

/**
 * Node reader for a virtual tree of any size up to 2^53 in which every leaf has the same data
 * except leaf `special`. Each node is either "uniform" (same hash for every index at its level) or
 * on the special leaf's path, so any node costs O(level) hashes and trees far past 2^32 leaves can
 * be proved without being built.
 */
export class OneSpecialLeafTree implements MerkleNodeReader {
  readonly #special: number;
  readonly #uniform: Buffer[] = [];
  readonly #path: Buffer[] = [];

  constructor(special: number, levels = 54) {
    this.#special = special;
    this.#uniform.push(sha256(ZERO, Buffer.from('same')));
    this.#path.push(sha256(ZERO, Buffer.from('special')));
    let position = special;
    for (let level = 1; level < levels; level++) {
      const u = this.#uniform[level - 1]!;
      const p = this.#path[level - 1]!;
      this.#uniform.push(sha256(ONE, u, u));
      this.#path.push(position % 2 === 0 ? sha256(ONE, p, u) : sha256(ONE, u, p));
      position = Math.floor(position / 2);
    }
  }

  async getNodes(keys: readonly NodeKey[]): Promise<Buffer[]> {
    return keys.map(({ level, index }) =>
      index === Math.floor(this.#special / 2 ** level) ? this.#path[level]! : this.#uniform[level]!,
    );
  }

  /** Hash of leaf `index`. */
  leafHash(index: number): Buffer {
    return index === this.#special ? this.#path[0]! : this.#uniform[0]!;
  }
}
