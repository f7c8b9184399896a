import { HOUR_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { consoleLink, findLiveActionToken, issueActionToken, spendActionToken } from './action-tokens.ts';
import { auditActor, auditOrigin, type IdentityDeps, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { mfaRequiredFor } from './identity.policy.ts';
import type { SessionStage, UsersTable } from './identity.tables.ts';
import { normalizeEmail } from './identity.tokens.ts';
import type { Lockout } from './lockout.ts';
import { hasAnyFactor, loadMfaFactors } from './mfa.factors.ts';
import type { PasswordService } from './passwords.service.ts';
import type { PolicyService } from './policy.service.ts';
import type { IssuedSession, SessionService } from './sessions.service.ts';
import { expireActionTokens } from './tokens.queries.ts';
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertRole,
  insertUser,
  listRoles,
  updateUser,
} from './users.queries.ts';

export const BOOTSTRAP_TTL_MS = HOUR_MS;
export const RESET_TTL_MS = HOUR_MS;
/** The role the first administrator receives. */
export const BOOTSTRAP_ROLE = 'security_admin';

type Deps = Pick<
  IdentityDeps,
  | 'db'
  | 'clock'
  | 'ids'
  | 'audit'
  | 'hasher'
  | 'mailer'
  | 'publicUrl'
  | 'tenancy'
  | 'logger'
  | 'mandatoryMfaRoles'
>;

interface Services {
  policies: PolicyService;
  sessions: SessionService;
  passwords: PasswordService;
  lockout: Lockout;
}

/** First-run bootstrap, invitations, password reset and change: every way a password is set. */
export function createEnrollmentService(deps: Deps, services: Services) {
  const { db, clock } = deps;
  const { policies, sessions, passwords, lockout } = services;

  /** The stage a fresh session starts in after a password was just set. */
  async function stageAfterPassword(user: Pick<UsersTable, 'tenant_id' | 'id'>): Promise<SessionStage> {
    const policy = await policies.get(user.tenant_id);
    const roles = (await listRoles(db, user.tenant_id, user.id)).map((r) => r.role);
    if (!mfaRequiredFor(policy, roles, deps.mandatoryMfaRoles)) return 'full';
    return hasAnyFactor(await loadMfaFactors(db, user.tenant_id, user.id)) ? 'full' : 'mfa_enrollment';
  }

  function audit(
    trx: Parameters<typeof deps.audit.record>[0],
    tenantId: string,
    userId: string,
    action: string,
    context?: RequestContext,
    actor?: Principal,
  ) {
    return deps.audit.record(trx, {
      tenantId,
      action,
      outcome: 'success',
      target: { type: 'user', id: userId },
      actor: actor ? auditActor(actor) : { type: 'user', id: userId },
      ...auditOrigin(context),
    });
  }

  return {
    /**
     * While a tenant has no user, a one-time link (1 hour) lets the first administrator enrol;
     * each call voids the previous link. Returns null once any user exists.
     */
    async ensureBootstrapLink(tenantId: string): Promise<{ link: string; expiresAt: number } | null> {
      if ((await countUsers(db, tenantId)) > 0) return null;
      return db.transaction().execute(async (trx) => {
        await expireActionTokens(trx, tenantId, 'bootstrap', null, clock.now());
        const issued = await issueActionToken(trx, deps, {
          tenantId,
          userId: null,
          purpose: 'bootstrap',
          ttlMs: BOOTSTRAP_TTL_MS,
        });
        return { link: consoleLink(deps.publicUrl, 'enroll', issued.token), expiresAt: issued.expiresAt };
      });
    },

    /** Creates the first administrator from a bootstrap link and signs them in (MFA enrollment next). */
    async completeBootstrap(
      input: { token: string; email: string; displayName: string; password: string },
      context?: RequestContext,
    ): Promise<IssuedSession> {
      const link = await findLiveActionToken(db, clock, input.token, 'bootstrap');
      const tenantId = link.tenant_id;
      const now = clock.now();
      const draft = {
        tenant_id: tenantId,
        id: deps.ids.newId(),
        email: input.email.trim(),
        display_name: input.displayName.trim(),
        password_hash: null,
      };
      const hash = await passwords.prepare(draft, input.password, [BOOTSTRAP_ROLE]);
      return db.transaction().execute(async (trx) => {
        await spendActionToken(trx, clock, link);
        if ((await countUsers(trx, tenantId)) > 0) throw identityError('LINK_INVALID');
        await insertUser(trx, {
          ...draft,
          email_normalized: normalizeEmail(draft.email),
          status: 'active',
          password_changed_at: null,
          last_login_at: now,
          last_mfa_at: null,
          failed_attempts: 0,
          locked_until: null,
          external_id: null,
          status_reason: null,
          created_at: now,
          updated_at: now,
        });
        await insertRole(trx, {
          tenant_id: tenantId,
          user_id: draft.id,
          role: BOOTSTRAP_ROLE,
          granted_by: 'bootstrap',
          granted_at: now,
        });
        await passwords.store(trx, draft, hash);
        await audit(trx, tenantId, draft.id, 'users.bootstrap', context);
        return sessions.issue(trx, {
          tenantId,
          userId: draft.id,
          stage: 'mfa_enrollment',
          authMethod: 'bootstrap',
          mfaVerifiedAt: null,
          ...(context ? { context } : {}),
        });
      });
    },

    /** Sets the password of an invited user from their link and signs them in. */
    async acceptInvite(
      input: { token: string; password: string },
      context?: RequestContext,
    ): Promise<IssuedSession> {
      const link = await findLiveActionToken(db, clock, input.token, 'invite');
      const user = await findUserById(db, link.tenant_id, link.user_id!);
      if (user?.status !== 'invited') throw identityError('LINK_INVALID');
      const hash = await passwords.prepare(user, input.password);
      const stage = await stageAfterPassword(user);
      return db.transaction().execute(async (trx) => {
        await spendActionToken(trx, clock, link);
        await passwords.store(trx, user, hash);
        await updateUser(trx, user.tenant_id, user.id, { status: 'active', last_login_at: clock.now() });
        await audit(trx, user.tenant_id, user.id, 'users.invite.accept', context);
        return sessions.issue(trx, {
          tenantId: user.tenant_id,
          userId: user.id,
          stage,
          authMethod: 'invite',
          mfaVerifiedAt: null,
          ...(context ? { context } : {}),
        });
      });
    },

    /**
     * Emails a one-time reset link (1 hour) if the account exists and is active. The caller always
     * gets the same answer, and the email leaves in the background so timing reveals nothing.
     */
    async requestPasswordReset(
      input: { tenant: string; email: string },
      context?: RequestContext,
    ): Promise<void> {
      let tenantId: string;
      try {
        tenantId = (await deps.tenancy.getBySlug(input.tenant)).id;
      } catch {
        return;
      }
      const user = await findUserByEmail(db, tenantId, normalizeEmail(input.email));
      if (user?.status !== 'active' || user.external_id !== null) return;
      const token = await db.transaction().execute(async (trx) => {
        await expireActionTokens(trx, tenantId, 'reset', user.id, clock.now());
        const issued = await issueActionToken(trx, deps, {
          tenantId,
          userId: user.id,
          purpose: 'reset',
          ttlMs: RESET_TTL_MS,
        });
        await audit(trx, tenantId, user.id, 'auth.password.reset_request', context);
        return issued.token;
      });
      const link = consoleLink(deps.publicUrl, 'reset-password', token);
      void deps.mailer
        .sendLink({
          to: user.email,
          subject: 'Reset your Vigil password',
          purpose: 'reset',
          link,
          intro:
            'Someone (hopefully you) asked to reset your Vigil password. The link works once, for 1 hour:',
        })
        .catch((error: Error) =>
          deps.logger.error(
            { err: { name: error.name, code: (error as { code?: string }).code } },
            'password reset email failed',
          ),
        );
    },

    /** Sets a new password from a reset link; ends every session of the user. */
    async completePasswordReset(
      input: { token: string; password: string },
      context?: RequestContext,
    ): Promise<void> {
      const link = await findLiveActionToken(db, clock, input.token, 'reset');
      const user = await findUserById(db, link.tenant_id, link.user_id!);
      if (user?.status !== 'active') throw identityError('LINK_INVALID');
      const hash = await passwords.prepare(user, input.password);
      await db.transaction().execute(async (trx) => {
        await spendActionToken(trx, clock, link);
        await passwords.store(trx, user, hash);
        await sessions.revokeAllForUser(trx, user.tenant_id, user.id, 'password_reset');
        await audit(trx, user.tenant_id, user.id, 'auth.password.reset', context);
      });
    },

    /** Changes the caller's password: all sessions end and the caller gets a fresh one. */
    async changePassword(
      principal: Principal,
      input: { currentPassword: string; newPassword: string },
      context?: RequestContext,
    ): Promise<IssuedSession> {
      const user = await findUserById(db, principal.tenantId, principal.id);
      if (!user?.password_hash) throw identityError('USER_STATE');
      if (!(await deps.hasher.verify(user.password_hash, input.currentPassword))) {
        await lockout.recordFailure(user, 'auth.password.change', 'bad_password', context);
        throw identityError('PASSWORD_INCORRECT');
      }
      const hash = await passwords.prepare(user, input.newPassword);
      const stage = await stageAfterPassword(user);
      return db.transaction().execute(async (trx) => {
        await passwords.store(trx, user, hash);
        await sessions.revokeAllForUser(trx, user.tenant_id, user.id, 'password_change');
        await audit(trx, user.tenant_id, user.id, 'auth.password.change', context, principal);
        return sessions.issue(trx, {
          tenantId: user.tenant_id,
          userId: user.id,
          stage,
          authMethod: 'password_change',
          mfaVerifiedAt: principal.mfaVerifiedAt ?? null,
          ...(context ? { context } : {}),
        });
      });
    },
  };
}

export type EnrollmentService = ReturnType<typeof createEnrollmentService>;
