import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import {
  findCheckpointBySize,
  findLatestCheckpoint,
  insertCheckpoint,
  listCheckpoints,
} from './audit.checkpoint.queries.ts';
import { publishCheckpointFile } from './audit.publish.ts';
import type { AuditSigningKeys } from './audit.signing-keys.ts';
import type { AuditCheckpointsTable } from './audit.tables.ts';
import { findTreeHead } from './audit.tree.queries.ts';
import { type AdvanceOptions, auditTreeLockKey, type TreeAdvance } from './audit.tree.ts';
import type { DbOrTransaction } from './audit.types.ts';
import { signCheckpoint } from './checkpoint/index.ts';
import { EMPTY_ROOT } from './merkle/index.ts';

/** A signed tree head as the API and CLI show it. */
export interface AuditCheckpoint {
  id: string;
  tenantId: string;
  treeSize: number;
  /** Base64 root hash. */
  rootHash: string;
  origin: string;
  /** The signed note (c2sp.org/tlog-checkpoint), exactly as published. */
  note: string;
  keyId: string;
  createdAt: number;
  trigger: 'schedule' | 'demand';
}

export interface CheckpointServiceDeps {
  db: Db;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  dataDir: string;
  signingKeys: AuditSigningKeys;
  advance(tenantId: string, options?: AdvanceOptions): Promise<TreeAdvance>;
  /** Log identity written in each checkpoint. */
  originFor(tenantId: string): string;
}

export function toAuditCheckpoint(row: AuditCheckpointsTable): AuditCheckpoint {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    treeSize: Number(row.tree_size),
    rootHash: Buffer.from(row.root_hash).toString('base64'),
    origin: row.origin,
    note: row.note,
    keyId: row.key_id,
    createdAt: Number(row.created_at),
    trigger: row.trigger,
  };
}

async function insertSignedHead(
  deps: CheckpointServiceDeps,
  trx: DbOrTransaction,
  tenantId: string,
  trigger: AuditCheckpoint['trigger'],
  signer: Awaited<ReturnType<AuditSigningKeys['signer']>>,
): Promise<{ row: AuditCheckpointsTable; created: boolean }> {
  const head = await findTreeHead(trx, tenantId);
  const treeSize = head ? Number(head.tree_size) : 0;
  const existing = await findCheckpointBySize(trx, tenantId, treeSize);
  if (existing) return { row: existing, created: false };
  const rootHash = head ? Buffer.from(head.root_hash) : Buffer.from(EMPTY_ROOT);
  const origin = deps.originFor(tenantId);
  // Ed25519 signing is local and takes microseconds, so it can happen inside the transaction.
  const note = await signCheckpoint({ origin, size: treeSize, rootHash }, signer.signer);
  const row: AuditCheckpointsTable = {
    id: deps.ids.newId(),
    tenant_id: tenantId,
    tree_size: treeSize,
    root_hash: rootHash,
    origin,
    note,
    key_id: signer.signer.keyId.toString(16).padStart(8, '0'),
    created_at: deps.clock.now(),
    trigger,
  };
  await insertCheckpoint(trx, row);
  return { row, created: true };
}

/** Signed tree heads: created on a schedule and on demand, stored, and published to files. */
export function createCheckpointService(deps: CheckpointServiceDeps) {
  return {
    /**
     * Folds every pending event into the tree, then signs its head unless a checkpoint of that
     * size exists (returned with created = false). Safe to call from several nodes at once.
     */
    async create(
      tenantId: string,
      trigger: AuditCheckpoint['trigger'],
      options: { signal?: AbortSignal } = {},
    ): Promise<{ checkpoint: AuditCheckpoint; created: boolean }> {
      await deps.advance(tenantId, options.signal ? { signal: options.signal } : {});
      // The key is loaded (or created, in its own transaction) before the tree lock is taken.
      const signer = await deps.signingKeys.signer();
      const { row, created } = await deps.dialect.withTransactionLock(
        deps.db,
        auditTreeLockKey(tenantId),
        (trx) => insertSignedHead(deps, trx as DbOrTransaction, tenantId, trigger, signer),
      );
      const checkpoint = toAuditCheckpoint(row);
      if (created) {
        try {
          publishCheckpointFile(deps.dataDir, checkpoint, await deps.signingKeys.verifierKeys());
        } catch (error) {
          // The checkpoint is committed and still published through sinks; a full disk must not hide it.
          deps.logger.error(
            { tenantId, treeSize: checkpoint.treeSize, err: error },
            'checkpoint file not written',
          );
        }
      }
      return { checkpoint, created };
    },
    async latest(tenantId: string): Promise<AuditCheckpoint | undefined> {
      const row = await findLatestCheckpoint(deps.db, tenantId);
      return row ? toAuditCheckpoint(row) : undefined;
    },
    async bySize(tenantId: string, treeSize: number): Promise<AuditCheckpoint | undefined> {
      const row = await findCheckpointBySize(deps.db, tenantId, treeSize);
      return row ? toAuditCheckpoint(row) : undefined;
    },
    async list(
      tenantId: string,
      options: { beforeSize?: number; limit: number },
    ): Promise<AuditCheckpoint[]> {
      return (await listCheckpoints(deps.db, tenantId, options)).map(toAuditCheckpoint);
    },
  };
}

export type CheckpointService = ReturnType<typeof createCheckpointService>;
