import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { UserRolesTable, UserStatus, UsersTable } from './identity.tables.ts';

export async function insertUser(db: DbOrTransaction, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export function findUserById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findUserByEmail(db: DbOrTransaction, tenantId: string, emailNormalized: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('email_normalized', '=', emailNormalized)
    .executeTakeFirst();
}

export function findUserByExternalId(db: DbOrTransaction, tenantId: string, externalId: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export function listUsers(
  db: DbOrTransaction,
  tenantId: string,
  options: { status?: UserStatus; limit: number; afterId?: string },
) {
  let query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.afterId) query = query.where('id', '>', options.afterId);
  return query.orderBy('id').limit(options.limit).execute();
}

export async function countUsers(db: DbOrTransaction, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function updateUser(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  changes: Updateable<UsersTable>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Adds one failed attempt atomically and returns the new count. */
export async function incrementFailedAttempts(db: DbOrTransaction, tenantId: string, id: string) {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  const row = await db
    .selectFrom('users')
    .select('failed_attempts')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(row?.failed_attempts ?? 0);
}

/** Active users whose last sign-in (or creation, if never) is older than the cutoff. */
export function listDormantUsers(db: DbOrTransaction, tenantId: string, cutoff: number, limit: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'last_login_at', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('last_login_at', '<', cutoff),
        eb.and([eb('last_login_at', 'is', null), eb('created_at', '<', cutoff)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function listRoles(db: DbOrTransaction, tenantId: string, userId: string) {
  return db
    .selectFrom('user_roles')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute();
}

export async function insertRole(db: DbOrTransaction, row: UserRolesTable): Promise<boolean> {
  const result = await db
    .insertInto('user_roles')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'role']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteRole(db: DbOrTransaction, tenantId: string, userId: string, role: string) {
  const result = await db
    .deleteFrom('user_roles')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertPasswordHistory(
  db: DbOrTransaction,
  row: { tenant_id: string; id: string; user_id: string; password_hash: string; created_at: number },
): Promise<void> {
  await db.insertInto('password_history').values(row).execute();
}

export function listPasswordHistory(db: DbOrTransaction, tenantId: string, userId: string, limit: number) {
  return db
    .selectFrom('password_history')
    .select(['id', 'password_hash', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
