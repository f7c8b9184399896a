import type { Db } from '../storage/index.ts';
import { isStoredNode, LOWEST_STORED_LEVEL } from './audit.node-store.ts';
import { countMatchingStoredHashes, EVENTS_LEVEL, type HashRange } from './audit.verify.queries.ts';
import { compareStoredNodes } from './audit.verify-rows.ts';
import { checkExpectedRoots, type ReplayInput, type ReplayState, rootDueAt } from './audit.verify-state.ts';
import { HASH_SIZE, hashLeafText, type MerkleNode } from './merkle/index.ts';

// The bulk path of verification, for a page of events that are all under a signed checkpoint.
// The database writes each event's canonical JSON (one string per event instead of seventeen
// values, the costliest part of reading), which is hashed on the storage's digest thread when it
// has one (SQLite on a file), else here. The database then compares the
// stored copies (the events' leaf_hash column, the tree nodes) with the recomputed hashes a range
// at a time, returning one count per range. Where a count falls short, the page or the level of
// nodes goes back to the row path, which names the event or the node.

const toBuffer = (hashes: readonly string[]) => Buffer.from(hashes.join(''), 'latin1');

/** The recomputed nodes of a page that also exist in the stored tree, one range per level. */
function storedNodeRanges(input: ReplayInput, from: number, levels: readonly string[][]): HashRange[] {
  const ranges: HashRange[] = [];
  levels.forEach((hashes, level) => {
    if (level < LOWEST_STORED_LEVEL) return;
    const width = 2 ** level;
    // Node (level, i) completes when leaf (i + 1) * 2^level - 1 is appended: the page's first
    // node of this level, and the last one inside the stored tree (nodes past its head are not
    // written yet).
    const fromIdx = Math.ceil((from + 1) / width) - 1;
    const lastStored = Math.floor(input.storedTreeSize / width) - 1;
    const toIdx = Math.min(fromIdx + hashes.length - 1, lastStored);
    if (fromIdx <= toIdx) {
      ranges.push({ level, fromIdx, toIdx, hashes: toBuffer(hashes.slice(0, toIdx - fromIdx + 1)) });
    }
  });
  return ranges;
}

/** Appends the page's leaves, checking roots as sizes are reached; returns the new nodes per level. */
function appendLeaves(leaves: readonly string[], input: ReplayInput, state: ReplayState): string[][] {
  const levels: string[][] = [];
  const sink = input.compareStoredNodes
    ? (level: number, _index: number, hash: string) => {
        if (level < LOWEST_STORED_LEVEL) return; // recomputed from the leaf hashes, not stored
        // Nodes of a level complete in index order, so each level's list is its range in order.
        const list = levels[level];
        if (list) list.push(hash);
        else levels[level] = [hash];
      }
    : undefined;
  for (const leaf of leaves) {
    input.frontier.appendLeafHashLatin1(leaf, sink);
    if (rootDueAt(input, state, input.frontier.size)) checkExpectedRoots(input, state);
  }
  return levels;
}

/**
 * The row path's recomputed nodes as ranges (one per level; a page's nodes of a level are
 * contiguous), cut to those inside the stored tree.
 */
export function rangesOfNodes(input: ReplayInput, nodes: readonly MerkleNode[]): HashRange[] {
  const byLevel: MerkleNode[][] = [];
  for (const node of nodes) {
    if (!isStoredNode(node.level, node.index, input.storedTreeSize)) continue;
    const list = byLevel[node.level];
    if (list) list.push(node);
    else byLevel[node.level] = [node];
  }
  const ranges: HashRange[] = [];
  byLevel.forEach((list, level) => {
    const fromIdx = list[0]!.index;
    ranges.push({
      level,
      fromIdx,
      toIdx: fromIdx + list.length - 1,
      hashes: Buffer.concat(list.map((node) => node.hash)),
    });
  });
  return ranges;
}

/** Has the database compare stored tree nodes with recomputed ones; names the nodes that differ. */
export async function compareNodesInBulk(
  db: Db,
  input: ReplayInput,
  ranges: readonly HashRange[],
): Promise<void> {
  if (ranges.length === 0) return;
  const matching = await countMatchingStoredHashes(db, input.dialect.types.bytes, input.tenantId, ranges);
  for (const range of ranges) {
    if (matching.get(range.level) === range.toIdx - range.fromIdx + 1) continue;
    const nodes: MerkleNode[] = [];
    for (let index = range.fromIdx; index <= range.toIdx; index++) {
      const at = (index - range.fromIdx) * 32;
      nodes.push({ level: range.level, index, hash: range.hashes.subarray(at, at + 32) });
    }
    await compareStoredNodes(db, input, nodes);
  }
}

/** About 1 MiB of recomputed hashes: a tree of 260,000 leaves has this many stored nodes. */
export const NODES_PER_COMPARISON = 32_768;

/**
 * Stored-node comparisons gathered over pages and sent in one round trip per
 * `input.nodesPerComparison` nodes (NODES_PER_COMPARISON by default): a page of 5,000 events completes only about 600 stored nodes over nine levels, and a
 * round trip per page cost more than the comparison itself. A level's ranges from consecutive
 * pages are contiguous and are merged; one that is not (after a gap) sends what was gathered first.
 */
