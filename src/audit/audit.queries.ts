import { sql } from 'kysely';
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

// 20 columns a row: 1,000 rows stay under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
const INSERT_CHUNK = 1000;

/** Inserts events in multi-row statements, in order. */
export async function insertAuditEvents(
  db: DbOrTransaction,
  rows: readonly AuditEventsTable[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await db
      .insertInto('audit_events')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}

/** Events with seq >= fromSeq in log order, at most `limit` (folding and verification read these). */
export async function selectEventsFromSeq(
  db: DbOrTransaction,
  tenantId: string,
  fromSeq: number,
  limit: number,
): Promise<AuditEventsTable[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function findAuditEventById(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
): Promise<AuditEventsTable | undefined> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Number of events in the tenant's log (max seq + 1), read without a lock. */
export async function countAuditEvents(db: DbOrTransaction, tenantId: string): Promise<number> {
  return nextAuditSeq(db, tenantId);
}

/** Filters of the audit event listing; every one is optional and they combine with AND. */
export interface AuditEventFilter {
  actorId?: string;
  /** Exact action, or a prefix when it ends with `.*` (`auth.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  /** occurred_at >= fromMs */
  fromMs?: number;
  /** occurred_at < toMs */
  toMs?: number;
  /** Only events with seq below this (cursor pagination, newest first). */
  beforeSeq?: number;
}

export async function listAuditEvents(
  db: DbOrTransaction,
  tenantId: string,
  filter: AuditEventFilter,
  limit: number,
): Promise<AuditEventsTable[]> {
  let query = db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action?.endsWith('.*')) {
    const prefix = filter.action.slice(0, -1);
    // substr instead of LIKE: no wildcard escaping, and the same case-sensitive match on both dialects.
    query = query.where(sql`substr(${sql.ref('action')}, 1, ${prefix.length})`, '=', prefix);
  } else if (filter.action !== undefined) {
    query = query.where('action', '=', filter.action);
  }
  if (filter.targetType !== undefined) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
  if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
  if (filter.fromMs !== undefined) query = query.where('occurred_at', '>=', filter.fromMs);
  if (filter.toMs !== undefined) query = query.where('occurred_at', '<', filter.toMs);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query.orderBy('seq', 'desc').limit(limit).execute();
}
