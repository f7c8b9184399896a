import type { DbOrTransaction } from '../audit/index.ts';
import type { StoredIdentifierKind, SubjectIdentifiersTable, SubjectsTable } from './subjects.tables.ts';

export interface SubjectKeys {
  phone_bidx?: string | null;
  email_bidx?: string | null;
  customer_ref_bidx?: string | null;
}

export type SubjectKeyColumn = 'phone_bidx' | 'email_bidx' | 'customer_ref_bidx';

/** The profile column of each kind of identifier. */
export const KIND_OF_COLUMN: Readonly<Record<SubjectKeyColumn, StoredIdentifierKind>> = {
  phone_bidx: 'phone',
  email_bidx: 'email',
  customer_ref_bidx: 'customer_ref',
};

/** Further identifiers (subject_identifiers) of one kind that are any of `values`. */
export function findIdentifiersByValues(
  db: DbOrTransaction,
  tenantId: string,
  kind: StoredIdentifierKind,
  values: readonly string[],
): Promise<Pick<SubjectIdentifiersTable, 'bidx' | 'subject_id'>[]> {
  if (values.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('subject_identifiers')
    .select(['bidx', 'subject_id'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('bidx', 'in', values)
    .execute();
}

/** Records identifiers subjects were seen with besides their profile's; known ones are skipped. */
export async function insertIdentifiers(
  db: DbOrTransaction,
  rows: readonly SubjectIdentifiersTable[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('subject_identifiers')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Subjects whose blind index in one column, or among their further identifiers of that kind, is
 * any of `values` (a lookup, or an ingest batch's customers), with the further identifiers that
 * matched. One indexed lookup per table: an OR across them would make SQLite scan the subjects.
 */
export async function findSubjectsByKeyValues(
  db: DbOrTransaction,
  tenantId: string,
  column: SubjectKeyColumn,
  values: readonly string[],
): Promise<{ rows: SubjectsTable[]; further: Pick<SubjectIdentifiersTable, 'bidx' | 'subject_id'>[] }> {
  if (values.length === 0) return { rows: [], further: [] };
  const rows = await db
    .selectFrom('subjects')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(column, 'in', values)
    .execute();
  const further = await findIdentifiersByValues(db, tenantId, KIND_OF_COLUMN[column], values);
  const known = new Set(rows.map((r) => r.id));
  const missing = [...new Set(further.map((f) => f.subject_id))].filter((id) => !known.has(id));
  if (missing.length > 0) {
    rows.push(
      ...(await db
        .selectFrom('subjects')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', missing)
        .execute()),
    );
  }
  return { rows, further };
}

/**
 * Subjects matching any of the given blind indexes (a phone and an email may point at two),
 * oldest first.
 */
export async function findSubjectsByKeys(db: DbOrTransaction, tenantId: string, keys: SubjectKeys) {
  return (await findSubjectsAndKnownKeys(db, tenantId, keys)).subjects;
}

/** findSubjectsByKeys, and the columns of `keys` whose value found some subject. */
export async function findSubjectsAndKnownKeys(db: DbOrTransaction, tenantId: string, keys: SubjectKeys) {
  const found = new Map<string, SubjectsTable>();
  const known = new Set<SubjectKeyColumn>();
  for (const column of Object.keys(KIND_OF_COLUMN) as SubjectKeyColumn[]) {
    const value = keys[column];
    if (!value) continue;
    const { rows } = await findSubjectsByKeyValues(db, tenantId, column, [value]);
    if (rows.length > 0) known.add(column);
    for (const row of rows) found.set(row.id, row);
  }
  return { subjects: [...found.values()].sort(olderSubjectFirst), known };
}

/** Oldest first; ties (one millisecond) by id, in code-unit order, the same in every path. */
export const olderSubjectFirst = (a: SubjectsTable, b: SubjectsTable) =>
  Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Forgets every further identifier of the given subjects (erasure). */
export async function deleteIdentifiersOf(
  db: DbOrTransaction,
  tenantId: string,
  subjectIds: readonly string[],
): Promise<void> {
  if (subjectIds.length === 0) return;
  await db
    .deleteFrom('subject_identifiers')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', 'in', subjectIds)
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
  await deleteIdentifiersOf(db, tenantId, [id]);
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
  await deleteIdentifiersOf(db, tenantId, ids);
}