export class NodeComparisons {
  readonly #levels = new Map<number, { fromIdx: number; toIdx: number; parts: Buffer[] }>();
  #count = 0;

  constructor(
    private readonly db: Db,
    private readonly input: ReplayInput,
  ) {}

  /** Adds a page's ranges; resolves when any comparison this started has finished. */
  add(ranges: readonly HashRange[]): Promise<void> {
    const sent: Promise<void>[] = [];
    for (const range of ranges) {
      let open = this.#levels.get(range.level);
      if (open && open.toIdx + 1 !== range.fromIdx) {
        sent.push(this.flush());
        open = undefined;
      }
      if (open) {
        open.parts.push(range.hashes);
        open.toIdx = range.toIdx;
      } else {
        this.#levels.set(range.level, { fromIdx: range.fromIdx, toIdx: range.toIdx, parts: [range.hashes] });
      }
      this.#count += range.toIdx - range.fromIdx + 1;
    }
    if (this.#count >= this.input.nodesPerComparison) sent.push(this.flush());
    return Promise.all(sent).then(() => undefined);
  }

  /** Compares everything gathered so far. */
  flush(): Promise<void> {
    const ranges: HashRange[] = [];
    for (const [level, { fromIdx, toIdx, parts }] of this.#levels) {
      ranges.push({ level, fromIdx, toIdx, hashes: parts.length === 1 ? parts[0]! : Buffer.concat(parts) });
    }
    this.#levels.clear();
    this.#count = 0;
    return compareNodesInBulk(this.db, this.input, ranges);
  }
}

/** A page's recomputed leaf hashes: as latin1 strings (the tree grows from them) and concatenated. */
export interface PageLeaves {
  hashes: string[];
  bytes: Buffer;
}

/** Leaf hashes of the database's canonical JSON texts, hashed here; undefined when one is not text. */
export function leavesOfTexts(texts: readonly unknown[]): PageLeaves | undefined {
  const hashes: string[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text !== 'string') return undefined;
    hashes[i] = hashLeafText(text);
  }
  return { hashes, bytes: toBuffer(hashes) };
}

/** Leaf hashes the digest thread computed, 32 bytes each. */
export function leavesOfDigests(digests: Buffer): PageLeaves {
  const hashes: string[] = new Array(digests.length / HASH_SIZE);
  for (let i = 0; i < hashes.length; i++) {
    hashes[i] = digests.toString('latin1', i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
  return { hashes, bytes: digests };
}

/**
 * Whether the stored leaf hashes of [from, from + count) equal the page's recomputed ones, every
 * one present: the database compares and returns one count. Started as soon as a page is hashed,
 * so its round trip overlaps the pages before it.
 */
export async function storedLeavesMatch(
  db: Db,
  input: ReplayInput,
  from: number,
  leaves: PageLeaves,
): Promise<boolean> {
  const count = leaves.hashes.length;
  if (count === 0) return false;
  const events: HashRange = {
    level: EVENTS_LEVEL,
    fromIdx: from,
    toIdx: from + count - 1,
    hashes: leaves.bytes,
  };
  const matching = await countMatchingStoredHashes(db, input.dialect.types.bytes, input.tenantId, [events]);
  return matching.get(EVENTS_LEVEL) === count;
}

/**
 * Checks a page [from, to) whose leaf hashes were recomputed from the canonical JSON the database
 * wrote. Returns undefined, having changed nothing, when the page needs the row path: not every
 * seq of the range is there (a gap, a truncated tail), the page does not start where the replay
 * stands, or a leaf hash differs from the stored one (a changed field, or a value the database
 * writes otherwise than JSON.stringify: either way the row path recomputes from the fields as
 * JavaScript reads them, and names the event). Otherwise returns the comparison of the stored
 * nodes, which the caller may let run while it reads on.
 */
export async function checkPageInBulk(
  input: ReplayInput,
  state: ReplayState,
  page: { from: number; to: number; leaves: PageLeaves; storedMatch: Promise<boolean> },
  nodeComparisons: NodeComparisons,
): Promise<{ compared: Promise<void> } | undefined> {
  const { from, to, leaves } = page;
  // As many rows as seqs in the range, with (tenant, seq) unique: each seq once, in order.
  const whole = leaves.hashes.length === to - from && from === state.expectedSeq;
  if (!state.treeIntact || !whole || to <= from) return undefined;
  // Equal to the stored leaf hash means equal to what the event was recorded with, so the
  // database's JSON is byte for byte JavaScript's: the tree can grow from these hashes.
  if (!(await page.storedMatch)) return undefined;
  const levels = appendLeaves(leaves.hashes, input, state);
  state.expectedSeq = to;
  state.eventsChecked += to - from;
  const nodes = input.compareStoredNodes ? storedNodeRanges(input, from, levels) : [];
  return { compared: nodeComparisons.add(nodes) };
}
