import type { DbOrTransaction } from '../audit/index.ts';
import type { DsarCasesTable } from './retention.tables.ts';

export async function insertCase(db: DbOrTransaction, row: DsarCasesTable): Promise<void> {
  await db.insertInto('dsar_cases').values(row).execute();
}

export function findCase(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('dsar_cases')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listCases(
  db: DbOrTransaction,
  tenantId: string,
  f: { statuses?: readonly string[]; beforeId?: string; limit: number },
) {
  let query = db.selectFrom('dsar_cases').selectAll().where('tenant_id', '=', tenantId);
  if (f.statuses && f.statuses.length > 0) query = query.where('status', 'in', f.statuses);
  if (f.beforeId) query = query.where('id', '<', f.beforeId);
  return query.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function updateCase(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  fields: Partial<Omit<DsarCasesTable, 'tenant_id' | 'id'>>,
): Promise<void> {
  await db
    .updateTable('dsar_cases')
    .set(fields)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Subjects of open access requests: PIPEDA s. 8(8) keeps their data until the request is closed. */
export async function subjectsOfOpenAccessCases(db: DbOrTransaction, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('dsar_cases')
    .select('subject_ids')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'access')
    .where('status', '=', 'open')
    .execute();
  return new Set(rows.flatMap((r) => JSON.parse(r.subject_ids) as string[]));
}
