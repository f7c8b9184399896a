import type { Db } from '../storage/index.ts';
import type { TenantsTable } from '../storage/storage.tables.ts';

export function findTenantBySlug(db: Db, slug: string) {
  return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function findTenantById(db: Db, id: string) {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTenants(db: Db) {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').execute();
}

export async function insertTenant(db: Db, row: TenantsTable): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

/** Inserts unless the slug exists (two nodes starting at once both succeed). */
export async function insertTenantIfAbsent(db: Db, row: TenantsTable): Promise<void> {
  await db
    .insertInto('tenants')
    .values(row)
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}
