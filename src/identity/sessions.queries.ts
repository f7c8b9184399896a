import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { SessionsTable } from './identity.tables.ts';

export async function insertSession(db: DbOrTransaction, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The live session behind a token hash, with the fields of its user that authentication needs. */
export function findSessionByTokenHash(db: DbOrTransaction, tenantId: string, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', (join) =>
      join.onRef('users.id', '=', 'sessions.user_id').onRef('users.tenant_id', '=', 'sessions.tenant_id'),
    )
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.stage',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.mfa_verified_at',
      'sessions.revoked_at',
      'users.status as user_status',
      'users.display_name',
    ])
    .where('sessions.tenant_id', '=', tenantId)
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findSessionById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listLiveSessions(db: DbOrTransaction, tenantId: string, userId: string, now: number) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function updateSession(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  changes: Updateable<SessionsTable>,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Moves last_seen_at forward only if it is older than `staleBefore`, coalescing writes. */
export async function touchSession(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  now: number,
  staleBefore: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('last_seen_at', '<', staleBefore)
    .execute();
}

/** Revokes every live session of a user (optionally but one); returns how many. */
export async function revokeUserSessions(
  db: DbOrTransaction,
  tenantId: string,
  userId: string,
  now: number,
  reason: string,
  exceptId?: string,
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Live SSO sessions whose IdP check is older than the cutoff, for the re-check job. */
export function listSsoSessionsToCheck(
  db: DbOrTransaction,
  tenantId: string,
  cutoff: number,
  now: number,
  limit: number,
) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'sso_provider_id', 'sso_refresh_enc'])
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('sso_provider_id', 'is not', null)
    .where('sso_checked_at', '<', cutoff)
    .orderBy('sso_checked_at')
    .limit(limit)
    .execute();
}

/** Moves a session out of a restricted stage (only from the stage named). */
export async function promoteSessionStage(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  from: SessionsTable['stage'],
  to: SessionsTable['stage'],
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ stage: to })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('stage', '=', from)
    .execute();
}
