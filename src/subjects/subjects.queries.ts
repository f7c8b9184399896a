import type { DbOrTransaction } from '../audit/index.ts';
import type { SubjectsTable } from './subjects.tables.ts';

export interface SubjectKeys {
  phone_bidx?: string | null;
  email_bidx?: string | null;
  customer_ref_bidx?: string | null;
}

/**
 * Subjects matching any of the given blind indexes (a phone and an email may point at two). One
 * indexed lookup per identifier: an OR across columns would make SQLite scan the tenant's subjects.
 */
export async function findSubjectsByKeys(db: DbOrTransaction, tenantId: string, keys: SubjectKeys) {
  const lookups = [
    ['phone_bidx', keys.phone_bidx],
    ['email_bidx', keys.email_bidx],
    ['customer_ref_bidx', keys.customer_ref_bidx],
  ] as const;
  const found = new Map<string, SubjectsTable>();
  for (const [column, value] of lookups) {
    if (!value) continue;
    const rows = await db
      .selectFrom('subjects')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(column, '=', value)
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return [...found.values()].sort(
    (a, b) => Number(a.created_at) - Number(b.created_at) || a.id.localeCompare(b.id),
  );
}

export type SubjectKeyColumn = 'phone_bidx' | 'email_bidx' | 'customer_ref_bidx';

/** Subjects whose blind index in one column is any of `values` (an ingest batch's customers). */
export function findSubjectsByKeyValues(
  db: DbOrTransaction,
  tenantId: string,
  column: SubjectKeyColumn,
  values: readonly string[],
) {
  return db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(column, 'in', values)
    .execute();
}

export async function insertSubjects(db: DbOrTransaction, rows: readonly SubjectsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('subjects').values(rows).execute();
}

/** Records that several subjects were seen (their identifiers unchanged). */
export async function touchSubjects(
  db: DbOrTransaction,
  tenantId: string,
  ids: readonly string[],
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('subjects')
    .set({ last_seen_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

export function findSubjectById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertSubject(db: DbOrTransaction, row: SubjectsTable): Promise<void> {
  await db.insertInto('subjects').values(row).execute();
}

/** Fills in identifiers the subject did not have yet and records that they were seen. */
export async function touchSubject(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  keys: SubjectKeys,
  now: number,
): Promise<void> {
  await db
    .updateTable('subjects')
    .set((eb) => ({
      last_seen_at: now,
      phone_bidx: eb.fn.coalesce('phone_bidx', eb.val(keys.phone_bidx ?? null)),
      email_bidx: eb.fn.coalesce('email_bidx', eb.val(keys.email_bidx ?? null)),
      customer_ref_bidx: eb.fn.coalesce('customer_ref_bidx', eb.val(keys.customer_ref_bidx ?? null)),
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function markSubjectErased(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('subjects')
    .set({ erased_at: now, phone_bidx: null, email_bidx: null, customer_ref_bidx: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Live subjects not seen since `before`, oldest first after a (last_seen_at, id) keyset position. */
export function findSubjectsNotSeenSince(
  db: DbOrTransaction,
  tenantId: string,
  f: { before: number; after?: { lastSeenAt: number; id: string }; limit: number },
) {
  let query = db
    .selectFrom('subjects')
    .select(['id', 'region', 'created_at', 'last_seen_at', 'erased_at'])
    .where('tenant_id', '=', tenantId)
    .where('erased_at', 'is', null)
    .where('last_seen_at', '<', f.before);
  const after = f.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('last_seen_at', '>', after.lastSeenAt),
        eb.and([eb('last_seen_at', '=', after.lastSeenAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('last_seen_at').orderBy('id').limit(f.limit).execute();
}

export function findSubjectsByIds(db: DbOrTransaction, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('subjects')
    .select(['id', 'region', 'created_at', 'last_seen_at', 'erased_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

export async function updateSubjectRegion(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  region: string | null,
): Promise<number> {
  const result = await db
    .updateTable('subjects')
    .set({ region })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks several subjects erased at once (retention purges erase customers in batches). */
export async function markSubjectsErased(
  db: DbOrTransaction,
  tenantId: string,
  ids: readonly string[],
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('subjects')
    .set({ erased_at: now, phone_bidx: null, email_bidx: null, customer_ref_bidx: null })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .where('erased_at', 'is', null)
    .execute();
}
