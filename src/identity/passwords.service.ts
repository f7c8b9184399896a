import type { DbOrTransaction } from '../audit/index.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { IdentityDeps } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { type IdentityPolicy, mfaRequiredFor } from './identity.policy.ts';
import type { UsersTable } from './identity.tables.ts';
import { hasAnyFactor, loadMfaFactors } from './mfa.factors.ts';
import { checkPasswordPolicy } from './password.policy.ts';
import type { PolicyService } from './policy.service.ts';
import { insertPasswordHistory, listPasswordHistory, listRoles, updateUser } from './users.queries.ts';

type UserRow = Pick<UsersTable, 'tenant_id' | 'id' | 'email' | 'display_name' | 'password_hash'>;

/**
 * Setting a password is two steps: `prepare` checks the policy and hashes (slow, outside any
 * transaction), `store` writes the hash and the history row inside the caller's transaction.
 */
export function createPasswordService(
  deps: Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'hasher' | 'pwnedPasswordsFile' | 'mandatoryMfaRoles'>,
  policies: PolicyService,
) {
  async function reusesHistory(user: UserRow, password: string, policy: IdentityPolicy): Promise<boolean> {
    if (policy.historyCount === 0) return false;
    const previous = await listPasswordHistory(deps.db, user.tenant_id, user.id, policy.historyCount);
    for (const entry of previous) if (await deps.hasher.verify(entry.password_hash, password)) return true;
    return false;
  }

  return {
    /** Validates a new password for this user and returns its Argon2id hash. */
    async prepare(user: UserRow, password: string, extraRoles: readonly string[] = []): Promise<string> {
      const policy = await policies.get(user.tenant_id);
      const roles = (await listRoles(deps.db, user.tenant_id, user.id)).map((r) => r.role);
      const factors = await loadMfaFactors(deps.db, user.tenant_id, user.id);
      // The shorter minimum applies only when a second factor will be required or is in place.
      const hasMfa =
        hasAnyFactor(factors) || mfaRequiredFor(policy, [...roles, ...extraRoles], deps.mandatoryMfaRoles);
      await checkPasswordPolicy(
        password,
        policy,
        { email: user.email, displayName: user.display_name, hasMfa },
        deps.pwnedPasswordsFile,
      );
      if (await reusesHistory(user, password, policy)) throw identityError('PASSWORD_REUSED');
      return deps.hasher.hash(password);
    },

    /** Writes a prepared hash and remembers it for the history rule. */
    async store(trx: DbOrTransaction, user: UserRow, passwordHash: string): Promise<void> {
      const now = deps.clock.now();
      await updateUser(trx, user.tenant_id, user.id, {
        password_hash: passwordHash,
        password_changed_at: now,
        failed_attempts: 0,
        locked_until: null,
        updated_at: now,
      });
      await insertPasswordHistory(trx, {
        tenant_id: user.tenant_id,
        id: deps.ids.newId(),
        user_id: user.id,
        password_hash: passwordHash,
        created_at: now,
      });
    },

    /** Whether the tenant's rotation rule (off by default) makes this password due for a change. */
    isExpired(policy: IdentityPolicy, passwordChangedAt: number | null): boolean {
      if (policy.rotationDays === null || passwordChangedAt === null) return false;
      return deps.clock.now() - passwordChangedAt > policy.rotationDays * DAY_MS;
    },
  };
}

export type PasswordService = ReturnType<typeof createPasswordService>;
