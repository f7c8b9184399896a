import type { Db } from '../storage/index.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import {
  canonicalEventJsonQuery,
  findNextEventSeq,
  selectCanonicalEventJson,
  selectEventsInSeqRange,
} from './audit.verify.queries.ts';
import {
  checkPageInBulk,
  leavesOfDigests,
  leavesOfTexts,
  NodeComparisons,
  type PageLeaves,
  rangesOfNodes,
  storedLeavesMatch,
} from './audit.verify-bulk.ts';
import { pinpointForgeries, replayRows } from './audit.verify-rows.ts';
import {
  type ExpectedRoot,
  newReplayState,
  type ReplayInput,
  type ReplayState,
} from './audit.verify-state.ts';
import { LEAF_PREFIX } from './merkle/index.ts';

export type { ExpectedRoot, ReplayInput } from './audit.verify-state.ts';

export interface ReplayResult {
  eventsChecked: number;
  /** Next expected seq after the last event read. */
  logSize: number;
  /** False once a gap makes the recomputed tree meaningless past it. */
  treeIntact: boolean;
  /** Expected roots the recomputed tree matched, in size order. */
  matched: ExpectedRoot[];
}

/** A page of the log: [from, to) as leaf hashes of the database's canonical JSON, or as whole rows. */
type Page =
  | { from: number; to: number; bulk: true; leaves: PageLeaves; storedMatch: Promise<boolean> }
  | { from: number; to: number; bulk: false; rows: AuditEventsTable[] };

const pageLength = (page: Page) => (page.bulk ? page.leaves.hashes.length : page.rows.length);

const ignore = () => undefined;

/**
 * Pages never straddle macFrom: below it every event is under a signed checkpoint and the page
 * is read in bulk; from it on, events are read whole so their MACs can be checked.
 */
const pageEnd = (input: ReplayInput, from: number) =>
  from < input.macFrom ? Math.min(from + input.pageSize, input.macFrom) : from + input.pageSize;

/**
 * A sealed page's leaf hashes, from the canonical JSON the database writes: read and hashed on the
 * storage's digest thread once it is up, else on this one. Undefined sends the page to the row
 * path: a value that is not text, or SQLite's json_array refusing a BLOB stored in a text column
 * (tampering), or a digest thread that stopped.
 */
async function readPageLeaves(db: Db, input: ReplayInput, from: number, to: number) {
  const { bulk } = input.dialect;
  try {
    if (bulk.rowDigester?.ready()) {
      const query = canonicalEventJsonQuery(db, bulk, input.tenantId, from, to);
      const digests = await bulk.rowDigester.digestRows(query, LEAF_PREFIX);
      return digests && leavesOfDigests(digests);
    }
    return leavesOfTexts(await selectCanonicalEventJson(db, bulk, input.tenantId, from, to));
  } catch {
    return undefined;
  }
}

async function readPage(db: Db, input: ReplayInput, from: number): Promise<Page> {
  const to = pageEnd(input, from);
  if (to <= input.macFrom) {
    const leaves = await readPageLeaves(db, input, from, to);
    if (leaves) {
      const storedMatch = storedLeavesMatch(db, input, from, leaves);
      storedMatch.catch(ignore); // awaited when the page is checked, unless it takes the row path
      return { from, to, bulk: true, leaves, storedMatch };
    }
  }
  return { from, to, bulk: false, rows: await selectEventsInSeqRange(db, input.tenantId, from, to) };
}

/**
 * Checks one page: in bulk when it can, else row by row. What is returned is the page's
 * comparison with the stored copies, which may run on while the next page is checked.
 */
async function checkPage(
  db: Db,
  input: ReplayInput,
  state: ReplayState,
  page: Page,
  nodeComparisons: NodeComparisons,
): Promise<{ compared: Promise<void> }> {
  const inBulk = page.bulk ? await checkPageInBulk(input, state, page, nodeComparisons) : undefined;
  if (inBulk) return inBulk;
  const rows = page.bulk ? await selectEventsInSeqRange(db, input.tenantId, page.from, page.to) : page.rows;
  const nodes = replayRows(rows, input, state);
  const compare = input.compareStoredNodes && nodes.length > 0;
  return { compared: compare ? nodeComparisons.add(rangesOfNodes(input, nodes)) : Promise.resolve() };
}

/**
 * Re-reads the log from the frontier's size in seq order: recomputes every leaf hash from the
 * fields, checks MACs past the last checkpoint, rebuilds the tree comparing the stored nodes,
 * and checks the root at every expected size. Gaps are reported where they start. The next
 * page is read while the current one is hashed.
 */
export async function replayEvents(db: Db, input: ReplayInput): Promise<ReplayResult> {
  const state = newReplayState(input.frontier.size);
  // Pages read ahead: on PostgreSQL the server prepares them while this thread hashes; with a
  // digest thread (SQLite) one more, so that it and this thread each have one to read.
  const readAheadPages = input.dialect.bulk.rowDigester ? 3 : 2;
  const ahead: Promise<Page>[] = [];
  let nextFrom = state.expectedSeq;
  const readAhead = () => {
    while (ahead.length < readAheadPages) {
      const page = readPage(db, input, nextFrom);
      page.catch(ignore); // awaited in turn; this only keeps an early failure from being "unhandled"
      ahead.push(page);
      nextFrom = pageEnd(input, nextFrom);
    }
  };
  readAhead();
  let comparing: Promise<void> = Promise.resolve();
  const nodeComparisons = new NodeComparisons(db, input);
  for (;;) {
    const page = await ahead.shift()!;
    if (pageLength(page) === 0) {
      // The end of the log, or a gap of a page or more: jump to the next stored event.
      await Promise.allSettled(ahead.splice(0));
      const seq = await findNextEventSeq(db, input.tenantId, page.to);
      if (seq === undefined || input.signal?.aborted) break;
      nextFrom = seq;
      readAhead();
      continue;
    }
    readAhead();
    const { compared } = await checkPage(db, input, state, page, nodeComparisons);
    compared.catch(ignore); // awaited after the next page, or below
    await comparing;
    comparing = compared;
    if (input.signal?.aborted) break;
  }
  await Promise.allSettled(ahead);
  await comparing;
  await nodeComparisons.flush();
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
