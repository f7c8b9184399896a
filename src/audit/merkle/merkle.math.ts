import { MerkleError } from './merkle.errors.ts';

/** Position of a perfect subtree: it covers leaves [index * 2^level, (index + 1) * 2^level). */
export interface NodeKey {
  readonly level: number;
  readonly index: number;
}

/** Half-open leaf range [begin, end). */
export interface LeafRange {
  readonly begin: number;
  readonly end: number;
}

// Sizes and indices are plain numbers up to 2^53 - 1. Bitwise operators would silently truncate
// them to 32 bits, so this module only uses division and remainders.
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

/** Throws unless `value` is an integer in [0, 2^53 - 1]; `what` names it in the message. */
export function assertTreeSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MerkleError('invalid_size', `${what} must be an integer between 0 and 2^53-1, got ${value}`);
  }
}

/** True when n is 2^k for some k >= 0 (exact for every safe integer, unlike Math.log2). */
export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  let rest = n;
  while (rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/** Number of perfect subtrees in a tree of `size` leaves (the set bits of size). */
export function countPerfectSubtrees(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Largest power of two strictly less than n (n >= 2): the RFC 9162 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The ranges whose hashes make the inclusion proof of leaf `index` in a tree of `size` leaves,
 * in proof order (leaf's sibling first), following PATH(m, D[n]) of RFC 9162 section 2.1.3.1.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  const out: LeafRange[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = splitPoint(end - begin);
    if (index < begin + k) {
      out.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      out.push({ begin, end: begin + k });
      begin += k;
    }
  }
  return out.reverse();
}

/**
 * The ranges whose hashes make the consistency proof between sizes 0 < size1 < size2, in proof
 * order, following SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1.
 */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  const out: LeafRange[] = [];
  let begin = 0;
  let end = size2;
  let m = size1;
  let wholeOldTree = true;
  for (;;) {
    if (m === end - begin) {
      // The old tree's root is known to the verifier, so it is omitted when it is this node.
      if (!wholeOldTree) out.push({ begin, end });
      break;
    }
    const k = splitPoint(end - begin);
    if (m <= k) {
      out.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      out.push({ begin, end: begin + k });
      begin += k;
      m -= k;
      wholeOldTree = false;
    }
  }
  return out.reverse();
}

/**
 * Splits a range that starts on a multiple of a power of two at least as large as the range into
 * perfect subtrees, largest first. Every range an RFC 9162 proof or root uses has this shape, and
 * its hash is then the right fold of the pieces' hashes.
 */
export function perfectSubtrees(range: LeafRange): NodeKey[] {
  const keys: NodeKey[] = [];
  let begin = range.begin;
  let width = 1;
  let level = 0;
  while (width * 2 <= range.end - begin) {
    width *= 2;
    level++;
  }
  while (begin < range.end) {
    if (width <= range.end - begin) {
      if (begin % width !== 0) {
        throw new MerkleError('invalid_node_key', `range [${range.begin}, ${range.end}) is not aligned`);
      }
      keys.push({ level, index: begin / width });
      begin += width;
    }
    width /= 2;
    level--;
  }
  return keys;
}
