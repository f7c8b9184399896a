import type { Insertable, Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type {
  RecoveryCodesTable,
  TotpCredentialsTable,
  WebauthnCredentialsTable,
} from './identity.tables.ts';

export function findTotp(db: DbOrTransaction, tenantId: string, userId: string) {
  return db
    .selectFrom('totp_credentials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Replaces a pending (unconfirmed) enrollment or creates one. */
export async function upsertPendingTotp(db: DbOrTransaction, row: TotpCredentialsTable): Promise<void> {
  await deleteTotp(db, row.tenant_id, row.user_id);
  await db.insertInto('totp_credentials').values(row).execute();
}

export async function deleteTotp(db: DbOrTransaction, tenantId: string, userId: string): Promise<number> {
  const result = await db
    .deleteFrom('totp_credentials')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Records the step just used, only if it is newer than the last one: the compare-and-set makes a
 * replay lose even when two requests race with the same code.
 */
export async function claimTotpStep(
  db: DbOrTransaction,
  tenantId: string,
  userId: string,
  step: number,
  changes: Updateable<TotpCredentialsTable> = {},
): Promise<boolean> {
  const result = await db
    .updateTable('totp_credentials')
    .set({ ...changes, last_used_step: step })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listPasskeys(db: DbOrTransaction, tenantId: string, userId: string) {
  return db
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function insertPasskey(db: DbOrTransaction, row: Insertable<WebauthnCredentialsTable>) {
  await db.insertInto('webauthn_credentials').values(row).execute();
}

export async function updatePasskey(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  changes: Updateable<WebauthnCredentialsTable>,
): Promise<void> {
  await db
    .updateTable('webauthn_credentials')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deletePasskey(db: DbOrTransaction, tenantId: string, userId: string, id: string) {
  const result = await db
    .deleteFrom('webauthn_credentials')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteAllPasskeys(db: DbOrTransaction, tenantId: string, userId: string) {
  const result = await db
    .deleteFrom('webauthn_credentials')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function replaceRecoveryCodes(
  db: DbOrTransaction,
  tenantId: string,
  userId: string,
  rows: RecoveryCodesTable[],
): Promise<void> {
  await db
    .deleteFrom('recovery_codes')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  if (rows.length > 0) await db.insertInto('recovery_codes').values(rows).execute();
}

export function findRecoveryCode(db: DbOrTransaction, tenantId: string, userId: string, codeHash: string) {
  return db
    .selectFrom('recovery_codes')
    .select(['id', 'used_at'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Marks a code used if it was not; false when someone used it first. */
export async function markRecoveryCodeUsed(db: DbOrTransaction, tenantId: string, id: string, now: number) {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: DbOrTransaction, tenantId: string, userId: string) {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
