import type { Db } from '../storage/index.ts';
import type { CryptoKeksTable, KeyDomain } from './crypto.tables.ts';

// Tenants, key-encryption keys and installation secrets. Every function takes the db or the
// caller's transaction first (a Transaction is a Kysely too).

export async function listTenantIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

// --- key-encryption keys ---------------------------------------------------------------------

export function findCurrentKek(db: Db, tenantId: string, domain: KeyDomain) {
  return db
    .selectFrom('crypto_keks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findKek(db: Db, tenantId: string, domain: KeyDomain, version: number) {
  return db
    .selectFrom('crypto_keks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertKekIfAbsent(db: Db, row: CryptoKeksTable): Promise<boolean> {
  const result = await db
    .insertInto('crypto_keks')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'domain', 'version']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function kekExists(db: Db, tenantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('crypto_keks')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export function listKeks(db: Db, tenantId: string) {
  return db
    .selectFrom('crypto_keks')
    .select(['domain', 'version', 'root_key_id', 'created_at', 'retired_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('domain')
    .orderBy('version')
    .execute();
}

/** Live KEKs wrapped by another root key than `rootKeyId` (a root rotation in progress). */
export function findKeksNotOnRoot(db: Db, tenantId: string, rootKeyId: string, limit: number) {
  return db
    .selectFrom('crypto_keks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('wrapped_key', 'is not', null)
    .where((eb) => eb.or([eb('root_key_id', '!=', rootKeyId), eb('root_key_id', 'is', null)]))
    .orderBy('domain')
    .orderBy('version')
    .limit(limit)
    .execute();
}

/** Re-wraps one KEK only if it is still under the root key read (idempotent against a concurrent run). */
export async function updateKekWrap(
  db: Db,
  tenantId: string,
  id: string,
  change: { fromRootKeyId: string | null; toRootKeyId: string; wrapped: Buffer },
): Promise<number> {
  let query = db
    .updateTable('crypto_keks')
    .set({ wrapped_key: change.wrapped, root_key_id: change.toRootKeyId })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id);
  query =
    change.fromRootKeyId === null
      ? query.where('root_key_id', 'is', null)
      : query.where('root_key_id', '=', change.fromRootKeyId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Erases the wrapped KEK material of every version below `belowVersion` (the minimum decryption version). */
export async function retireKeksBelow(
  db: Db,
  tenantId: string,
  domain: KeyDomain,
  belowVersion: number,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('crypto_keks')
    .set({ wrapped_key: null, retired_at: now })
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('version', '<', belowVersion)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// --- installation-wide secrets (global table) ------------------------------------------------

export function findRootSecret(db: Db, id: string) {
  return db.selectFrom('crypto_root_secrets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRootSecretIfAbsent(
  db: Db,
  row: { id: string; wrapped_key: Buffer; root_key_id: string; created_at: number },
): Promise<boolean> {
  const result = await db
    .insertInto('crypto_root_secrets')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateRootSecretWrap(
  db: Db,
  id: string,
  change: { fromRootKeyId: string; toRootKeyId: string; wrapped: Buffer },
): Promise<number> {
  const result = await db
    .updateTable('crypto_root_secrets')
    .set({ wrapped_key: change.wrapped, root_key_id: change.toRootKeyId })
    .where('id', '=', id)
    .where('root_key_id', '=', change.fromRootKeyId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function findRootSecretsNotOnRoot(db: Db, rootKeyId: string) {
  return db.selectFrom('crypto_root_secrets').selectAll().where('root_key_id', '!=', rootKeyId).execute();
}
