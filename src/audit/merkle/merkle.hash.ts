import { createHash, hash, timingSafeEqual } from 'node:crypto';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** RFC 9162 leaf prefix: a leaf hash is SHA-256(LEAF_PREFIX || data). */
export const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
// Leaves larger than this are streamed instead of copied into the scratch buffer, so one huge leaf
// cannot make the module keep a huge buffer alive.
const MAX_SCRATCH_LEAF = 64 * 1024;

// The library reads only this private copy: a caller writing into the exported EMPTY_ROOT Buffer
// (Buffers cannot be frozen) cannot change what the library computes.
const EMPTY_ROOT_BYTES = hash('sha256', Buffer.alloc(0), 'buffer');

/** Root of the empty tree: SHA-256 of the empty string (RFC 9162 section 2.1.1). Read-only. */
export const EMPTY_ROOT: Buffer = Buffer.from(EMPTY_ROOT_BYTES);

/** A fresh copy of the empty-tree root. */
export function emptyRoot(): Buffer {
  return Buffer.from(EMPTY_ROOT_BYTES);
}

// Speed matters here: recomputing a root costs two hashes per event, and the verification target
// is half the raw SHA-256 rate. One-shot crypto.hash over a reused scratch buffer avoids a Hash
// object per call, and asking for a latin1 ("binary") string instead of a Buffer avoids allocating
// an ArrayBuffer per result, which alone costs more than the hash. JavaScript is single-threaded
// and crypto.hash is synchronous, so the shared scratch buffers cannot be observed half-written.
// Byte 0 of nodeScratch is the node prefix forever; only bytes 1..64 are ever written.
const nodeScratch = Buffer.from([NODE_PREFIX, ...new Array<number>(2 * HASH_SIZE).fill(0)]);
let leafScratch = Buffer.alloc(1024);
// subarray() allocates a Buffer object per call; views of the common leaf lengths are kept.
const MAX_CACHED_VIEW = 4096;
let leafViews: Buffer[] = [];

function fillLeafScratch(data: Uint8Array): Buffer {
  const length = data.length + 1;
  if (length > leafScratch.length) {
    leafScratch = Buffer.alloc(Math.min(MAX_SCRATCH_LEAF, 2 ** Math.ceil(Math.log2(length))));
    leafViews = [];
  }
  leafScratch[0] = LEAF_PREFIX;
  leafScratch.set(data, 1);
  return leafView(length);
}

/** The first `length` bytes of the leaf scratch buffer. */
function leafView(length: number): Buffer {
  if (length > MAX_CACHED_VIEW) return leafScratch.subarray(0, length);
  let view = leafViews[length];
  if (view === undefined) {
    view = leafScratch.subarray(0, length);
    leafViews[length] = view;
  }
  return view;
}

/** RFC 9162 leaf hash: SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  if (data.length + 1 > MAX_SCRATCH_LEAF) {
    return createHash('sha256')
      .update(Buffer.from([LEAF_PREFIX]))
      .update(data)
      .digest();
  }
  return hash('sha256', fillLeafScratch(data), 'buffer');
}

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 1 + HASH_SIZE);
    return hash('sha256', nodeScratch, 'buffer');
  }
  // Only reachable with non-standard child sizes (the RFC 6962 test vectors hash raw strings).
  return createHash('sha256')
    .update(Buffer.from([NODE_PREFIX]))
    .update(left)
    .update(right)
    .digest();
}

/**
 * Leaf hash as a 32-character latin1 string (one char per byte), for the bulk paths that chain
 * hashes without materializing Buffers. Library-internal.
 */
export function hashLeafBinary(data: Uint8Array): string {
  if (data.length + 1 > MAX_SCRATCH_LEAF) return hashLeaf(data).toString('latin1');
  return hash('sha256', fillLeafScratch(data), 'binary');
}

// Buffer#utf8Write: undocumented like latin1Write below, and for the same reason (no encoding
// dispatch); feature-detected, write() is the fallback.
type Utf8Write = (this: Buffer, text: string, offset: number) => number;
const utf8Write = (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write;
const writeUtf8: (target: Buffer, text: string, offset: number) => number =
  typeof utf8Write === 'function'
    ? (target, text, offset) => utf8Write.call(target, text, offset)
    : (target, text, offset) => target.write(text, offset, 'utf8');

/**
 * Leaf hash of UTF-8 text, SHA-256(0x00 || utf8(text)), as a 32-character latin1 string: the text
 * is written into the scratch buffer after the prefix, so no Buffer is made for the data nor for
 * the result (verification hashes every event this way). Lone surrogates are written as U+FFFD,
 * as Buffer.from(text) would.
 */
export function hashLeafText(text: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const maxLength = 3 * text.length + 1;
  if (maxLength > MAX_SCRATCH_LEAF) return hashLeafBinary(Buffer.from(text, 'utf8'));
  if (maxLength > leafScratch.length) {
    leafScratch = Buffer.alloc(Math.min(MAX_SCRATCH_LEAF, 2 ** Math.ceil(Math.log2(maxLength))));
    leafViews = [];
  }
  leafScratch[0] = LEAF_PREFIX;
  const length = writeUtf8(leafScratch, text, 1) + 1;
  return hash('sha256', leafView(length), 'binary');
}

// Buffer#latin1Write is undocumented (nodejs/node#46467) but skips write()'s encoding dispatch,
// about 10% of root recomputation time. It is feature-detected; write() is the fallback.
type Latin1Write = (this: Buffer, text: string, offset: number, length: number) => number;
const latin1Write = (Buffer.prototype as unknown as { latin1Write?: Latin1Write }).latin1Write;
const writeHash: (text: string, offset: number) => void =
  typeof latin1Write === 'function'
    ? (text, offset) => latin1Write.call(nodeScratch, text, offset, HASH_SIZE)
    : (text, offset) => nodeScratch.write(text, offset, HASH_SIZE, 'latin1');

/** Node hash of two latin1-string hashes, as a latin1 string. Library-internal. */
export function hashChildrenBinary(left: string, right: string): string {
  writeHash(left, 1);
  writeHash(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'binary');
}

/** Equality of two hashes without an early exit; different lengths are simply unequal. */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
