import type { AuditModule } from '../audit/index.ts';
import { AUDIT_RETENTION_FLOOR_DAYS } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Db } from '../storage/index.ts';
import { actorLabel, auditFrom, type Caller } from './retention.caller.ts';
import {
  actionAllowed,
  DATA_CATEGORIES,
  type DataCategory,
  type RetentionAction,
} from './retention.categories.ts';
import { retentionError } from './retention.errors.ts';
import type { PackRegistry } from './retention.packs.ts';
import {
  deletePolicy,
  findPolicy,
  findPolicyByKey,
  insertPolicy,
  listAssignments,
  listPolicies,
  replaceAssignments,
  updatePolicy,
} from './retention.queries.ts';
import { type Assignment, evaluateCategory, type Policy, type ScopeRules } from './retention.rules.ts';

export interface SettingsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: Pick<AuditModule, 'record' | 'retention'>;
  packs: PackRegistry;
}

export interface PolicyInput {
  category: DataCategory;
  jurisdiction: string | null;
  maxAgeDays: number;
  action: RetentionAction;
}

/** What the tenant's rules say for every category and scope: conflicts and gaps included. */
export interface Evaluation {
  assignment: Assignment;
  policies: Policy[];
  scopes: ScopeRules[];
}

const toPolicy = (row: {
  id: string;
  category: string;
  jurisdiction: string;
  max_age_days: number;
  action: string;
}): Policy => ({
  id: row.id,
  category: row.category as DataCategory,
  jurisdiction: row.jurisdiction === '' ? null : row.jurisdiction,
  maxAgeDays: Number(row.max_age_days),
  action: row.action as RetentionAction,
});

function validateAssignment(packs: PackRegistry, assignment: Assignment): void {
  for (const id of [...assignment.tenantPacks, ...assignment.segments.flatMap((s) => s.packs)]) {
    if (!packs.has(id)) throw retentionError('PACK_UNKNOWN', `unknown jurisdiction pack "${id}"`);
  }
  const names = new Set<string>();
  const regions = new Set<string>();
  for (const segment of assignment.segments) {
    if (names.has(segment.name) || segment.name === '' || segment.regions.length === 0)
      throw retentionError('SEGMENT_INVALID');
    names.add(segment.name);
    for (const region of segment.regions) {
      if (regions.has(region))
        throw retentionError('SEGMENT_INVALID', `region ${region} is in more than one segment`);
      regions.add(region);
    }
  }
}

