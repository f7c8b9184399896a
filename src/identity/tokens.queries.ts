import type { Insertable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { ActionTokenPurpose, ActionTokensTable } from './identity.tables.ts';

export async function insertActionToken(
  db: DbOrTransaction,
  row: Insertable<ActionTokensTable>,
): Promise<void> {
  await db.insertInto('action_tokens').values(row).execute();
}

export function findActionToken(db: DbOrTransaction, tenantId: string, tokenHash: string) {
  return db
    .selectFrom('action_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Consumes a one-time token: true only for the single caller that flips used_at. */
export async function consumeActionToken(db: DbOrTransaction, tenantId: string, id: string, now: number) {
  const result = await db
    .updateTable('action_tokens')
    .set({ used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function addActionTokenAttempt(db: DbOrTransaction, tenantId: string, id: string) {
  await db
    .updateTable('action_tokens')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Invalidates every unused token of a purpose (for a user, or user-less ones when userId is null). */
export async function expireActionTokens(
  db: DbOrTransaction,
  tenantId: string,
  purpose: ActionTokenPurpose,
  userId: string | null,
  now: number,
): Promise<void> {
  let query = db
    .updateTable('action_tokens')
    .set({ used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null);
  query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  await query.execute();
}

/** Deletes tokens that can no longer be used, so the table does not grow without bound. */
export async function deleteStaleActionTokens(db: DbOrTransaction, tenantId: string, before: number) {
  const result = await db
    .deleteFrom('action_tokens')
    .where('tenant_id', '=', tenantId)
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findThrottle(db: DbOrTransaction, tenantId: string, bucket: string) {
  return db
    .selectFrom('auth_throttle')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('bucket', '=', bucket)
    .executeTakeFirst();
}

/** Counts one failure in the bucket's current window, starting a new window when the old one ended. */
export async function recordThrottleFailure(
  db: DbOrTransaction,
  tenantId: string,
  bucket: string,
  now: number,
  windowMs: number,
): Promise<void> {
  await db
    .insertInto('auth_throttle')
    .values({ tenant_id: tenantId, bucket, window_start: now, failures: 1 })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'bucket']).doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('auth_throttle.window_start', '<', now - windowMs)
          .then(1)
          .else(eb('auth_throttle.failures', '+', 1))
          .end(),
        window_start: eb
          .case()
          .when('auth_throttle.window_start', '<', now - windowMs)
          .then(now)
          .else(eb.ref('auth_throttle.window_start'))
          .end(),
      })),
    )
    .execute();
}
