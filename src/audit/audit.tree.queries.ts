import type { AuditEventsTable, AuditTreeHeadsTable, AuditTreeNodesTable } from './audit.tables.ts';
import type { DbOrTransaction } from './audit.types.ts';
import type { NodeKey } from './merkle/index.ts';

// PostgreSQL allows 65,535 bind parameters per statement and SQLite 32,766: 4 per node row.
const INSERT_CHUNK = 2000;

export async function findTreeHead(
  db: DbOrTransaction,
  tenantId: string,
): Promise<AuditTreeHeadsTable | undefined> {
  return db.selectFrom('audit_tree_heads').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

/** Writes the head; call only under the tenant's tree lock. */
export async function saveTreeHead(db: DbOrTransaction, head: AuditTreeHeadsTable): Promise<void> {
  await db
    .insertInto('audit_tree_heads')
    .values(head)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        tree_size: head.tree_size,
        root_hash: head.root_hash,
        updated_at: head.updated_at,
      }),
    )
    .execute();
}

export async function selectTreeNodes(
  db: DbOrTransaction,
  tenantId: string,
  keys: readonly NodeKey[],
): Promise<Pick<AuditTreeNodesTable, 'level' | 'idx' | 'hash'>[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('audit_tree_nodes')
    .select(['level', 'idx', 'hash'])
    .where('tenant_id', '=', tenantId)
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('level', 'idx'),
        'in',
        keys.map((k) => tuple(k.level, k.index)),
      ),
    )
    .execute();
}

/** The events' leaf hashes (level 0 of the tree) at the given seqs; absent seqs are simply not returned. */
export async function selectLeafHashes(
  db: DbOrTransaction,
  tenantId: string,
  seqs: readonly number[],
): Promise<Pick<AuditEventsTable, 'seq' | 'leaf_hash'>[]> {
  if (seqs.length === 0) return [];
  return db
    .selectFrom('audit_events')
    .select(['seq', 'leaf_hash'])
    .where('tenant_id', '=', tenantId)
    .where('seq', 'in', seqs)
    .execute();
}

/** Nodes of one level with idx in [fromIdx, toIdx], in order (verification compares them). */
export async function selectTreeNodeRange(
  db: DbOrTransaction,
  tenantId: string,
  level: number,
  fromIdx: number,
  toIdx: number,
): Promise<Pick<AuditTreeNodesTable, 'idx' | 'hash'>[]> {
  return db
    .selectFrom('audit_tree_nodes')
    .select(['idx', 'hash'])
    .where('tenant_id', '=', tenantId)
    .where('level', '=', level)
    .where('idx', '>=', fromIdx)
    .where('idx', '<=', toIdx)
    .orderBy('idx')
    .execute();
}

/** Inserts new nodes; a duplicate (tenant, level, idx) fails the statement, so a fork cannot be written. */
export async function insertTreeNodes(
  db: DbOrTransaction,
  tenantId: string,
  nodes: readonly { level: number; index: number; hash: Buffer }[],
): Promise<void> {
  for (let start = 0; start < nodes.length; start += INSERT_CHUNK) {
    const chunk = nodes.slice(start, start + INSERT_CHUNK);
    await db
      .insertInto('audit_tree_nodes')
      .values(chunk.map((n) => ({ tenant_id: tenantId, level: n.level, idx: n.index, hash: n.hash })))
      .execute();
  }
}
