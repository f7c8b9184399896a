import type { Db } from '../storage/index.ts';
import { countMatchingStoredHashes, EVENTS_LEVEL, type HashRange } from './audit.verify.queries.ts';
import { compareStoredNodes } from './audit.verify-rows.ts';
import { checkExpectedRoots, type ReplayInput, type ReplayState, rootDueAt } from './audit.verify-state.ts';
import { hashLeafText, type MerkleNode } from './merkle/index.ts';

// The bulk path of verification, for a page of events that are all under a signed checkpoint.
// The database writes each event's canonical JSON (one string per event instead of seventeen
// values, the costliest part of reading); JavaScript hashes it. The database then compares the
// stored copies (the events' leaf_hash column, the tree nodes) with the recomputed hashes a range
// at a time, returning one count per range. Where a count falls short, the page or the level of
// nodes goes back to the row path, which names the event or the node.

const toBuffer = (hashes: readonly string[]) => Buffer.from(hashes.join(''), 'latin1');

/** The recomputed nodes of a page that also exist in the stored tree, one range per level. */
function storedNodeRanges(input: ReplayInput, from: number, levels: readonly string[][]): HashRange[] {
  const ranges: HashRange[] = [];
  levels.forEach((hashes, level) => {
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
    if ((node.index + 1) * 2 ** node.level > input.storedTreeSize) continue;
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

/**
 * Checks a page of events read as [seq, canonical JSON written by the database]. Returns
 * undefined, having changed nothing, when the page needs the row path: not contiguous from the
 * expected seq, or a leaf hash of the database's JSON differs from the stored one (a changed
 * field, or a value the database writes otherwise than JSON.stringify: either way the row path
 * recomputes from the fields as JavaScript reads them, and names the event). Otherwise returns
 * the comparison of the stored nodes, which the caller may let run while it reads on.
 */
export async function checkPageInBulk(
  db: Db,
  input: ReplayInput,
  state: ReplayState,
  rows: readonly unknown[][],
): Promise<{ compared: Promise<void> } | undefined> {
  const from = state.expectedSeq;
  if (!state.treeIntact || rows.length === 0) return undefined;
  const leaves: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [seq, canonical] = rows[i]!;
    if (Number(seq) !== from + i || typeof canonical !== 'string') return undefined;
    leaves[i] = hashLeafText(canonical);
  }
  const to = from + rows.length;
  // Equal to the stored leaf hash means equal to what the event was recorded with, so the
  // database's JSON is byte for byte JavaScript's: the tree can grow from these hashes.
  const events: HashRange = { level: EVENTS_LEVEL, fromIdx: from, toIdx: to - 1, hashes: toBuffer(leaves) };
  const matching = await countMatchingStoredHashes(db, input.dialect.types.bytes, input.tenantId, [events]);
  if (matching.get(EVENTS_LEVEL) !== rows.length) return undefined;
  const levels = appendLeaves(leaves, input, state);
  state.expectedSeq = to;
  state.eventsChecked += rows.length;
  const nodes = input.compareStoredNodes ? storedNodeRanges(input, from, levels) : [];
  return { compared: compareNodesInBulk(db, input, nodes) };
}
