import { auditEventMac, auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
import { selectEventsFromSeq } from './audit.queries.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import { selectTreeNodeRange } from './audit.tree.queries.ts';
import type { DbOrTransaction } from './audit.types.ts';
import type { ProblemList } from './audit.verify-types.ts';
import { hashesEqual, type MerkleFrontier, type MerkleNode } from './merkle/index.ts';

/** A root the recomputed tree must reach at a size: a trusted checkpoint or the stored tree head. */
export interface ExpectedRoot {
  treeSize: number;
  rootHash: Buffer;
  checkpointId?: string;
  what: 'checkpoint' | 'tree head';
}

export interface ReplayInput {
  tenantId: string;
  frontier: MerkleFrontier;
  /** Sorted by size, all above the frontier's size. */
  expected: readonly ExpectedRoot[];
  /** Stored nodes are compared only below this size (nodes past the head are not written yet). */
  storedTreeSize: number;
  compareStoredNodes: boolean;
  macKey: Buffer;
  /**
   * MACs are checked from this seq on. Below it every event is under a signed checkpoint whose
   * root the replay recomputes, which authenticates it already; a range whose root does not match
   * is re-read with MACs to name the forged event.
   */
  macFrom: number;
  problems: ProblemList;
  signal?: AbortSignal;
}

export interface ReplayResult {
  eventsChecked: number;
  /** Next expected seq after the last event read. */
  logSize: number;
  /** False once a gap makes the recomputed tree meaningless past it. */
  treeIntact: boolean;
  /** Expected roots the recomputed tree matched, in size order. */
  matched: ExpectedRoot[];
}

const BATCH = 2000;

function checkEvent(row: AuditEventsTable, input: ReplayInput, checkMac: boolean): Buffer {
  // encodeAuditEvent reads only the encoded fields, so the row is passed as it is (no copy).
  const leafHash = auditLeafHash(encodeAuditEvent(row));
  const where = { seq: Number(row.seq), eventId: row.id };
  if (!hashesEqual(leafHash, row.leaf_hash)) {
    input.problems.add({
      kind: 'event_fields_changed',
      ...where,
      detail: 'the stored fields no longer hash to the event leaf hash (a field was changed)',
    });
  } else if (checkMac && !macValid(input.macKey, leafHash, row.mac)) {
    input.problems.add({ kind: 'event_mac_invalid', ...where, detail: MAC_DETAIL });
  }
  return leafHash;
}

const MAC_DETAIL = 'the event MAC does not verify: the row was not written by Vigil (inserted or rewritten)';
const macValid = (key: Buffer, leafHash: Buffer, mac: Buffer | null) =>
  mac !== null && hashesEqual(auditEventMac(key, leafHash), mac);

/** Re-reads [from, to) checking every MAC: names the events behind a root that did not match. */
async function pinpointForgeries(
  db: DbOrTransaction,
  input: ReplayInput,
  from: number,
  to: number,
): Promise<void> {
  for (let seq = from; seq < to; ) {
    const rows = await selectEventsFromSeq(db, input.tenantId, seq, Math.min(BATCH, to - seq));
    for (const row of rows) {
      const leafHash = auditLeafHash(encodeAuditEvent(row));
      // Changed fields were reported on the first pass; here only a consistent rewrite remains.
      if (hashesEqual(leafHash, row.leaf_hash) && !macValid(input.macKey, leafHash, row.mac)) {
        input.problems.add({
          kind: 'event_mac_invalid',
          seq: Number(row.seq),
          eventId: row.id,
          detail: MAC_DETAIL,
        });
      }
    }
    if (rows.length === 0) return;
    seq = Number(rows[rows.length - 1]!.seq) + 1;
  }
}

async function compareStoredNodes(db: DbOrTransaction, input: ReplayInput, nodes: readonly MerkleNode[]) {
  const byLevel = new Map<number, MerkleNode[]>();
  for (const node of nodes) {
    // Only perfect subtrees inside the stored tree exist in the store.
    if ((node.index + 1) * 2 ** node.level > input.storedTreeSize) continue;
    const list = byLevel.get(node.level) ?? [];
    list.push(node);
    byLevel.set(node.level, list);
  }
  for (const [level, list] of byLevel) {
    const rows = await selectTreeNodeRange(
      db,
      input.tenantId,
      level,
      list[0]!.index,
      list[list.length - 1]!.index,
    );
    const stored = new Map(rows.map((r) => [Number(r.idx), r.hash]));
    for (const node of list) {
      const hash = stored.get(node.index);
      if (hash && hashesEqual(hash, node.hash)) continue;
      input.problems.add({
        kind: 'tree_node_mismatch',
        treeSize: input.storedTreeSize,
        detail: `stored tree node (level ${level}, index ${node.index}) is ${hash ? 'different' : 'missing'}`,
      });
    }
  }
}

interface RootState {
  next: number;
  matched: ExpectedRoot[];
  /** Size of the last root that matched: ranges after it are suspect when a root fails. */
  lastGood: number;
  suspect: { from: number; to: number }[];
}

function checkExpectedRoots(input: ReplayInput, state: RootState): void {
  for (let head = input.expected[state.next]; head && head.treeSize === input.frontier.size; ) {
    if (hashesEqual(input.frontier.rootHash(), head.rootHash)) {
      state.matched.push(head);
      state.lastGood = head.treeSize;
    } else {
      input.problems.add({
        kind: head.what === 'checkpoint' ? 'checkpoint_root_mismatch' : 'tree_head_mismatch',
        treeSize: head.treeSize,
        ...(head.checkpointId ? { checkpointId: head.checkpointId } : {}),
        detail: `the ${head.what} of size ${head.treeSize} has a root the recomputed log does not reach`,
      });
      state.suspect.push({ from: state.lastGood, to: Math.min(head.treeSize, input.macFrom) });
    }
    state.next++;
    head = input.expected[state.next];
  }
}

interface ReplayState extends RootState {
  expectedSeq: number;
  eventsChecked: number;
  treeIntact: boolean;
}

/** Checks one page of events in seq order; returns the tree nodes it completed. */
function replayPage(
  rows: readonly AuditEventsTable[],
  input: ReplayInput,
  state: ReplayState,
  collect: boolean,
): MerkleNode[] {
  const nodes: MerkleNode[] = [];
  const sink = collect
    ? (level: number, index: number, hash: Buffer) => nodes.push({ level, index, hash })
    : undefined;
  for (const row of rows) {
    const seq = Number(row.seq);
    if (seq !== state.expectedSeq) {
      input.problems.add({
        kind: 'event_missing',
        seq: state.expectedSeq,
        detail: `events ${state.expectedSeq}..${seq - 1} are missing (the next stored event is seq ${seq}, id ${row.id})`,
      });
      state.treeIntact = false;
      state.expectedSeq = seq;
    }
    const leafHash = checkEvent(row, input, seq >= input.macFrom);
    if (state.treeIntact) {
      input.frontier.appendLeafHash(leafHash, sink);
      checkExpectedRoots(input, state);
    }
    state.expectedSeq++;
    state.eventsChecked++;
  }
  return nodes;
}

const ignore = () => undefined;

/**
 * Re-reads the log from the frontier's size in seq order: recomputes every leaf hash from the
 * fields, checks MACs, rebuilds the tree comparing each stored node, and checks the root at
 * every expected size. Gaps are reported where they start. The next page is read, and the last
 * page's nodes compared, while the current page is hashed.
 */
export async function replayEvents(db: DbOrTransaction, input: ReplayInput): Promise<ReplayResult> {
  const start = input.frontier.size;
  const state: ReplayState = {
    next: 0,
    matched: [],
    lastGood: start,
    suspect: [],
    expectedSeq: start,
    eventsChecked: 0,
    treeIntact: true,
  };
  let page = selectEventsFromSeq(db, input.tenantId, start, BATCH);
  let comparing: Promise<void> = Promise.resolve();
  for (;;) {
    const rows = await page;
    const more = rows.length === BATCH && input.signal?.aborted !== true;
    if (more) {
      page = selectEventsFromSeq(db, input.tenantId, Number(rows[rows.length - 1]!.seq) + 1, BATCH);
      page.catch(ignore); // awaited on the next turn; this only keeps an early failure from being "unhandled"
    }
    const nodes = replayPage(rows, input, state, input.compareStoredNodes);
    await comparing;
    comparing =
      input.compareStoredNodes && nodes.length > 0 ? compareStoredNodes(db, input, nodes) : Promise.resolve();
    comparing.catch(ignore);
    if (!more) break;
  }
  await comparing;
  // Roots never reached (a gap, a truncated tail) authenticate nothing: check those MACs too.
  if (state.next < input.expected.length) {
    state.suspect.push({ from: state.lastGood, to: Math.min(state.expectedSeq, input.macFrom) });
  }
  for (const range of state.suspect) {
    if (range.from < range.to) await pinpointForgeries(db, input, range.from, range.to);
  }
  return {
    eventsChecked: state.eventsChecked,
    logSize: state.expectedSeq,
    treeIntact: state.treeIntact,
    matched: state.matched,
  };
}
