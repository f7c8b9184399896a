import type { Principal } from '../shared/principal.ts';
import type { AuditCheckpoint } from './audit.checkpoints.ts';
import type { AuditEventPage, AuditEventView } from './audit.events.ts';
import type { AuditModule } from './audit.module.ts';
import type { AuditEventFilter } from './audit.queries.ts';
import type { AuditEventInput } from './audit.types.ts';
import type { AuditVerifyReport } from './audit.verify-types.ts';
import type { ConsistencyProofBundle, InclusionProofBundle } from './checkpoint/index.ts';

/** Where a request came from, recorded with the audit event it causes. */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

function actorOf(principal: Principal): AuditEventInput['actor'] {
  return { type: principal.kind, id: principal.id, name: principal.displayName };
}

/**
 * The audit log's operations for API callers. PCI DSS 10.2.1.3 requires every access to the audit
 * logs to be logged too, so each read, proof, checkpoint and verification records who did it.
 */
export function createAuditApi(audit: AuditModule) {
  async function note(
    principal: Principal,
    origin: RequestOrigin,
    action: string,
    details: AuditEventInput['details'],
    target?: AuditEventInput['target'],
  ): Promise<void> {
    await audit.record(audit.db, {
      tenantId: principal.tenantId,
      actor: actorOf(principal),
      action,
      outcome: 'success',
      ...(target ? { target } : {}),
      origin: {
        ...(origin.ip ? { ip: origin.ip } : {}),
        ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
      },
      ...(origin.requestId ? { requestId: origin.requestId } : {}),
      ...(details ? { details } : {}),
    });
  }

  return {
    async listEvents(
      principal: Principal,
      origin: RequestOrigin,
      filter: Omit<AuditEventFilter, 'beforeSeq'> & { cursor?: string; limit?: number },
    ): Promise<AuditEventPage> {
      const page = await audit.findEvents(principal.tenantId, filter);
      await note(principal, origin, 'audit.events.read', { returned: page.events.length });
      return page;
    },
    async eventProof(
      principal: Principal,
      origin: RequestOrigin,
      eventId: string,
      treeSize?: number,
    ): Promise<{ event: AuditEventView; bundle: InclusionProofBundle }> {
      const proof = await audit.proofs.eventProof(
        principal.tenantId,
        eventId,
        treeSize === undefined ? {} : { treeSize },
      );
      await note(principal, origin, 'audit.proof.read', undefined, { type: 'audit_event', id: eventId });
      return proof;
    },
    async consistency(
      principal: Principal,
      origin: RequestOrigin,
      from: number,
      to: number,
    ): Promise<ConsistencyProofBundle> {
      const bundle = await audit.proofs.consistency(principal.tenantId, from, to);
      await note(principal, origin, 'audit.proof.read', { from, to });
      return bundle;
    },
    async listCheckpoints(
      principal: Principal,
      options: { beforeSize?: number; limit: number },
    ): Promise<{ checkpoints: AuditCheckpoint[]; verifierKeys: string[] }> {
      const [checkpoints, verifierKeys] = await Promise.all([
        audit.checkpoints.list(principal.tenantId, options),
        audit.verifierKeys(),
      ]);
      return { checkpoints, verifierKeys };
    },
    async createCheckpoint(
      principal: Principal,
      origin: RequestOrigin,
    ): Promise<{ checkpoint: AuditCheckpoint; created: boolean }> {
      const result = await audit.checkpoints.create(principal.tenantId, 'demand');
      await note(principal, origin, 'audit.checkpoint.create', {
        treeSize: result.checkpoint.treeSize,
        created: result.created,
      });
      return result;
    },
    async verify(
      principal: Principal,
      origin: RequestOrigin,
      fromTreeSize?: number,
    ): Promise<AuditVerifyReport> {
      const report = await audit.verify(
        principal.tenantId,
        fromTreeSize === undefined ? {} : { from: { treeSize: fromTreeSize } },
      );
      await note(principal, origin, 'audit.verify', {
        ok: report.ok,
        eventsChecked: report.eventsChecked,
        problems: report.problems.length,
      });
      return report;
    },
  };
}

export type AuditApi = ReturnType<typeof createAuditApi>;
