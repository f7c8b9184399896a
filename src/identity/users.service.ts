import type { DbOrTransaction } from '../audit/index.ts';
import { DAY_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { consoleLink, issueActionToken } from './action-tokens.ts';
import { auditActor, auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import type { UserStatus, UsersTable } from './identity.tables.ts';
import { normalizeEmail } from './identity.tokens.ts';
import { loadMfaFactors, type MfaFactors } from './mfa.factors.ts';
import { deleteAllPasskeys, deleteTotp, replaceRecoveryCodes } from './mfa.queries.ts';
import type { SessionService } from './sessions.service.ts';
import { expireActionTokens } from './tokens.queries.ts';
import {
  deleteRole,
  findUserByEmail,
  findUserById,
  insertRole,
  insertUser,
  listRoles,
  listUsers,
  updateUser,
} from './users.queries.ts';

export const INVITE_TTL_MS = 3 * DAY_MS;
const ROLE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

/** A user as services and routes see it; never the password hash. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  status: UserStatus;
  roles: string[];
  mfa: MfaFactors;
  sso: boolean;
  createdAt: number;
  lastLoginAt: number | null;
  passwordChangedAt: number | null;
  lastMfaAt: number | null;
}

type Deps = Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'mailer' | 'publicUrl' | 'isKnownRole'>;

export function createUserService(deps: Deps, sessions: SessionService) {
  const { db, clock } = deps;

  async function toUser(row: UsersTable): Promise<User> {
    const [roles, mfa] = await Promise.all([
      listRoles(db, row.tenant_id, row.id),
      loadMfaFactors(db, row.tenant_id, row.id),
    ]);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      email: row.email,
      displayName: row.display_name,
      status: row.status,
      roles: roles.map((r) => r.role),
      mfa,
      sso: row.external_id !== null,
      createdAt: Number(row.created_at),
      lastLoginAt: num(row.last_login_at),
      passwordChangedAt: num(row.password_changed_at),
      lastMfaAt: num(row.last_mfa_at),
    };
  }

  async function requireUser(db2: DbOrTransaction, tenantId: string, id: string): Promise<UsersTable> {
    const row = await findUserById(db2, tenantId, id);
    if (!row) throw identityError('USER_NOT_FOUND');
    return row;
  }

  async function checkRole(tenantId: string, role: string): Promise<void> {
    if (!ROLE_NAME.test(role) || !(await deps.isKnownRole(tenantId, role))) {
      throw identityError('ROLE_INVALID', 'role name is not a known role', { details: { role } });
    }
  }

  async function audited(
    actor: Principal,
    action: string,
    targetId: string,
    context?: RequestContext,
    details?: Record<string, string | number | boolean | null>,
    change?: (trx: DbOrTransaction) => Promise<void>,
  ) {
    await db.transaction().execute(async (trx) => {
      if (change) await change(trx);
      await deps.audit.record(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action,
        outcome: 'success',
        target: { type: 'user', id: targetId },
        ...(details ? { details } : {}),
        ...auditOrigin(context),
      });
    });
  }

  return {
    toUser,
    requireUser: (tenantId: string, id: string) => requireUser(db, tenantId, id),

    /** Creates an invited user and emails a one-time link to set a password (valid 3 days). */
    async invite(
      actor: Principal,
      input: { email: string; displayName: string; roles: string[] },
      context?: RequestContext,
    ): Promise<{ user: User; link: string }> {
      const email = input.email.trim();
      if (await findUserByEmail(db, actor.tenantId, normalizeEmail(email)))
        throw identityError('USER_EXISTS');
      for (const role of input.roles) await checkRole(actor.tenantId, role);
      const now = clock.now();
      const id = deps.ids.newId();
      let token = '';
      await db.transaction().execute(async (trx) => {
        await insertUser(trx, {
          tenant_id: actor.tenantId,
          id,
          email,
          email_normalized: normalizeEmail(email),
          display_name: input.displayName.trim(),
          status: 'invited',
          password_hash: null,
          password_changed_at: null,
          last_login_at: null,
          last_mfa_at: null,
          failed_attempts: 0,
          locked_until: null,
          external_id: null,
          status_reason: null,
          created_at: now,
          updated_at: now,
        });
        for (const role of new Set(input.roles)) {
          await insertRole(trx, {
            tenant_id: actor.tenantId,
            user_id: id,
            role,
            granted_by: actor.id,
            granted_at: now,
          });
        }
        ({ token } = await issueActionToken(trx, deps, {
          tenantId: actor.tenantId,
          userId: id,
          purpose: 'invite',
          ttlMs: INVITE_TTL_MS,
        }));
        await deps.audit.record(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'users.invite',
          outcome: 'success',
          target: { type: 'user', id },
          details: { roles: [...new Set(input.roles)].sort().join(',') },
          sensitive: { email },
          ...auditOrigin(context),
        });
      });
      const link = consoleLink(deps.publicUrl, 'invite', token);
      await deps.mailer.sendLink({
        to: email,
        subject: 'You are invited to Vigil',
        purpose: 'invite',
        link,
        intro: `${actor.displayName} invited you to Vigil. Open this link within 3 days to choose a password:`,
      });
      return { user: await toUser((await findUserById(db, actor.tenantId, id))!), link };
    },

    async list(tenantId: string, options: { status?: UserStatus; limit?: number; afterId?: string } = {}) {
      const rows = await listUsers(db, tenantId, { ...options, limit: Math.min(options.limit ?? 100, 500) });
      return Promise.all(rows.map(toUser));
    },

    async get(tenantId: string, id: string): Promise<User> {
      return toUser(await requireUser(db, tenantId, id));
    },

    /** Suspends a user and ends all their sessions at once (PCI 8.2.5 for leavers too). */
    async suspend(actor: Principal, id: string, reason: string, context?: RequestContext): Promise<User> {
      const row = await requireUser(db, actor.tenantId, id);
      if (row.status === 'suspended') throw identityError('USER_STATE');
      await audited(actor, 'users.suspend', id, context, { reason: reason.slice(0, 200) }, async (trx) => {
        await updateUser(trx, actor.tenantId, id, {
          status: 'suspended',
          status_reason: reason.slice(0, 200),
          updated_at: clock.now(),
        });
        await sessions.revokeAllForUser(trx, actor.tenantId, id, 'suspended');
      });
      return this.get(actor.tenantId, id);
    },

    /** Brings a suspended or disabled user back; the dormancy clock restarts from now. */
    async reactivate(actor: Principal, id: string, context?: RequestContext): Promise<User> {
      const row = await requireUser(db, actor.tenantId, id);
      if (row.status !== 'suspended' && row.status !== 'disabled') throw identityError('USER_STATE');
      const now = clock.now();
      const status: UserStatus = row.password_hash || row.external_id ? 'active' : 'invited';
      await audited(actor, 'users.reactivate', id, context, undefined, (trx) =>
        updateUser(trx, actor.tenantId, id, {
          status,
          status_reason: null,
          last_login_at: now,
          failed_attempts: 0,
          locked_until: null,
          updated_at: now,
        }),
      );
      return this.get(actor.tenantId, id);
    },

    /** Removes every second factor and recovery code; the user enrols again at next sign-in. */
    async resetMfa(actor: Principal, id: string, context?: RequestContext): Promise<void> {
      await requireUser(db, actor.tenantId, id);
      await audited(actor, 'auth.mfa.reset', id, context, undefined, async (trx) => {
        await deleteTotp(trx, actor.tenantId, id);
        await deleteAllPasskeys(trx, actor.tenantId, id);
        await replaceRecoveryCodes(trx, actor.tenantId, id, []);
        await sessions.revokeAllForUser(trx, actor.tenantId, id, 'mfa_reset');
      });
    },

    /** An administrator ends all sessions of a user. */
    async revokeSessions(actor: Principal, id: string, context?: RequestContext): Promise<number> {
      await requireUser(db, actor.tenantId, id);
      let count = 0;
      await audited(actor, 'auth.session.revoke_all', id, context, undefined, async (trx) => {
        count = await sessions.revokeAllForUser(trx, actor.tenantId, id, 'admin');
      });
      return count;
    },

    /** Re-sends an invitation with a fresh link, voiding earlier ones. */
    async resendInvite(actor: Principal, id: string, context?: RequestContext): Promise<string> {
      const row = await requireUser(db, actor.tenantId, id);
      if (row.status !== 'invited') throw identityError('USER_STATE');
      let token = '';
      await audited(actor, 'users.invite', id, context, { resent: true }, async (trx) => {
        await expireActionTokens(trx, actor.tenantId, 'invite', id, clock.now());
        ({ token } = await issueActionToken(trx, deps, {
          tenantId: actor.tenantId,
          userId: id,
          purpose: 'invite',
          ttlMs: INVITE_TTL_MS,
        }));
      });
      const link = consoleLink(deps.publicUrl, 'invite', token);
      await deps.mailer.sendLink({
        to: row.email,
        subject: 'You are invited to Vigil',
        purpose: 'invite',
        link,
        intro: 'Open this link within 3 days to choose your Vigil password:',
      });
      return link;
    },

    /** The roles a user holds (role names; the access layer defines what they allow). */
    async listUserRoles(tenantId: string, userId: string): Promise<string[]> {
      return (await listRoles(db, tenantId, userId)).map((r) => r.role);
    },

    /** Grants a role; idempotent. Returns false when the user already held it. */
    async grantRole(
      actor: Principal,
      userId: string,
      role: string,
      context?: RequestContext,
    ): Promise<boolean> {
      await requireUser(db, actor.tenantId, userId);
      await checkRole(actor.tenantId, role);
      let added = false;
      await audited(actor, 'users.role.grant', userId, context, { role }, async (trx) => {
        added = await insertRole(trx, {
          tenant_id: actor.tenantId,
          user_id: userId,
          role,
          granted_by: actor.id,
          granted_at: clock.now(),
        });
      });
      return added;
    },

    /** Revokes a role; returns false when the user did not hold it. */
    async revokeRole(
      actor: Principal,
      userId: string,
      role: string,
      context?: RequestContext,
    ): Promise<boolean> {
      await requireUser(db, actor.tenantId, userId);
      let removed = false;
      await audited(actor, 'users.role.revoke', userId, context, { role }, async (trx) => {
        removed = await deleteRole(trx, actor.tenantId, userId, role);
      });
      return removed;
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
