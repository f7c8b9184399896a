import type { Clock } from '../shared/clock.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import { auditEventMac, auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
import { auditError } from './audit.errors.ts';
import { createSqlNodeStore } from './audit.node-store.ts';
import { selectEventsFromSeq } from './audit.queries.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import { findTreeHead, saveTreeHead } from './audit.tree.queries.ts';
import type { DbOrTransaction } from './audit.types.ts';
import { appendLeaves, EMPTY_ROOT, hashesEqual } from './merkle/index.ts';

export interface AuditTreeDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
  clock: Clock;
  eventMacKey(tenantId: string): Buffer;
}

export interface TreeAdvance {
  treeSize: number;
  rootHash: Buffer;
  /** Events folded by this call. */
  folded: number;
  batches: number;
}

export interface AdvanceOptions {
  batchSize?: number;
  /** Stop after this many batches even if events remain (a job's bounded unit of work). */
  maxBatches?: number;
  signal?: AbortSignal;
}

/** Lock serialising the writers of one tenant's tree across nodes (appends to the log do not wait on it). */
export const auditTreeLockKey = (tenantId: string) => `audit-tree:${tenantId}`;

const DEFAULT_BATCH = 1000;

/**
 * Why a stored event cannot be folded, or undefined when it is sound: its position, its leaf hash
 * recomputed from every field, and Vigil's MAC over that hash.
 */
export function checkStoredEvent(
  row: AuditEventsTable,
  expectedSeq: number,
  macKey: Buffer,
): string | undefined {
  if (Number(row.seq) !== expectedSeq) return `expected seq ${expectedSeq}, found seq ${Number(row.seq)}`;
  const leafHash = auditLeafHash(encodeAuditEvent(row));
  if (!hashesEqual(leafHash, row.leaf_hash)) return 'its fields do not hash to its stored leaf hash';
  if (!row.mac || !hashesEqual(auditEventMac(macKey, leafHash), row.mac)) return 'its MAC does not verify';
  return undefined;
}

async function foldBatch(
  deps: AuditTreeDeps,
  trx: DbOrTransaction,
  tenantId: string,
  batchSize: number,
): Promise<{ treeSize: number; rootHash: Buffer; folded: number }> {
  const head = await findTreeHead(trx, tenantId);
  const size = head ? Number(head.tree_size) : 0;
  const rows = await selectEventsFromSeq(trx, tenantId, size, batchSize);
  if (rows.length === 0) {
    return {
      treeSize: size,
      rootHash: head ? Buffer.from(head.root_hash) : Buffer.from(EMPTY_ROOT),
      folded: 0,
    };
  }
  const macKey = deps.eventMacKey(tenantId);
  rows.forEach((row, i) => {
    // Folding a rewritten event would have the next checkpoint sign the forgery: refuse instead.
    const problem = checkStoredEvent(row, size + i, macKey);
    if (problem)
      throw auditError('AUDIT_LOG_BROKEN', `audit event at seq ${size + i} (id ${row.id}): ${problem}`);
  });
  const store = createSqlNodeStore(trx, tenantId);
  const appended = await appendLeaves(
    store,
    size,
    rows.map((r) => Buffer.from(r.leaf_hash)),
  );
  await store.putNodes(appended.nodes);
  await saveTreeHead(trx, {
    tenant_id: tenantId,
    tree_size: appended.treeSize,
    root_hash: appended.rootHash,
    updated_at: deps.clock.now(),
  });
  return { treeSize: appended.treeSize, rootHash: appended.rootHash, folded: rows.length };
}

/**
 * Folds the tenant's new events, in seq order, into its stored Merkle tree: one short transaction
 * per batch under the tenant's tree lock, so any number of nodes may call it at once and the tree
 * still grows along the one order the log defines.
 */
export async function advanceAuditTree(
  deps: AuditTreeDeps,
  tenantId: string,
  options: AdvanceOptions = {},
): Promise<TreeAdvance> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let folded = 0;
  let batches = 0;
  for (;;) {
    const step = await deps.dialect.withTransactionLock(deps.db, auditTreeLockKey(tenantId), (trx) =>
      foldBatch(deps, trx as DbOrTransaction, tenantId, batchSize),
    );
    folded += step.folded;
    if (step.folded > 0) batches++;
    const done = step.folded < batchSize || batches >= maxBatches || options.signal?.aborted === true;
    if (done) return { treeSize: step.treeSize, rootHash: step.rootHash, folded, batches };
  }
}
