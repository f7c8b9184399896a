import type { DbOrTransaction } from '../audit/index.ts';
import type {
  RetentionAssignmentsTable,
  RetentionHoldItemsTable,
  RetentionHoldsTable,
  RetentionPoliciesTable,
} from './retention.tables.ts';

// --- jurisdiction assignment and policies ----------------------------------------------------

export function listAssignments(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('retention_assignments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('segment')
    .execute();
}

/** Replaces the tenant's whole assignment (tenant-wide row and segments) in the caller's transaction. */
export async function replaceAssignments(
  db: DbOrTransaction,
  tenantId: string,
  rows: RetentionAssignmentsTable[],
): Promise<void> {
  await db.deleteFrom('retention_assignments').where('tenant_id', '=', tenantId).execute();
  if (rows.length > 0) await db.insertInto('retention_assignments').values(rows).execute();
}

export function listPolicies(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('retention_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('category')
    .orderBy('jurisdiction')
    .execute();
}

export function findPolicyByKey(
  db: DbOrTransaction,
  tenantId: string,
  category: string,
  jurisdiction: string,
) {
  return db
    .selectFrom('retention_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('category', '=', category)
    .where('jurisdiction', '=', jurisdiction)
    .executeTakeFirst();
}

export function findPolicy(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('retention_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertPolicy(db: DbOrTransaction, row: RetentionPoliciesTable): Promise<void> {
  await db.insertInto('retention_policies').values(row).execute();
}

export async function updatePolicy(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  fields: Pick<RetentionPoliciesTable, 'max_age_days' | 'action' | 'updated_at' | 'updated_by'>,
): Promise<void> {
  await db
    .updateTable('retention_policies')
    .set(fields)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deletePolicy(db: DbOrTransaction, tenantId: string, id: string): Promise<number> {
  const result = await db
    .deleteFrom('retention_policies')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- legal holds -----------------------------------------------------------------------------

export async function insertHold(
  db: DbOrTransaction,
  row: RetentionHoldsTable,
  items: RetentionHoldItemsTable[],
): Promise<void> {
  await db.insertInto('retention_holds').values(row).execute();
  // Chunked: a hold on thousands of interactions stays under every driver's parameter limit.
  for (let i = 0; i < items.length; i += 500)
    await db
      .insertInto('retention_hold_items')
      .values(items.slice(i, i + 500))
      .execute();
}

export function findHold(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('retention_holds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listHolds(db: DbOrTransaction, tenantId: string, options: { activeAt?: number } = {}) {
  let query = db.selectFrom('retention_holds').selectAll().where('tenant_id', '=', tenantId);
  if (options.activeAt !== undefined) {
    const at = options.activeAt;
    query = query
      .where('released_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  }
  return query.orderBy('created_at', 'desc').execute();
}

export async function countHoldItems(db: DbOrTransaction, tenantId: string, holdIds: readonly string[]) {
  if (holdIds.length === 0) return [];
  return db
    .selectFrom('retention_hold_items')
    .select(['hold_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('hold_id', 'in', holdIds)
    .groupBy('hold_id')
    .execute();
}

/** Which of these refs are covered by an active hold of the given ids (refs of one kind). */
export function findHeldRefs(
  db: DbOrTransaction,
  tenantId: string,
  holdIds: readonly string[],
  refKind: string,
  refs: readonly string[],
) {
  if (holdIds.length === 0 || refs.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('retention_hold_items')
    .select(['hold_id', 'ref'])
    .where('tenant_id', '=', tenantId)
    .where('ref_kind', '=', refKind)
    .where('ref', 'in', refs)
    .where('hold_id', 'in', holdIds)
    .execute();
}

export async function releaseHold(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  fields: { releasedAt: number; releasedBy: string; reason: string },
): Promise<number> {
  const result = await db
    .updateTable('retention_holds')
    .set({ released_at: fields.releasedAt, released_by: fields.releasedBy, release_reason: fields.reason })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
