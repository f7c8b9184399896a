import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { AccessElevationsTable, ElevationStatus } from './access.tables.ts';

export async function insertElevation(db: DbOrTransaction, row: Insertable<AccessElevationsTable>) {
  await db.insertInto('access_elevations').values(row).execute();
}

export function findElevation(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('access_elevations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Moves an elevation from one status to the next; false when another writer moved it first. */
export async function transitionElevation(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  from: ElevationStatus,
  changes: Updateable<AccessElevationsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('access_elevations')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listActiveElevations(db: DbOrTransaction, tenantId: string, now: number) {
  return db
    .selectFrom('access_elevations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'approved')
    .where('expires_at', '>', now)
    .execute();
}

export function listElevations(
  db: DbOrTransaction,
  tenantId: string,
  filter: { userId?: string; status?: ElevationStatus; limit: number; before?: string },
) {
  let query = db.selectFrom('access_elevations').selectAll().where('tenant_id', '=', tenantId);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Approved elevations past their end, and pending requests nobody decided in time. */
export function listElevationsToClose(
  db: DbOrTransaction,
  tenantId: string,
  now: number,
  pendingCutoff: number,
  limit: number,
) {
  return db
    .selectFrom('access_elevations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'approved'), eb('expires_at', '<=', now)]),
        eb.and([eb('status', '=', 'pending'), eb('requested_at', '<=', pendingCutoff)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}
