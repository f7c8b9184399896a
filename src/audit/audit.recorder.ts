import { createHmac } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { StorageDialect } from '../storage/index.ts';
import { auditEventMac, auditLeafHash, encodeAuditEvent } from './audit.encoding.ts';
import { insertAuditEvents, nextAuditSeq } from './audit.queries.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import type { AuditEventInput, AuditRecorder, DbOrTransaction, RecordedAuditEvent } from './audit.types.ts';

export interface AuditRecorderDeps {
  clock: Clock;
  ids: IdGenerator;
  dialect: Pick<StorageDialect, 'lockInTransaction'>;
  /** Per-tenant key for HMACing sensitive values (derived from the root key). */
  sensitiveKey(tenantId: string): Buffer;
  /** Per-tenant key sealing each event (see AuditEventsTable.mac). */
  eventMacKey(tenantId: string): Buffer;
}

const MAX_TEXT = 2048;
const clip = (value: string | undefined) => (value === undefined ? null : value.slice(0, MAX_TEXT));

function hmacValues(key: Buffer, values: Record<string, string> | undefined): string | null {
  if (!values || Object.keys(values).length === 0) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = createHmac('sha256', key)
      .update(value.normalize('NFKC').trim().toLowerCase())
      .digest('base64url');
  }
  return JSON.stringify(out);
}

/** Lock name shared by every writer of one tenant's log: one total order, no fork, across nodes. */
export const auditLockKey = (tenantId: string) => `audit:${tenantId}`;

export function createAuditRecorder(deps: AuditRecorderDeps): AuditRecorder {
  function buildRow(event: AuditEventInput, seq: number): AuditEventsTable {
    const row: Omit<AuditEventsTable, 'leaf_hash' | 'mac'> = {
      id: deps.ids.newId(),
      tenant_id: event.tenantId,
      seq,
      occurred_at: deps.clock.now(),
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      actor_name: clip(event.actor.name),
      action: event.action,
      outcome: event.outcome,
      target_type: clip(event.target?.type),
      target_id: clip(event.target?.id),
      reason: clip(event.reason),
      origin_ip: clip(event.origin?.ip),
      user_agent: clip(event.origin?.userAgent),
      request_id: clip(event.requestId),
      details: event.details && Object.keys(event.details).length > 0 ? JSON.stringify(event.details) : null,
      sensitive: hmacValues(deps.sensitiveKey(event.tenantId), event.sensitive),
    };
    const leafHash = auditLeafHash(encodeAuditEvent(row));
    return { ...row, leaf_hash: leafHash, mac: auditEventMac(deps.eventMacKey(event.tenantId), leafHash) };
  }

  async function append(trx: DbOrTransaction, event: AuditEventInput): Promise<RecordedAuditEvent> {
    await deps.dialect.lockInTransaction(trx as never, auditLockKey(event.tenantId));
    const row = buildRow(event, await nextAuditSeq(trx, event.tenantId));
    await insertAuditEvents(trx, [row]);
    return { id: row.id, seq: row.seq };
  }

  /**
   * A batch takes each tenant's lock once (in sorted order, so two batches cannot deadlock), reads
   * each tenant's next seq once and inserts the rows in multi-row statements, in input order.
   */
  async function appendMany(
    trx: DbOrTransaction,
    events: readonly AuditEventInput[],
  ): Promise<RecordedAuditEvent[]> {
    const next = new Map<string, number>();
    for (const tenantId of [...new Set(events.map((e) => e.tenantId))].sort()) {
      await deps.dialect.lockInTransaction(trx as never, auditLockKey(tenantId));
      next.set(tenantId, await nextAuditSeq(trx, tenantId));
    }
    const rows = events.map((event) => {
      const seq = next.get(event.tenantId)!;
      next.set(event.tenantId, seq + 1);
      return buildRow(event, seq);
    });
    await insertAuditEvents(trx, rows);
    return rows.map((row) => ({ id: row.id, seq: row.seq }));
  }

  return {
    async record(db, event) {
      // Inside the caller's transaction the event commits (or rolls back) with the change itself.
      if (db.isTransaction) return append(db, event);
      return db.transaction().execute((trx) => append(trx, event));
    },
    async recordMany(db, events) {
      if (events.length === 0) return [];
      return db.isTransaction
        ? appendMany(db, events)
        : db.transaction().execute((trx) => appendMany(trx, events));
    },
  };
}
