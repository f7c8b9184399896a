import type { AuditEventInput } from '../audit/index.ts';
import type { Principal } from '../shared/principal.ts';

/** Who asks for a retention or DSAR operation, and from where (the audit log records it). */
export interface Caller {
  tenantId: string;
  actor: AuditEventInput['actor'];
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export function callerOf(
  principal: Principal,
  meta: { origin?: Caller['origin']; requestId?: string } = {},
): Caller {
  return {
    tenantId: principal.tenantId,
    actor: { type: principal.kind, id: principal.id, name: principal.displayName },
    ...(meta.origin ? { origin: meta.origin } : {}),
    ...(meta.requestId ? { requestId: meta.requestId } : {}),
  };
}

/** The system actor of a scheduled job or the CLI. */
export function systemCaller(tenantId: string, id: string, name: string): Caller {
  return { tenantId, actor: { type: 'system', id, name } };
}

/** The common part of every audit event a caller causes. */
export function auditFrom(
  caller: Caller,
): Pick<AuditEventInput, 'tenantId' | 'actor' | 'origin' | 'requestId'> {
  return {
    tenantId: caller.tenantId,
    actor: caller.actor,
    ...(caller.origin ? { origin: caller.origin } : {}),
    ...(caller.requestId ? { requestId: caller.requestId } : {}),
  };
}

export const actorLabel = (caller: Caller) => `${caller.actor.type}:${caller.actor.id}`;
