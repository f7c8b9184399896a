import type { AuditSinksTable } from '../audit.tables.ts';
import type { DbOrTransaction } from '../audit.types.ts';

export async function insertSink(db: DbOrTransaction, row: AuditSinksTable): Promise<void> {
  await db.insertInto('audit_sinks').values(row).execute();
}

export async function listSinks(db: DbOrTransaction, tenantId: string): Promise<AuditSinksTable[]> {
  return db.selectFrom('audit_sinks').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute();
}

export async function findSink(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
): Promise<AuditSinksTable | undefined> {
  return db
    .selectFrom('audit_sinks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findSinkByName(
  db: DbOrTransaction,
  tenantId: string,
  name: string,
): Promise<AuditSinksTable | undefined> {
  return db
    .selectFrom('audit_sinks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function deleteSink(db: DbOrTransaction, tenantId: string, id: string): Promise<number> {
  const result = await db
    .deleteFrom('audit_sinks')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Enabled sinks of a tenant whose next attempt is due. */
export async function listDueSinks(
  db: DbOrTransaction,
  tenantId: string,
  now: number,
): Promise<AuditSinksTable[]> {
  return (
    db
      .selectFrom('audit_sinks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      // 1, not true: better-sqlite3 cannot bind booleans, and PostgreSQL reads '1' as true.
      .where('enabled', '=', 1)
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .execute()
  );
}

/**
 * Moves the cursor forward only from where this delivery started: if another node already moved
 * it, nothing changes (the cursor never goes back, so nothing is skipped or lost).
 */
export async function advanceSinkCursor(
  db: DbOrTransaction,
  sink: Pick<AuditSinksTable, 'tenant_id' | 'id' | 'cursor'>,
  next: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('audit_sinks')
    .set({ cursor: next, failures: 0, last_error: null, next_attempt_at: now, last_delivered_at: now })
    .where('tenant_id', '=', sink.tenant_id)
    .where('id', '=', sink.id)
    .where('cursor', '=', sink.cursor)
    .execute();
}

export async function recordSinkFailure(
  db: DbOrTransaction,
  sink: Pick<AuditSinksTable, 'tenant_id' | 'id'>,
  failure: { failures: number; nextAttemptAt: number; error: string },
): Promise<void> {
  await db
    .updateTable('audit_sinks')
    .set({ failures: failure.failures, next_attempt_at: failure.nextAttemptAt, last_error: failure.error })
    .where('tenant_id', '=', sink.tenant_id)
    .where('id', '=', sink.id)
    .execute();
}
