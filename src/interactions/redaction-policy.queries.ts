import type { DbOrTransaction } from '../audit/index.ts';

export function findRedactionPolicy(db: DbOrTransaction, tenantId: string) {
  return db
    .selectFrom('redaction_policies')
    .select(['policy', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function upsertRedactionPolicy(
  db: DbOrTransaction,
  row: { tenant_id: string; policy: string; updated_at: number; updated_by: string },
): Promise<void> {
  await db
    .insertInto('redaction_policies')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('tenant_id')
        .doUpdateSet({ policy: row.policy, updated_at: row.updated_at, updated_by: row.updated_by }),
    )
    .execute();
}
