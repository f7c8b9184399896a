import type { KeyObject } from 'node:crypto';
import type { StorageDialect } from '../storage/index.ts';
import type { ProblemList } from './audit.verify-types.ts';
import { hashesEqual, type MerkleFrontier } from './merkle/index.ts';

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
  /** The tenant's event MAC key, imported once for every HMAC of the run. */
  macKey: KeyObject;
  /**
   * MACs are checked from this seq on. Below it every event is under a signed checkpoint whose
   * root the replay recomputes, which authenticates it already; a range whose root does not match
   * is re-read with MACs to name the forged event.
   */
  macFrom: number;
  /** Events read per page. */
  pageSize: number;
  /** Stored nodes gathered before they are compared in one round trip. */
  nodesPerComparison: number;
  dialect: Pick<StorageDialect, 'bulk' | 'types'>;
  problems: ProblemList;
  signal?: AbortSignal;
}

export interface ReplayState {
  /** Index in `expected` of the next root to reach. */
  next: number;
  matched: ExpectedRoot[];
  /** Size of the last root that matched: ranges after it are suspect when a root fails. */
  lastGood: number;
  suspect: { from: number; to: number }[];
  expectedSeq: number;
  eventsChecked: number;
  /** False once a gap makes the recomputed tree meaningless past it. */
  treeIntact: boolean;
}

export function newReplayState(start: number): ReplayState {
  return {
    next: 0,
    matched: [],
    lastGood: start,
    suspect: [],
    expectedSeq: start,
    eventsChecked: 0,
    treeIntact: true,
  };
}

/** Compares the recomputed root with every expected root of the frontier's current size. */
export function checkExpectedRoots(input: ReplayInput, state: ReplayState): void {
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

/** Whether the next expected root is due at this size (cheap test before checkExpectedRoots). */
export const rootDueAt = (input: ReplayInput, state: ReplayState, size: number): boolean =>
  input.expected[state.next]?.treeSize === size;
