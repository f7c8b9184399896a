import type { Clock } from '../shared/clock.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { auditError } from './audit.errors.ts';
import { findAuditRetention, saveAuditRetention } from './audit.retention.queries.ts';
import type { AuditEventInput, AuditRecorder } from './audit.types.ts';

/**
 * PCI DSS 10.5.1: audit logs are kept at least 12 months. 366 days covers a leap year, so no
 * calendar year can make "12 months" shorter than the floor.
 */
export const AUDIT_RETENTION_FLOOR_DAYS = 366;
/** Upper bound on any retention setting (about 100 years), so arithmetic stays far from overflow. */
const MAX_DAYS = 36_600;

export interface AuditRetentionPolicy {
  tenantId: string;
  /** How long audit events are kept. */
  retentionDays: number;
  /** What the tenant's frameworks require; retention can never go below it. */
  minimumDays: number;
}

/** Who changes a policy, as recorded in the audit log. */
export type AuditActor = AuditEventInput['actor'];

export interface AuditRetentionDeps {
  db: Db;
  clock: Clock;
  recorder: AuditRecorder;
}

function assertDays(days: number): void {
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS) throw auditError('AUDIT_RETENTION_INVALID');
}

/**
 * Retention of the audit log itself. The retention engine must go through `setRetention` and
 * `assertPurgeAllowed`, which refuse anything shorter than the tenant's minimum (never below 12
 * months); every change is itself audited.
 */
export function createAuditRetention(deps: AuditRetentionDeps) {
  async function get(tenantId: string): Promise<AuditRetentionPolicy> {
    const row = await findAuditRetention(deps.db, tenantId);
    if (!row) {
      return { tenantId, retentionDays: AUDIT_RETENTION_FLOOR_DAYS, minimumDays: AUDIT_RETENTION_FLOOR_DAYS };
    }
    return { tenantId, retentionDays: row.retention_days, minimumDays: row.minimum_days };
  }

  async function save(
    policy: AuditRetentionPolicy,
    actor: AuditActor,
    action: string,
  ): Promise<AuditRetentionPolicy> {
    await deps.db.transaction().execute(async (trx) => {
      await saveAuditRetention(trx, {
        tenant_id: policy.tenantId,
        retention_days: policy.retentionDays,
        minimum_days: policy.minimumDays,
        updated_at: deps.clock.now(),
        updated_by: `${actor.type}:${actor.id}`,
      });
      await deps.recorder.record(trx, {
        tenantId: policy.tenantId,
        actor,
        action,
        outcome: 'success',
        target: { type: 'audit_log', id: policy.tenantId },
        details: { retentionDays: policy.retentionDays, minimumDays: policy.minimumDays },
      });
    });
    return policy;
  }

  return {
    get,
    /** Sets how long the audit log is kept; refuses (forbidden) below the tenant minimum. */
    async setRetention(
      tenantId: string,
      retentionDays: number,
      actor: AuditActor,
    ): Promise<AuditRetentionPolicy> {
      assertDays(retentionDays);
      const current = await get(tenantId);
      if (retentionDays < current.minimumDays) throw auditError('AUDIT_RETENTION_BELOW_MINIMUM');
      return save({ ...current, retentionDays }, actor, 'audit.retention.set');
    },
    /**
     * Sets the minimum the tenant's frameworks require (e.g. 6 years for HIPAA); never below 12
     * months, and retention is raised to it when shorter.
     */
    async setMinimum(
      tenantId: string,
      minimumDays: number,
      actor: AuditActor,
    ): Promise<AuditRetentionPolicy> {
      assertDays(minimumDays);
      if (minimumDays < AUDIT_RETENTION_FLOOR_DAYS) throw auditError('AUDIT_RETENTION_BELOW_MINIMUM');
      const current = await get(tenantId);
      const policy = { ...current, minimumDays, retentionDays: Math.max(current.retentionDays, minimumDays) };
      return save(policy, actor, 'audit.retention.minimum_set');
    },
    /**
     * Throws unless every audit event older than `cutoffMs` is past the tenant's retention at
     * `now`: the check any purge of audit data must pass first.
     */
    async assertPurgeAllowed(tenantId: string, cutoffMs: number, now = deps.clock.now()): Promise<void> {
      const { retentionDays } = await get(tenantId);
      if (cutoffMs > now - retentionDays * DAY_MS) throw auditError('AUDIT_PURGE_TOO_RECENT');
    },
  };
}

export type AuditRetention = ReturnType<typeof createAuditRetention>;
