import type { AuditEventsTable } from './audit.tables.ts';
import type { DbOrTransaction } from './audit.types.ts';

/** Next position in the tenant's log; call only while holding the tenant's audit lock. */
export async function nextAuditSeq(db: DbOrTransaction, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('max_seq'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const max = row?.max_seq;
  return max === null || max === undefined ? 0 : Number(max) + 1;
}

export async function insertAuditEvent(db: DbOrTransaction, row: AuditEventsTable): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
}
