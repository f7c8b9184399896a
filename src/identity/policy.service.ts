import type { Principal } from '../shared/principal.ts';
import { auditActor, auditOrigin, type IdentityDeps, type RequestContext } from './identity.context.ts';
import { type IdentityPolicy, identityPolicySchema, parseStoredPolicy } from './identity.policy.ts';
import { findPolicy, upsertPolicy } from './settings.queries.ts';

/**
 * Policies are read on every sign-in and authenticated request, so they are cached per node for a
 * few seconds: a change reaches every node within CACHE_TTL_MS without cross-node messaging.
 */
const CACHE_TTL_MS = 5_000;

export function createPolicyService(deps: Pick<IdentityDeps, 'db' | 'clock' | 'audit'>) {
  const cache = new Map<string, { policy: IdentityPolicy; loadedAt: number }>();
  return {
    /** The tenant's policy (defaults merged in). */
    async get(tenantId: string): Promise<IdentityPolicy> {
      const now = deps.clock.now();
      const hit = cache.get(tenantId);
      if (hit && now - hit.loadedAt < CACHE_TTL_MS && now >= hit.loadedAt) return hit.policy;
      const row = await findPolicy(deps.db, tenantId);
      const policy = parseStoredPolicy(row?.policy);
      cache.set(tenantId, { policy, loadedAt: now });
      return policy;
    },
    /** Replaces fields of the tenant's policy; refuses values outside the safe bounds. */
    async update(actor: Principal, patch: Partial<IdentityPolicy>, context?: RequestContext) {
      const current = await this.get(actor.tenantId);
      const next = identityPolicySchema.parse({ ...current, ...patch });
      await deps.db.transaction().execute(async (trx) => {
        await upsertPolicy(trx, {
          tenant_id: actor.tenantId,
          policy: JSON.stringify(next),
          updated_at: deps.clock.now(),
          updated_by: actor.id,
        });
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'identity.policy.update',
          outcome: 'success',
          target: { type: 'identity_policy', id: actor.tenantId },
          details: { changed: Object.keys(patch).sort().join(',') },
          ...auditOrigin(context),
        });
      });
      cache.delete(actor.tenantId);
      return next;
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
