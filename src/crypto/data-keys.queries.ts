import type { Db } from '../storage/index.ts';
import type { CryptoDataKeysTable, CryptoKeySlotsTable, KeyDomain, SlotStatus } from './crypto.tables.ts';

// Key slots (a tenant's named keys) and their data key versions. Every function takes the db or
// the caller's transaction first.

/** Several slots by name with their current data keys: one query for a batch (chunk the names). */
export function findSlotsWithCurrentKey(db: Db, tenantId: string, names: readonly string[]) {
  return db
    .selectFrom('crypto_key_slots as s')
    .leftJoin('crypto_data_keys as k', (join) =>
      join
        .onRef('k.tenant_id', '=', 's.tenant_id')
        .onRef('k.key_id', '=', 's.key_id')
        .onRef('k.version', '=', 's.current_version'),
    )
    .select([
      's.name',
      's.key_id',
      's.status',
      's.domain',
      's.current_version',
      'k.kek_version',
      'k.wrapped_key',
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.name', 'in', names)
    .execute();
}

/** A slot by name with its current data key (null key columns when the slot has none). */
export async function findSlotWithCurrentKey(db: Db, tenantId: string, name: string) {
  return (await findSlotsWithCurrentKey(db, tenantId, [name]))[0];
}

/** Inserts several slots, skipping names that already exist (the caller re-reads to learn which won). */
export async function insertSlotsIfAbsent(db: Db, rows: readonly CryptoKeySlotsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('crypto_key_slots')
    .values(rows)
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
    .execute();
}

export async function insertDataKeys(db: Db, rows: readonly CryptoDataKeysTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('crypto_data_keys').values(rows).execute();
}

export function findSlotByKeyId(db: Db, tenantId: string, keyId: string) {
  return db
    .selectFrom('crypto_key_slots')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .executeTakeFirst();
}

export function findSlotByName(db: Db, tenantId: string, name: string) {
  return db
    .selectFrom('crypto_key_slots')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertSlotIfAbsent(db: Db, row: CryptoKeySlotsTable): Promise<boolean> {
  const result = await db
    .insertInto('crypto_key_slots')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function slotExists(db: Db, tenantId: string, keyId: string): Promise<boolean> {
  return (await findSlotByKeyId(db, tenantId, keyId)) !== undefined;
}

export async function insertDataKey(db: Db, row: CryptoDataKeysTable): Promise<void> {
  await db.insertInto('crypto_data_keys').values(row).execute();
}

export function findDataKey(db: Db, tenantId: string, keyId: string, version: number) {
  return db
    .selectFrom('crypto_data_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Shared slots of a domain (general, vault): the ones that get a new key version on KEK rotation. */
export function findSharedSlots(db: Db, tenantId: string, domain: KeyDomain) {
  return db
    .selectFrom('crypto_key_slots')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('purpose', 'in', ['general', 'vault'])
    .execute();
}

export async function updateSlotVersion(
  db: Db,
  tenantId: string,
  keyId: string,
  version: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('crypto_key_slots')
    .set({ current_version: version, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .execute();
}

export function findDataKeysBelowKekVersion(
  db: Db,
  tenantId: string,
  domain: KeyDomain,
  kekVersion: number,
  limit: number,
) {
  return db
    .selectFrom('crypto_data_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('kek_version', '<', kekVersion)
    .orderBy('key_id')
    .orderBy('version')
    .limit(limit)
    .execute();
}

/** Re-wraps one data key only if it is still under the KEK version read (idempotent). */
export async function updateDataKeyWrap(
  db: Db,
  tenantId: string,
  key: { keyId: string; version: number },
  change: { fromKekVersion: number; toKekVersion: number; wrapped: Buffer },
): Promise<number> {
  const result = await db
    .updateTable('crypto_data_keys')
    .set({ kek_version: change.toKekVersion, wrapped_key: change.wrapped })
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', key.keyId)
    .where('version', '=', key.version)
    .where('kek_version', '=', change.fromKekVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countDataKeysBelowKekVersion(
  db: Db,
  tenantId: string,
  domain: KeyDomain,
  kekVersion: number,
): Promise<number> {
  const row = await db
    .selectFrom('crypto_data_keys')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('kek_version', '<', kekVersion)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countDataKeysByKek(db: Db, tenantId: string) {
  const rows = await db
    .selectFrom('crypto_data_keys')
    .select(['domain', 'kek_version', (eb) => eb.fn.countAll().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy(['domain', 'kek_version'])
    .execute();
  return rows.map((r) => ({ domain: r.domain, kekVersion: Number(r.kek_version), count: Number(r.n) }));
}

export async function countSlotsByStatus(db: Db, tenantId: string) {
  const rows = await db
    .selectFrom('crypto_key_slots')
    .select(['purpose', 'status', (eb) => eb.fn.countAll().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy(['purpose', 'status'])
    .execute();
  return rows.map((r) => ({ purpose: r.purpose, status: r.status, count: Number(r.n) }));
}

// --- subject key destruction -----------------------------------------------------------------

export async function updateSlotSchedule(
  db: Db,
  tenantId: string,
  keyId: string,
  change: { from: SlotStatus; to: SlotStatus; destroyAfter: number | null; now: number },
): Promise<number> {
  const result = await db
    .updateTable('crypto_key_slots')
    .set({ status: change.to, destroy_after: change.destroyAfter, updated_at: change.now })
    .where('tenant_id', '=', tenantId)
    .where('key_id', '=', keyId)
    .where('status', '=', change.from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function findDueSubjectSlots(db: Db, tenantId: string, now: number, limit: number) {
  return db
    .selectFrom('crypto_key_slots')
    .select(['key_id', 'name', 'destroy_after'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'destruction_scheduled')
    .where('destroy_after', '<=', now)
    .orderBy('destroy_after')
    .limit(limit)
    .execute();
}
