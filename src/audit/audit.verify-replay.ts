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
  macKey: Buffer;
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

function checkEvent(row: AuditEventsTable, input: ReplayInput): Buffer {
  const { leaf_hash, mac, ...fields } = row;
  const leafHash = auditLeafHash(encodeAuditEvent(fields));
  const where = { seq: Number(row.seq), eventId: row.id };
  if (!hashesEqual(leafHash, leaf_hash)) {
    input.problems.add({
      kind: 'event_fields_changed',
      ...where,
      detail: 'the stored fields no longer hash to the event leaf hash (a field was changed)',
    });
  } else if (!mac || !hashesEqual(auditEventMac(input.macKey, leafHash), mac)) {
    input.problems.add({
      kind: 'event_mac_invalid',
      ...where,
      detail: 'the event MAC does not verify: the row was not written by Vigil (inserted or rewritten)',
    });
  }
  return leafHash;
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
    const rows = await selectTreeNodeRange(db, input.tenantId, level, list[0]!.index, list[list.length - 1]!.index);
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

function checkExpectedRoots(input: ReplayInput, state: { next: number; matched: ExpectedRoot[] }): void {
  for (let head = input.expected[state.next]; head && head.treeSize === input.frontier.size; ) {
    if (hashesEqual(input.frontier.rootHash(), head.rootHash)) state.matched.push(head);
    else {
      input.problems.add({
        kind: head.what === 'checkpoint' ? 'checkpoint_root_mismatch' : 'tree_head_mismatch',
        treeSize: head.treeSize,
        ...(head.checkpointId ? { checkpointId: head.checkpointId } : {}),
        detail: `the ${head.what} of size ${head.treeSize} has a root the recomputed log does not reach`,
      });
    }
    state.next++;
    head = input.expected[state.next];
  }
}

/**
 * Re-reads the log from the frontier's size in seq order: recomputes every leaf hash from the
 * fields, checks every MAC, rebuilds the tree comparing each stored node, and checks the root at
 * every expected size. Gaps are reported where they start.
 */
export async function replayEvents(db: DbOrTransaction, input: ReplayInput): Promise<ReplayResult> {
  const state = { next: 0, matched: [] as ExpectedRoot[] };
  let expectedSeq = input.frontier.size;
  let eventsChecked = 0;
  let treeIntact = true;
  for (;;) {
    const rows = await selectEventsFromSeq(db, input.tenantId, expectedSeq, BATCH);
    const nodes: MerkleNode[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        input.problems.add({
          kind: 'event_missing',
          seq: expectedSeq,
          detail: `events ${expectedSeq}..${seq - 1} are missing (the next stored event is seq ${seq}, id ${row.id})`,
        });
        treeIntact = false;
        expectedSeq = seq;
      }
      const leafHash = checkEvent(row, input);
      if (treeIntact) {
        input.frontier.appendLeafHash(leafHash, (level, index, hash) => nodes.push({ level, index, hash }));
        checkExpectedRoots(input, state);
      }
      expectedSeq++;
      eventsChecked++;
    }
    if (nodes.length > 0) await compareStoredNodes(db, input, nodes);
    if (rows.length < BATCH || input.signal?.aborted) break;
  }
  return { eventsChecked, logSize: expectedSeq, treeIntact, matched: state.matched };
}
