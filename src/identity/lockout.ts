import { MINUTE_MS } from '../shared/clock.ts';
import { auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import type { UsersTable } from './identity.tables.ts';
import type { PolicyService } from './policy.service.ts';
import type { SessionService } from './sessions.service.ts';
import { incrementFailedAttempts, updateUser } from './users.queries.ts';

/**
 * PCI DSS 8.3.4: after `lockoutThreshold` failed attempts (passwords and second factors alike) the
 * account is locked for `lockoutMinutes`. The lock does not reveal itself: sign-in answers the same
 * generic error whether the password was wrong, the account unknown or locked.
 */
export function createLockout(
  deps: Pick<IdentityDeps, 'db' | 'clock' | 'audit'>,
  policies: PolicyService,
  sessions: SessionService,
) {
  return {
    isLocked(user: Pick<UsersTable, 'locked_until'>): boolean {
      const until = num(user.locked_until);
      return until !== null && until > deps.clock.now();
    },

    /** Counts a failed attempt, audits it, and locks the account when the threshold is reached. */
    async recordFailure(
      user: Pick<UsersTable, 'tenant_id' | 'id' | 'email'>,
      action: string,
      reason: string,
      context?: RequestContext,
    ): Promise<void> {
      const policy = await policies.get(user.tenant_id);
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const attempts = await incrementFailedAttempts(trx, user.tenant_id, user.id);
        await deps.audit.record(trx, {
          tenantId: user.tenant_id,
          actor: { type: 'anonymous', id: 'anonymous' },
          action,
          outcome: 'failure',
          target: { type: 'user', id: user.id },
          reason,
          details: { attempts },
          sensitive: { email: user.email },
          ...auditOrigin(context),
        });
        if (attempts < policy.lockoutThreshold) return;
        await updateUser(trx, user.tenant_id, user.id, {
          failed_attempts: 0,
          locked_until: now + policy.lockoutMinutes * MINUTE_MS,
          updated_at: now,
        });
        // A lockout from second-factor guessing on a live session ends that session too.
        await sessions.revokeAllForUser(trx, user.tenant_id, user.id, 'lockout');
        await deps.audit.record(trx, {
          tenantId: user.tenant_id,
          actor: { type: 'system', id: 'identity' },
          action: 'auth.lockout',
          outcome: 'success',
          target: { type: 'user', id: user.id },
          details: { minutes: policy.lockoutMinutes, threshold: policy.lockoutThreshold },
          ...auditOrigin(context),
        });
      });
    },
  };
}

export type Lockout = ReturnType<typeof createLockout>;
