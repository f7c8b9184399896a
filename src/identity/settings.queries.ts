import type { Updateable } from 'kysely';
import type { DbOrTransaction } from '../audit/index.ts';
import type { IdentityPoliciesTable, OidcProvidersTable } from './identity.tables.ts';

export function findPolicy(db: DbOrTransaction, tenantId: string) {
  return db.selectFrom('identity_policies').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function upsertPolicy(db: DbOrTransaction, row: IdentityPoliciesTable): Promise<void> {
  await db
    .insertInto('identity_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        policy: row.policy,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

export async function insertOidcProvider(db: DbOrTransaction, row: OidcProvidersTable): Promise<void> {
  await db.insertInto('oidc_providers').values(row).execute();
}

export function findOidcProviderBySlug(db: DbOrTransaction, tenantId: string, slug: string) {
  return db
    .selectFrom('oidc_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export function findOidcProviderById(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('oidc_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listOidcProviders(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('oidc_providers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('slug')
    .execute();
}

export async function updateOidcProvider(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  changes: Updateable<OidcProvidersTable>,
): Promise<void> {
  await db
    .updateTable('oidc_providers')
    .set(changes)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteOidcProvider(db: DbOrTransaction, tenantId: string, id: string) {
  const result = await db
    .deleteFrom('oidc_providers')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
