import type { DbOrTransaction } from '../audit/index.ts';
import { HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { auditActor, auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import type { SessionStage } from './identity.tables.ts';
import { hashToken, hmac, newToken, parseToken } from './identity.tokens.ts';
import type { PolicyService } from './policy.service.ts';
import {
  findSessionById,
  findSessionByTokenHash,
  insertSession,
  listLiveSessions,
  promoteSessionStage,
  revokeUserSessions,
  touchSession,
  updateSession,
} from './sessions.queries.ts';
import { listRoles } from './users.queries.ts';

/**
 * last_seen_at is written at most once per TOUCH_INTERVAL_MS per session, so reads do not turn
 * into writes; the idle check therefore errs on the early side by at most this much, never late.
 */
const TOUCH_INTERVAL_MS = 30_000;

export interface IssuedSession {
  sessionId: string;
  /** The cookie value: shown to the client once, stored only as a hash. */
  token: string;
  csrfToken: string;
  expiresAt: number;
  stage: SessionStage;
}

export interface ResolvedSession {
  tenantId: string;
  sessionId: string;
  userId: string;
  displayName: string;
  stage: SessionStage;
  roles: string[];
  mfaVerifiedAt: number | null;
}

export interface IssueSessionInput {
  tenantId: string;
  userId: string;
  stage: SessionStage;
  authMethod: string;
  mfaVerifiedAt: number | null;
  context?: RequestContext;
  sso?: { providerId: string; refreshTokenSealed: string | null };
}

export function createSessionService(
  deps: Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'secretKey'>,
  policies: PolicyService,
) {
  const { db, clock } = deps;

  function csrfTokenFor(tenantId: string, sessionId: string): string {
    return hmac(deps.secretKey(tenantId), `csrf:${sessionId}`);
  }

  return {
    csrfTokenFor,

    /** Creates a session inside the caller's transaction. A fresh token every time: no fixation. */
    async issue(trx: DbOrTransaction, input: IssueSessionInput): Promise<IssuedSession> {
      const policy = await policies.get(input.tenantId);
      const now = clock.now();
      const token = newToken('vgs', input.tenantId);
      const sessionId = deps.ids.newId();
      const expiresAt = now + policy.absoluteLifetimeHours * HOUR_MS;
      await insertSession(trx, {
        tenant_id: input.tenantId,
        id: sessionId,
        user_id: input.userId,
        token_hash: hashToken(token),
        stage: input.stage,
        auth_method: input.authMethod,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        mfa_verified_at: input.mfaVerifiedAt,
        ip: input.context?.ip?.slice(0, 64) ?? null,
        user_agent: input.context?.userAgent?.slice(0, 512) ?? null,
        revoked_at: null,
        revoked_reason: null,
        sso_provider_id: input.sso?.providerId ?? null,
        sso_refresh_enc: input.sso?.refreshTokenSealed ?? null,
        sso_checked_at: input.sso ? now : null,
      });
      return {
        sessionId,
        token,
        csrfToken: csrfTokenFor(input.tenantId, sessionId),
        expiresAt,
        stage: input.stage,
      };
    },

    /** The live session behind a cookie value, or null (expired, idle, revoked, user not active). */
    async resolve(presented: string): Promise<ResolvedSession | null> {
      const parsed = parseToken('vgs', presented);
      if (!parsed) return null;
      const row = await findSessionByTokenHash(db, parsed.tenantId, hashToken(parsed.token));
      if (!row || row.revoked_at !== null || row.user_status !== 'active') return null;
      const now = clock.now();
      const policy = await policies.get(parsed.tenantId);
      const lastSeen = Number(row.last_seen_at);
      if (Number(row.expires_at) <= now || now - lastSeen >= policy.idleTimeoutMinutes * MINUTE_MS)
        return null;
      if (now - lastSeen >= TOUCH_INTERVAL_MS) {
        await touchSession(db, parsed.tenantId, row.id, now, now - TOUCH_INTERVAL_MS);
      }
      const roles = await listRoles(db, parsed.tenantId, row.user_id);
      return {
        tenantId: parsed.tenantId,
        sessionId: row.id,
        userId: row.user_id,
        displayName: row.display_name,
        stage: row.stage,
        roles: roles.map((r) => r.role),
        mfaVerifiedAt: num(row.mfa_verified_at),
      };
    },

    /** Records a completed second factor on the session (step-up, enrollment). */
    async markMfaVerified(trx: DbOrTransaction, tenantId: string, sessionId: string, at: number) {
      await updateSession(trx, tenantId, sessionId, { mfa_verified_at: at });
      await promoteSessionStage(trx, tenantId, sessionId, 'mfa_enrollment', 'full');
      await promoteSessionStage(trx, tenantId, sessionId, 'mfa_pending', 'full');
    },

    /** Records a successful IdP re-check (and the rotated refresh token, if any). */
    async recordSsoCheck(tenantId: string, sessionId: string, refreshSealed: string | null): Promise<void> {
      await updateSession(db, tenantId, sessionId, {
        sso_checked_at: clock.now(),
        sso_refresh_enc: refreshSealed,
      });
    },

    async listOwn(principal: Principal) {
      const rows = await listLiveSessions(db, principal.tenantId, principal.id, clock.now());
      return rows.map((row) => ({
        id: row.id,
        current: row.id === principal.sessionId,
        authMethod: row.auth_method,
        createdAt: Number(row.created_at),
        lastSeenAt: Number(row.last_seen_at),
        expiresAt: Number(row.expires_at),
        ip: row.ip,
        userAgent: row.user_agent,
      }));
    },

    /** Revokes one of the caller's own sessions (another user's is a 404). */
    async revokeOwn(principal: Principal, sessionId: string, context?: RequestContext): Promise<void> {
      const row = await findSessionById(db, principal.tenantId, sessionId);
      if (!row || row.user_id !== principal.id || row.revoked_at !== null)
        throw identityError('SESSION_NOT_FOUND');
      await db.transaction().execute(async (trx) => {
        await updateSession(trx, principal.tenantId, sessionId, {
          revoked_at: clock.now(),
          revoked_reason: 'user',
        });
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: sessionId === principal.sessionId ? 'auth.logout' : 'auth.session.revoke',
          outcome: 'success',
          target: { type: 'session', id: sessionId },
          ...auditOrigin(context),
        });
      });
    },

    /** Revokes every session of a user inside the caller's transaction; returns how many. */
    revokeAllForUser(
      trx: DbOrTransaction,
      tenantId: string,
      userId: string,
      reason: string,
      exceptId?: string,
    ) {
      return revokeUserSessions(trx, tenantId, userId, clock.now(), reason, exceptId);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
