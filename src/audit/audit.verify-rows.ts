import type { KeyObject } from 'node:crypto';
import { auditEventMac, auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
import { isStoredNode, LOWEST_STORED_LEVEL } from './audit.node-store.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import { selectTreeNodeRange } from './audit.tree.queries.ts';
import type { DbOrTransaction } from './audit.types.ts';
import { selectEventsInSeqRange } from './audit.verify.queries.ts';
import { checkExpectedRoots, type ReplayInput, type ReplayState } from './audit.verify-state.ts';
import { hashesEqual, type MerkleNode } from './merkle/index.ts';

// The row-by-row path of verification: every event's stored leaf hash and MAC compared one by
// one. It runs where the bulk path cannot vouch for a page (a gap, a changed field, events past
// the last checkpoint whose MACs must be checked), and it is what names the bad event; reading
// stored nodes back one by one is what names a bad node.

const MAC_DETAIL = 'the event MAC does not verify: the row was not written by Vigil (inserted or rewritten)';
const macValid = (key: KeyObject, leafHash: Buffer, mac: Buffer | null) =>
  mac !== null && hashesEqual(auditEventMac(key, leafHash), mac);

/**
 * Recomputes an event's leaf hash from its fields and reports it when the stored one differs;
 * returns the recomputed hash and whether it matched.
 */
export function checkLeafHash(
  row: AuditEventsTable,
  input: ReplayInput,
): { leafHash: Buffer; same: boolean } {
  // encodeAuditEvent reads only the encoded fields, so the row is passed as it is (no copy).
  const leafHash = auditLeafHash(encodeAuditEvent(row));
  const same = hashesEqual(leafHash, row.leaf_hash);
  if (!same) {
    input.problems.add({
      kind: 'event_fields_changed',
      seq: Number(row.seq),
      eventId: row.id,
      detail: 'the stored fields no longer hash to the event leaf hash (a field was changed)',
    });
  }
  return { leafHash, same };
}

function checkEvent(row: AuditEventsTable, input: ReplayInput, checkMac: boolean): Buffer {
  const { leafHash, same } = checkLeafHash(row, input);
  if (same && checkMac && !macValid(input.macKey, leafHash, row.mac)) {
    input.problems.add({
      kind: 'event_mac_invalid',
      seq: Number(row.seq),
      eventId: row.id,
      detail: MAC_DETAIL,
    });
  }
  return leafHash;
}

/** Checks one page of whole events in seq order; returns the tree nodes it completed. */
export function replayRows(
  rows: readonly AuditEventsTable[],
  input: ReplayInput,
  state: ReplayState,
): MerkleNode[] {
  const nodes: MerkleNode[] = [];
  const sink = input.compareStoredNodes
    ? (level: number, index: number, hash: Buffer) => {
        if (level >= LOWEST_STORED_LEVEL) nodes.push({ level, index, hash }); // lower ones are not stored
      }
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

/** Reads back the stored copy of recomputed nodes and names each one that differs or is missing. */
export async function compareStoredNodes(
  db: DbOrTransaction,
  input: ReplayInput,
  nodes: readonly MerkleNode[],
): Promise<void> {
  const byLevel = new Map<number, MerkleNode[]>();
  for (const node of nodes) {
    // Only perfect subtrees inside the stored tree, at the stored levels, exist in the store.
    if (!isStoredNode(node.level, node.index, input.storedTreeSize)) continue;
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

/** Re-reads [from, to) checking every MAC: names the events behind a root that did not match. */
export async function pinpointForgeries(
  db: DbOrTransaction,
  input: ReplayInput,
  from: number,
  to: number,
): Promise<void> {
  for (let seq = from; seq < to; seq += input.pageSize) {
    const rows = await selectEventsInSeqRange(db, input.tenantId, seq, Math.min(seq + input.pageSize, to));
    for (const row of rows) {
      const leafHash = auditLeafHash(encodeAuditEvent(row));
      if (!hashesEqual(leafHash, row.leaf_hash)) {
        // Usually reported on the first pass already; not when the bulk path took the page
        // because the stored hash was forged to match the database's own JSON of the fields.
        const seq = Number(row.seq);
        const known = input.problems.items.some((p) => p.kind === 'event_fields_changed' && p.seq === seq);
        if (!known) checkLeafHash(row, input);
      } else if (!macValid(input.macKey, leafHash, row.mac)) {
        input.problems.add({
          kind: 'event_mac_invalid',
          seq: Number(row.seq),
          eventId: row.id,
          detail: MAC_DETAIL,
        });
      }
    }
  }
}
