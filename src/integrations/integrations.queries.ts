import type { DbOrTransaction } from '../audit/index.ts';
import type { IntegrationSecretsTable } from './integrations.tables.ts';

export function findIntegrationSecret(db: DbOrTransaction, tenantId: string, platform: string) {
  return db
    .selectFrom('integration_secrets')
    .select(['secret', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('platform', '=', platform)
    .executeTakeFirst();
}

export async function upsertIntegrationSecret(
  db: DbOrTransaction,
  row: IntegrationSecretsTable,
): Promise<void> {
  await db
    .insertInto('integration_secrets')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'platform'])
        .doUpdateSet({ secret: row.secret, updated_at: row.updated_at, updated_by: row.updated_by }),
    )
    .execute();
}

export async function deleteIntegrationSecret(
  db: DbOrTransaction,
  tenantId: string,
  platform: string,
): Promise<number> {
  const result = await db
    .deleteFrom('integration_secrets')
    .where('tenant_id', '=', tenantId)
    .where('platform', '=', platform)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
