import { encodeAuditEvent } from './audit.encoding.ts';
import { auditError } from './audit.errors.ts';
import { type AuditEventFilter, findAuditEventById, listAuditEvents } from './audit.queries.ts';
import type { AuditEventsTable } from './audit.tables.ts';
import type { AuditActorType, AuditOutcome, DbOrTransaction } from './audit.types.ts';

/** An audit event as readers see it (API, CLI, SIEM export). */
export interface AuditEventView {
  id: string;
  tenantId: string;
  seq: number;
  occurredAt: number;
  actor: { type: AuditActorType; id: string; name: string | null };
  action: string;
  outcome: AuditOutcome;
  target: { type: string | null; id: string | null } | null;
  reason: string | null;
  origin: { ip: string | null; userAgent: string | null };
  requestId: string | null;
  details: Record<string, string | number | boolean | null> | null;
  /** HMACs of sensitive values, by name: correlatable, never the values themselves. */
  sensitive: Record<string, string> | null;
}

export function toAuditEventView(row: AuditEventsTable): AuditEventView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    occurredAt: Number(row.occurred_at),
    actor: { type: row.actor_type as AuditActorType, id: row.actor_id, name: row.actor_name },
    action: row.action,
    outcome: row.outcome as AuditOutcome,
    target:
      row.target_type === null && row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    reason: row.reason,
    origin: { ip: row.origin_ip, userAgent: row.user_agent },
    requestId: row.request_id,
    details: row.details === null ? null : (JSON.parse(row.details) as AuditEventView['details']),
    sensitive: row.sensitive === null ? null : (JSON.parse(row.sensitive) as Record<string, string>),
  };
}

/** The canonical bytes a leaf hash covers, for proof bundles that carry the event itself. */
export function auditEventLeafData(row: AuditEventsTable): Buffer {
  const { leaf_hash: _leaf, mac: _mac, ...fields } = row;
  return encodeAuditEvent(fields);
}

const CURSOR_PREFIX = 'v1:';
const MAX_PAGE = 500;

export function encodeEventCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, 'utf8').toString('base64url');
}

export function decodeEventCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(seq) || seq < 0) {
    throw auditError('AUDIT_INVALID_CURSOR');
  }
  return seq;
}

export interface AuditEventPage {
  events: AuditEventView[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Newest-first page of a tenant's events matching every given filter. */
export async function findAuditEvents(
  db: DbOrTransaction,
  tenantId: string,
  filter: Omit<AuditEventFilter, 'beforeSeq'> & { cursor?: string; limit?: number },
): Promise<AuditEventPage> {
  const { cursor, limit: requested, ...rest } = filter;
  const limit = Math.min(Math.max(requested ?? 100, 1), MAX_PAGE);
  const beforeSeq = cursor === undefined ? undefined : decodeEventCursor(cursor);
  const rows = await listAuditEvents(
    db,
    tenantId,
    { ...rest, ...(beforeSeq === undefined ? {} : { beforeSeq }) },
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map(toAuditEventView),
    nextCursor: rows.length > limit && last ? encodeEventCursor(Number(last.seq)) : null,
  };
}

export async function getAuditEvent(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
): Promise<AuditEventsTable> {
  const row = await findAuditEventById(db, tenantId, id);
  if (!row) throw auditError('AUDIT_EVENT_NOT_FOUND');
  return row;
}
