import type { AuditRetentionTable } from './audit.tables.ts';
import type { DbOrTransaction } from './audit.types.ts';

export async function findAuditRetention(
  db: DbOrTransaction,
  tenantId: string,
): Promise<AuditRetentionTable | undefined> {
  return db.selectFrom('audit_retention').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function saveAuditRetention(db: DbOrTransaction, row: AuditRetentionTable): Promise<void> {
  await db
    .insertInto('audit_retention')
    .values(row)
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        retention_days: row.retention_days,
        minimum_days: row.minimum_days,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}
