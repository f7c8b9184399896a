import type { AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { accessError } from './access.errors.ts';
import { auditActor, auditOrigin } from './access.gate.ts';
import type { ScopeKind } from './access.permissions.ts';
import type { AccessCache } from './access.store.ts';
import type { AccessElevationsTable, ElevationStatus } from './access.tables.ts';
import type { AccessRequestContext } from './access.types.ts';

export interface Elevation {
  id: string;
  userId: string;
  userName: string;
  kind: 'role' | 'permission';
  name: string;
  scope: ScopeKind;
  reason: string;
  minutes: number;
  status: ElevationStatus;
  breakGlass: boolean;
  requestedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
  startsAt: number | null;
  expiresAt: number | null;
  endedAt: number | null;
}

/** Raised when break-glass opens; the composition root routes it to the alerting channel. */
export interface AccessAlert {
  kind: 'break_glass';
  tenantId: string;
  userId: string;
  elevationId: string;
  role: string;
  expiresAt: number;
}

export interface AccessElevationDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  cache: AccessCache;
  logger: Logger;
  alert(alert: AccessAlert): void;
}

export interface ElevationRequest {
  role?: string | undefined;
  permission?: string | undefined;
  scope?: ScopeKind | undefined;
  minutes: number;
  reason: string;
}

const num = (v: number | null) => (v === null ? null : Number(v));

export function toElevation(row: AccessElevationsTable): Elevation {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    kind: row.grant_kind,
    name: row.grant_name,
    scope: row.scope as ScopeKind,
    reason: row.reason,
    minutes: Number(row.minutes),
    status: row.status,
    breakGlass: Number(row.break_glass) === 1,
    requestedAt: Number(row.requested_at),
    decidedBy: row.decided_by,
    decidedAt: num(row.decided_at),
    decisionNote: row.decision_note,
    startsAt: num(row.starts_at),
    expiresAt: num(row.expires_at),
    endedAt: num(row.ended_at),
  };
}

/** A reason of minLength-500 characters, trimmed. */
export function checkReason(reason: string, minLength: number): string {
  const trimmed = reason.trim();
  if (trimmed.length < minLength || trimmed.length > 500) {
    throw accessError('ELEVATION_INVALID', `reason must be ${minLength}-500 characters`);
  }
  return trimmed;
}

export type AuditDetails = Record<string, string | number | boolean | null>;

/**
 * Applies an elevation change, bumps the tenant's policy generation and records the audit event,
 * all in one transaction; then drops this node's compiled policy so the change applies at once.
 */
export async function commitElevationChange(
  deps: Pick<AccessElevationDeps, 'db' | 'cache' | 'audit'>,
  actor: Principal,
  context: AccessRequestContext,
  event: { action: string; id: string; reason?: string; details?: AuditDetails },
  apply: (trx: DbOrTransaction) => Promise<void>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await apply(trx);
    await deps.cache.markChanged(trx, actor.tenantId);
    await deps.audit.record(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: event.action,
      outcome: 'success',
      target: { type: 'elevation', id: event.id },
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.details ? { details: event.details } : {}),
      ...auditOrigin(context),
    });
  });
  deps.cache.invalidate(actor.tenantId);
}