/** Jurisdiction assignment and retention policies of a tenant; every change is audited. */
export function createRetentionSettings(deps: SettingsDeps) {
  const { db, clock, packs } = deps;

  async function assignment(tenantId: string, conn: Db = db): Promise<Assignment> {
    const rows = await listAssignments(conn, tenantId);
    const tenantRow = rows.find((r) => r.segment === '');
    return {
      tenantPacks: tenantRow ? (JSON.parse(tenantRow.packs) as string[]) : [],
      segments: rows
        .filter((r) => r.segment !== '')
        .map((r) => ({
          name: r.segment,
          regions: JSON.parse(r.regions) as string[],
          packs: JSON.parse(r.packs) as string[],
        })),
    };
  }

  const policies = async (tenantId: string, conn: Db = db) =>
    (await listPolicies(conn, tenantId)).map(toPolicy);

  async function evaluate(tenantId: string, conn: Db = db): Promise<Evaluation> {
    const [a, p] = await Promise.all([assignment(tenantId, conn), policies(tenantId, conn)]);
    return {
      assignment: a,
      policies: p,
      scopes: DATA_CATEGORIES.flatMap((c) => evaluateCategory(packs, a, c, p)),
    };
  }

  /** The audit module owns audit-log retention and its floor; an audit_log policy is applied there. */
  async function applyAuditLogPolicy(
    caller: Caller,
    maxAgeDays: number,
    evaluation: Evaluation,
  ): Promise<void> {
    const legal = evaluation.scopes
      .filter((s) => s.category === 'audit_log')
      .map((s) => s.minimum?.days ?? 0);
    const minimum = Math.max(AUDIT_RETENTION_FLOOR_DAYS, ...legal);
    const current = await deps.audit.retention.get(caller.tenantId);
    if (minimum > current.minimumDays)
      await deps.audit.retention.setMinimum(caller.tenantId, minimum, caller.actor);
    if (maxAgeDays < minimum) {
      throw retentionError(
        'POLICY_CONFLICT',
        `the audit log must be kept at least ${minimum} days (the legal minimum of the tenant's jurisdictions and PCI DSS 10.5.1)`,
      );
    }
    await deps.audit.retention.setRetention(caller.tenantId, maxAgeDays, caller.actor);
  }

  return {
    assignment,
    policies,
    evaluate,

    /** Replaces which packs apply to the tenant and its segments; returns the rules evaluated under them. */
    async setAssignment(caller: Caller, next: Assignment): Promise<Evaluation> {
      validateAssignment(packs, next);
      const now = clock.now();
      const rows = [
        { segment: '', regions: [] as readonly string[], packs: next.tenantPacks },
        ...next.segments.map((s) => ({ segment: s.name, regions: s.regions, packs: s.packs })),
      ].map((r) => ({
        tenant_id: caller.tenantId,
        segment: r.segment,
        regions: JSON.stringify(r.regions),
        packs: JSON.stringify([...new Set(r.packs)].sort()),
        updated_at: now,
        updated_by: actorLabel(caller),
      }));
      await db.transaction().execute(async (trx) => {
        await replaceAssignments(trx, caller.tenantId, rows);
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.jurisdictions.set',
          outcome: 'success',
          target: { type: 'retention_assignment', id: caller.tenantId },
          details: {
            tenantPacks: next.tenantPacks.join(','),
            segments: next.segments.map((s) => `${s.name}:${s.packs.join('+')}`).join(';'),
          },
        });
      });
      return evaluate(caller.tenantId);
    },

    /** Creates or replaces the policy of a category (and jurisdiction); refuses one that breaks a legal bound. */
    async setPolicy(caller: Caller, input: PolicyInput): Promise<Policy> {
      if (!actionAllowed(input.category, input.action)) throw retentionError('ACTION_NOT_ALLOWED');
      if (input.jurisdiction !== null && !packs.has(input.jurisdiction))
        throw retentionError('PACK_UNKNOWN', `unknown jurisdiction pack "${input.jurisdiction}"`);
      if (input.category === 'audit_log' && input.jurisdiction !== null) {
        throw retentionError(
          'ACTION_NOT_ALLOWED',
          'the audit log has one retention for the whole tenant: set it without a jurisdiction',
        );
      }
      const existing = await findPolicyByKey(db, caller.tenantId, input.category, input.jurisdiction ?? '');
      const id = existing?.id ?? deps.ids.newId();
      const candidate: Policy = { id, ...input };
      const current = await evaluate(caller.tenantId);
      const others = current.policies.filter((p) => p.id !== id);
      const after = evaluateCategory(packs, current.assignment, input.category, [...others, candidate]);
      const conflicts = after.flatMap((s) =>
        s.conflicts.filter((c) => c.policyId === id).map((c) => `${s.scope}: ${c.message}`),
      );
      if (conflicts.length > 0)
        throw retentionError(
          'POLICY_CONFLICT',
          `this policy conflicts with a jurisdiction rule: ${conflicts.join('; ')}`,
          { details: { conflicts } },
        );
      if (input.category === 'audit_log') await applyAuditLogPolicy(caller, input.maxAgeDays, current);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const fields = {
          max_age_days: input.maxAgeDays,
          action: input.action,
          updated_at: now,
          updated_by: actorLabel(caller),
        };
        if (existing) await updatePolicy(trx, caller.tenantId, id, fields);
        else
          await insertPolicy(trx, {
            tenant_id: caller.tenantId,
            id,
            category: input.category,
            jurisdiction: input.jurisdiction ?? '',
            created_at: now,
            ...fields,
          });
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.policy.set',
          outcome: 'success',
          target: { type: 'retention_policy', id },
          details: {
            category: input.category,
            jurisdiction: input.jurisdiction,
            maxAgeDays: input.maxAgeDays,
            policyAction: input.action,
          },
        });
      });
      return candidate;
    },

    async deletePolicy(caller: Caller, id: string): Promise<void> {
      const row = await findPolicy(db, caller.tenantId, id);
      if (!row) throw retentionError('POLICY_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        if ((await deletePolicy(trx, caller.tenantId, id)) === 0) throw retentionError('POLICY_NOT_FOUND');
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.policy.delete',
          outcome: 'success',
          target: { type: 'retention_policy', id },
          details: {
            category: row.category,
            jurisdiction: row.jurisdiction === '' ? null : row.jurisdiction,
          },
        });
      });
    },
  };
}

export type RetentionSettings = ReturnType<typeof createRetentionSettings>;
