import type { AuditRecorder } from '../audit/index.ts';
import {
  type CompiledRedactionPolicy,
  compileRedactionPolicy,
  RedactionPolicyError,
  type RedactionPolicyInput,
} from '../redaction/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Storage } from '../storage/index.ts';
import { findRedactionPolicy, upsertRedactionPolicy } from './redaction-policy.queries.ts';

export interface RedactionPolicyDeps {
  storage: Pick<Storage, 'db'>;
  clock: Clock;
  audit: AuditRecorder;
  /** How long a node trusts its cached copy; another node's change is seen after at most this. */
  cacheTtlMs?: number;
}

function compile(input: RedactionPolicyInput): CompiledRedactionPolicy {
  try {
    // Stored documents always use typed placeholders so views can highlight spans by type.
    return compileRedactionPolicy({ ...input, placeholder: 'type' });
  } catch (error) {
    if (error instanceof RedactionPolicyError) {
      throw new AppError('REDACTION_POLICY_INVALID', 'invalid', error.message, {
        details: { issues: error.issues },
      });
    }
    throw error;
  }
}

/** Each tenant's redaction policy: safe by default (every entity type), compiled once and cached. */
export function createRedactionPolicyService(deps: RedactionPolicyDeps) {
  const { db } = deps.storage;
  const ttl = deps.cacheTtlMs ?? 30_000;
  const cache = new Map<
    string,
    { input: RedactionPolicyInput; compiled: CompiledRedactionPolicy; loadedAt: number }
  >();

  async function entry(tenantId: string) {
    const cached = cache.get(tenantId);
    if (cached && deps.clock.now() - cached.loadedAt < ttl) return cached;
    const row = await findRedactionPolicy(db, tenantId);
    const input = row ? (JSON.parse(row.policy) as RedactionPolicyInput) : {};
    const fresh = { input, compiled: compile(input), loadedAt: deps.clock.now() };
    cache.set(tenantId, fresh);
    return fresh;
  }

  return {
    async policyFor(tenantId: string): Promise<CompiledRedactionPolicy> {
      return (await entry(tenantId)).compiled;
    },
    async get(tenantId: string): Promise<RedactionPolicyInput> {
      return (await entry(tenantId)).input;
    },
    /** Validates, stores and audits a new policy; an invalid one is refused whole with the fields named. */
    async set(
      tenantId: string,
      input: RedactionPolicyInput,
      actor: { type: 'user' | 'api_key' | 'system'; id: string },
    ): Promise<void> {
      const compiled = compile(input);
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await upsertRedactionPolicy(trx, {
          tenant_id: tenantId,
          policy: JSON.stringify(input),
          updated_at: now,
          updated_by: actor.id,
        });
        await deps.audit.record(trx, {
          tenantId,
          actor,
          action: 'redaction.policy.update',
          outcome: 'success',
          target: { type: 'redaction_policy', id: tenantId },
        });
      });
      cache.set(tenantId, { input, compiled, loadedAt: now });
    },
  };
}

export type RedactionPolicyService = ReturnType<typeof createRedactionPolicyService>;
