import type { AuditCheckpointsTable, AuditSigningKeysTable } from './audit.tables.ts';
import type { DbOrTransaction } from './audit.types.ts';

export async function selectSigningKeys(db: DbOrTransaction): Promise<AuditSigningKeysTable[]> {
  return db.selectFrom('audit_signing_keys').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertSigningKey(db: DbOrTransaction, row: AuditSigningKeysTable): Promise<void> {
  await db.insertInto('audit_signing_keys').values(row).execute();
}

export async function insertCheckpoint(db: DbOrTransaction, row: AuditCheckpointsTable): Promise<void> {
  await db.insertInto('audit_checkpoints').values(row).execute();
}

export async function findCheckpointBySize(
  db: DbOrTransaction,
  tenantId: string,
  treeSize: number,
): Promise<AuditCheckpointsTable | undefined> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
}

export async function findLatestCheckpoint(
  db: DbOrTransaction,
  tenantId: string,
): Promise<AuditCheckpointsTable | undefined> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Checkpoints newest first, below `beforeSize` when paging. */
export async function listCheckpoints(
  db: DbOrTransaction,
  tenantId: string,
  options: { beforeSize?: number; limit: number },
): Promise<AuditCheckpointsTable[]> {
  let query = db.selectFrom('audit_checkpoints').selectAll().where('tenant_id', '=', tenantId);
  if (options.beforeSize !== undefined) query = query.where('tree_size', '<', options.beforeSize);
  return query.orderBy('tree_size', 'desc').limit(options.limit).execute();
}

/** Checkpoints with tree_size > afterSize in size order (verification and publication read these). */
export async function selectCheckpointsAfter(
  db: DbOrTransaction,
  tenantId: string,
  afterSize: number,
  limit: number,
): Promise<AuditCheckpointsTable[]> {
  return db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('tree_size', '>', afterSize)
    .orderBy('tree_size')
    .limit(limit)
    .execute();
}
