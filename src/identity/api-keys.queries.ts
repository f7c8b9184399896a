import type { DbOrTransaction } from '../audit/index.ts';
import type { ApiKeysTable } from './identity.tables.ts';

export async function insertApiKey(db: DbOrTransaction, row: ApiKeysTable): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export function findApiKeyBySecretHash(db: DbOrTransaction, tenantId: string, secretHash: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export function findApiKeyById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listApiKeys(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiKey(db: DbOrTransaction, tenantId: string, id: string, now: number) {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves last_used_at forward only when it is older than `staleBefore` (one write a minute at most). */
export async function touchApiKey(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  now: number,
  staleBefore: number,
) {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}
