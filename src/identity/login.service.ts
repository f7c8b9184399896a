import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { MINUTE_MS } from '../shared/clock.ts';
import { findLiveActionToken, issueActionToken, spendActionToken } from './action-tokens.ts';
import { auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { mfaRequiredFor } from './identity.policy.ts';
import type { SessionStage, UsersTable } from './identity.tables.ts';
import { normalizeEmail } from './identity.tokens.ts';
import type { Lockout } from './lockout.ts';
import { hasAnyFactor, loadMfaFactors } from './mfa.factors.ts';
import type { MfaProof, MfaService } from './mfa.service.ts';
import type { PasskeyService } from './passkeys.service.ts';
import type { PasswordService } from './passwords.service.ts';
import type { PolicyService } from './policy.service.ts';
import type { IssuedSession, SessionService } from './sessions.service.ts';
import type { Throttle } from './throttle.ts';
import { addActionTokenAttempt } from './tokens.queries.ts';
import { findUserByEmail, findUserById, listRoles, updateUser } from './users.queries.ts';

const MFA_CHALLENGE_TTL_MS = 5 * MINUTE_MS;
const MFA_CHALLENGE_ATTEMPTS = 5;

export type LoginResult =
  | { kind: 'session'; session: IssuedSession; userId: string }
  | {
      kind: 'mfa_required';
      challengeToken: string;
      methods: ('totp' | 'passkey' | 'recovery')[];
      passkeyOptions: PublicKeyCredentialRequestOptionsJSON | null;
      expiresAt: number;
    };

type Deps = Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'hasher' | 'tenancy' | 'mandatoryMfaRoles'>;

interface Services {
  policies: PolicyService;
  sessions: SessionService;
  passwords: PasswordService;
  lockout: Lockout;
  throttle: Throttle;
  mfa: MfaService;
  passkeys: PasskeyService;
}

/**
 * Password sign-in. Every failure path costs one Argon2id verification (a dummy one for unknown
 * emails) and answers the same INVALID_CREDENTIALS, so neither the message nor the timing tells
 * whether an account exists, is locked, or is suspended.
 */
export function createLoginService(deps: Deps, services: Services) {
  const { db, clock } = deps;
  const { policies, sessions, passwords, lockout, throttle, mfa, passkeys } = services;

  async function resolveTenantId(slug: string): Promise<string | null> {
    try {
      return (await deps.tenancy.getBySlug(slug)).id;
    } catch {
      return null;
    }
  }

  async function auditAnonymousFailure(
    tenantId: string,
    email: string,
    reason: string,
    context?: RequestContext,
  ) {
    await deps.audit.record(db, {
      tenantId,
      actor: { type: 'anonymous', id: 'anonymous' },
      action: 'auth.login',
      outcome: 'failure',
      reason,
      sensitive: { email },
      ...auditOrigin(context),
    });
  }

  /** Starts the session once every factor is satisfied (or what stage is left). */
  async function openSession(
    user: UsersTable,
    method: string,
    mfaVerifiedAt: number | null,
    stage: SessionStage,
    context?: RequestContext,
  ): Promise<IssuedSession> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      await updateUser(trx, user.tenant_id, user.id, {
        last_login_at: now,
        failed_attempts: 0,
        updated_at: now,
        ...(mfaVerifiedAt ? { last_mfa_at: now } : {}),
      });
      const session = await sessions.issue(trx, {
        tenantId: user.tenant_id,
        userId: user.id,
        stage,
        authMethod: method,
        mfaVerifiedAt,
        ...(context ? { context } : {}),
      });
      await deps.audit.record(trx, {
        tenantId: user.tenant_id,
        actor: { type: 'user', id: user.id, name: user.display_name },
        action: 'auth.login',
        outcome: 'success',
        target: { type: 'session', id: session.sessionId },
        details: { method, stage },
        ...auditOrigin(context),
      });
      return session;
    });
  }

  async function afterPassword(
    user: UsersTable,
    password: string,
    context?: RequestContext,
  ): Promise<LoginResult> {
    if (deps.hasher.needsRehash(user.password_hash!)) {
      // Transparent upgrade: the plain password is only ever in hand at sign-in.
      await updateUser(db, user.tenant_id, user.id, { password_hash: await deps.hasher.hash(password) });
    }
    const factors = await loadMfaFactors(db, user.tenant_id, user.id);
    if (hasAnyFactor(factors)) {
      const passkeyOptions =
        factors.passkeys > 0 ? await passkeys.authenticationOptions(user.tenant_id, user.id) : null;
      const issued = await issueActionToken(db, deps, {
        tenantId: user.tenant_id,
        userId: user.id,
        purpose: 'login_mfa',
        ttlMs: MFA_CHALLENGE_TTL_MS,
      });
      const methods: ('totp' | 'passkey' | 'recovery')[] = [];
      if (factors.totp) methods.push('totp');
      if (factors.passkeys > 0) methods.push('passkey');
      methods.push('recovery');
      return {
        kind: 'mfa_required',
        challengeToken: issued.token,
        methods,
        passkeyOptions,
        expiresAt: issued.expiresAt,
      };
    }
    const policy = await policies.get(user.tenant_id);
    const roles = (await listRoles(db, user.tenant_id, user.id)).map((r) => r.role);
    const needsEnrollment = mfaRequiredFor(policy, roles, deps.mandatoryMfaRoles);
    const expired = passwords.isExpired(policy, num(user.password_changed_at));
    const stage: SessionStage = expired ? 'password_change' : needsEnrollment ? 'mfa_enrollment' : 'full';
    const session = await openSession(user, 'password', null, stage, context);
    return { kind: 'session', session, userId: user.id };
  }

  return {
    /** Checks email and password; returns a session or an MFA challenge. */
    async login(
      input: { tenant: string; email: string; password: string },
      context?: RequestContext,
    ): Promise<LoginResult> {
      const tenantId = await resolveTenantId(input.tenant);
      if (!tenantId) {
        await deps.hasher.verifyDummy(input.password);
        throw identityError('INVALID_CREDENTIALS');
      }
      await throttle.check(tenantId, context?.ip);
      const user = await findUserByEmail(db, tenantId, normalizeEmail(input.email));
      if (!user?.password_hash) {
        await deps.hasher.verifyDummy(input.password);
        await throttle.recordFailure(tenantId, context?.ip);
        await auditAnonymousFailure(tenantId, input.email, user ? 'no_password' : 'unknown_account', context);
        throw identityError('INVALID_CREDENTIALS');
      }
      const locked = lockout.isLocked(user);
      const ok = await deps.hasher.verify(user.password_hash, input.password);
      if (!ok || locked || user.status !== 'active') {
        await throttle.recordFailure(tenantId, context?.ip);
        const reason = locked ? 'locked' : !ok ? 'bad_password' : `status_${user.status}`;
        // A locked account does not count further attempts: the lock would otherwise extend forever.
        if (locked || (ok && user.status !== 'active'))
          await auditAnonymousFailure(tenantId, input.email, reason, context);
        else await lockout.recordFailure(user, 'auth.login', reason, context);
        throw identityError('INVALID_CREDENTIALS');
      }
      return afterPassword(user, input.password, context);
    },

    /** Completes a sign-in with a second factor; failures count towards the lockout. */
    async completeMfa(
      challengeToken: string,
      proof: MfaProof,
      context?: RequestContext,
    ): Promise<LoginResult> {
      let challenge: Awaited<ReturnType<typeof findLiveActionToken>>;
      try {
        challenge = await findLiveActionToken(db, clock, challengeToken, 'login_mfa', MFA_CHALLENGE_ATTEMPTS);
      } catch {
        throw identityError('MFA_CHALLENGE_INVALID');
      }
      const user = await findUserById(db, challenge.tenant_id, challenge.user_id!);
      if (user?.status !== 'active') throw identityError('MFA_CHALLENGE_INVALID');
      try {
        await mfa.verify(user.tenant_id, user.id, proof, 'auth.login', context);
      } catch (error) {
        await addActionTokenAttempt(db, challenge.tenant_id, challenge.id);
        throw error;
      }
      const now = clock.now();
      const policy = await policies.get(user.tenant_id);
      const expired = passwords.isExpired(policy, num(user.password_changed_at));
      await spendActionToken(db, clock, challenge).catch(() => {
        throw identityError('MFA_CHALLENGE_INVALID');
      });
      const stage: SessionStage = expired ? 'password_change' : 'full';
      const session = await openSession(user, `password+${proof.method}`, now, stage, context);
      return { kind: 'session', session, userId: user.id };
    },
  };
}

export type LoginService = ReturnType<typeof createLoginService>;
