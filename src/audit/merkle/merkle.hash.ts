import { createHash, hash, timingSafeEqual } from 'node:crypto';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
// Leaves larger than this are streamed instead of copied into the scratch buffer, so one huge leaf
// cannot make the module keep a huge buffer alive.
const MAX_SCRATCH_LEAF = 64 * 1024;

/** Root of the empty tree: SHA-256 of the empty string (RFC 9162 section 2.1.1). */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

// Speed matters here: recomputing a root costs two hashes per event, and the verification target
// is half the raw SHA-256 rate. One-shot crypto.hash over a reused scratch buffer avoids a Hash
// object per call, and asking for a latin1 ("binary") string instead of a Buffer avoids allocating
// an ArrayBuffer per result, which alone costs more than the hash. JavaScript is single-threaded
// and crypto.hash is synchronous, so the shared scratch buffers cannot be observed half-written.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
let leafScratch = Buffer.alloc(1024);

function fillLeafScratch(data: Uint8Array): Buffer {
  const length = data.length + 1;
  if (length > leafScratch.length) {
    leafScratch = Buffer.alloc(Math.min(MAX_SCRATCH_LEAF, 2 ** Math.ceil(Math.log2(length))));
  }
  leafScratch[0] = LEAF_PREFIX;
  leafScratch.set(data, 1);
  return leafScratch.subarray(0, length);
}

/** RFC 9162 leaf hash: SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  if (data.length + 1 > MAX_SCRATCH_LEAF) {
    return createHash('sha256').update(Buffer.from([LEAF_PREFIX])).update(data).digest();
  }
  return hash('sha256', fillLeafScratch(data), 'buffer');
}

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeScratch[0] = NODE_PREFIX;
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 1 + HASH_SIZE);
    return hash('sha256', nodeScratch, 'buffer');
  }
  // Only reachable with non-standard child sizes (the RFC 6962 test vectors hash raw strings).
  return createHash('sha256').update(Buffer.from([NODE_PREFIX])).update(left).update(right).digest();
}

/**
 * Leaf hash as a 32-character latin1 string (one char per byte), for the bulk paths that chain
 * hashes without materializing Buffers. Library-internal.
 */
export function hashLeafBinary(data: Uint8Array): string {
  if (data.length + 1 > MAX_SCRATCH_LEAF) return hashLeaf(data).toString('latin1');
  return hash('sha256', fillLeafScratch(data), 'binary');
}

/** Node hash of two latin1-string hashes, as a latin1 string. Library-internal. */
export function hashChildrenBinary(left: string, right: string): string {
  nodeScratch[0] = NODE_PREFIX;
  nodeScratch.write(left, 1, HASH_SIZE, 'latin1');
  nodeScratch.write(right, 1 + HASH_SIZE, HASH_SIZE, 'latin1');
  return hash('sha256', nodeScratch, 'binary');
}

/** Equality of two hashes without an early exit; different lengths are simply unequal. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
