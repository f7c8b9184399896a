import * as oidc from 'openid-client';
import type { DbOrTransaction } from '../audit/index.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { findLiveActionToken, issueActionToken, spendActionToken } from './action-tokens.ts';
import { auditOrigin, type IdentityDeps, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { mfaRequiredFor } from './identity.policy.ts';
import type { OidcProvidersTable, SessionStage, UsersTable } from './identity.tables.ts';
import { normalizeEmail, openSecret, sealSecret } from './identity.tokens.ts';
import { hasAnyFactor, loadMfaFactors } from './mfa.factors.ts';
import type { PolicyService } from './policy.service.ts';
import type { IssuedSession, SessionService } from './sessions.service.ts';
import type { OidcProviderRegistry } from './sso.providers.ts';
import {
  deleteRole,
  findUserByEmail,
  findUserByExternalId,
  insertRole,
  insertUser,
  listRoles,
  updateUser,
} from './users.queries.ts';

const STATE_TTL_MS = 10 * MINUTE_MS;
/** `amr` values (RFC 8176) that show the IdP itself performed multi-factor authentication. */
const MFA_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm']);

export type SsoLoginResult = { kind: 'session'; session: IssuedSession };

type Deps = Pick<
  IdentityDeps,
  'db' | 'clock' | 'ids' | 'audit' | 'secretKey' | 'publicUrl' | 'tenancy' | 'mandatoryMfaRoles'
>;

interface Claims {
  sub: string;
  email?: string;
  name?: string;
  email_verified?: boolean;
  amr?: string[];
  [claim: string]: unknown;
}

/**
 * OpenID Connect sign-in (authorization code + PKCE + nonce) with group-to-role mapping and
 * just-in-time provisioning. The `state` is a one-time `vgt_` token: it names the tenant and
 * holds the sealed PKCE verifier and nonce, so any node can finish a login another node began.
 */
export function createSsoService(
  deps: Deps,
  services: { registry: OidcProviderRegistry; sessions: SessionService; policies: PolicyService },
) {
  const { db, clock } = deps;
  const { registry, sessions, policies } = services;
  const callbackUrl = `${deps.publicUrl.replace(/\/+$/, '')}/api/v1/auth/sso/callback`;
  const stateContext = (tenantId: string) => `oidc-state:${tenantId}`;

  /** Grants the roles the IdP groups map to, removes SSO-granted roles no longer mapped. */
  async function syncRoles(
    trx: DbOrTransaction,
    provider: OidcProvidersTable,
    userId: string,
    groups: string[],
  ) {
    const mapping = JSON.parse(provider.group_roles) as Record<string, string[]>;
    const wanted = new Set(groups.flatMap((g) => mapping[g] ?? []));
    const grantedBy = `sso:${provider.id}`;
    const current = await listRoles(trx, provider.tenant_id, userId);
    for (const role of wanted) {
      if (!current.some((r) => r.role === role)) {
        await insertRole(trx, {
          tenant_id: provider.tenant_id,
          user_id: userId,
          role,
          granted_by: grantedBy,
          granted_at: clock.now(),
        });
      }
    }
    for (const held of current) {
      if (held.granted_by === grantedBy && !wanted.has(held.role))
        await deleteRole(trx, provider.tenant_id, userId, held.role);
    }
  }

  async function findOrProvision(provider: OidcProvidersTable, claims: Claims): Promise<UsersTable> {
    const externalId = `${provider.issuer}|${claims.sub}`;
    const linked = await findUserByExternalId(db, provider.tenant_id, externalId);
    if (linked) return linked;
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    if (!email) throw identityError('SSO_NO_ACCOUNT');
    const byEmail = await findUserByEmail(db, provider.tenant_id, normalizeEmail(email));
    // Linking by email trusts the IdP's statement that it verified the address.
    if (byEmail && byEmail.external_id === null && claims.email_verified === true) {
      await updateUser(db, provider.tenant_id, byEmail.id, {
        external_id: externalId,
        updated_at: clock.now(),
      });
      return { ...byEmail, external_id: externalId };
    }
    if (byEmail || Number(provider.jit_provisioning) !== 1) throw identityError('SSO_NO_ACCOUNT');
    const now = clock.now();
    const row: UsersTable = {
      tenant_id: provider.tenant_id,
      id: deps.ids.newId(),
      email,
      email_normalized: normalizeEmail(email),
      display_name: typeof claims.name === 'string' ? claims.name.slice(0, 200) : email,
      status: 'active',
      password_hash: null,
      password_changed_at: null,
      last_login_at: null,
      last_mfa_at: null,
      failed_attempts: 0,
      locked_until: null,
      external_id: externalId,
      status_reason: null,
      created_at: now,
      updated_at: now,
    };
    await insertUser(db, row);
    await deps.audit.record(db, {
      tenantId: provider.tenant_id,
      actor: { type: 'system', id: `sso:${provider.slug}` },
      action: 'users.provision',
      outcome: 'success',
      target: { type: 'user', id: row.id },
      sensitive: { email },
    });
    return row;
  }

  return {
    callbackUrl,

    /**
     * What the sign-in page offers for the tenant the person typed: enabled providers' display
     * names and start URLs, nothing else. An unknown or suspended tenant answers exactly like a
     * tenant without providers, so the route cannot be used to find out which tenants exist.
     */
    async signInOptions(tenantSlug: string): Promise<{ displayName: string; startUrl: string }[]> {
      const tenant = await deps.tenancy.getBySlug(tenantSlug).catch(() => null);
      if (tenant?.status !== 'active') return [];
      const base = `${deps.publicUrl.replace(/\/+$/, '')}/api/v1/auth/sso/${tenant.slug}`;
      return (await registry.list(tenant.id))
        .filter((p) => p.enabled)
        .map((p) => ({ displayName: p.displayName, startUrl: `${base}/${p.slug}/start` }));
    },

    /** The IdP URL to send the browser to. */
    async startLogin(tenantSlug: string, providerSlug: string): Promise<string> {
      const tenant = await deps.tenancy.getBySlug(tenantSlug).catch(() => {
        throw identityError('SSO_PROVIDER_NOT_FOUND');
      });
      const provider = await registry.findBySlug(tenant.id, providerSlug);
      const config = await registry.configuration(provider);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const sealed = sealSecret(
        deps.secretKey(tenant.id),
        JSON.stringify({ verifier, nonce, providerId: provider.id }),
        stateContext(tenant.id),
      );
      const { token: state } = await issueActionToken(db, deps, {
        tenantId: tenant.id,
        userId: null,
        purpose: 'oidc',
        ttlMs: STATE_TTL_MS,
        data: sealed,
      });
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: callbackUrl,
        scope: provider.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).href;
    },

    /** Finishes the login from the callback URL the IdP redirected to. */
    async completeLogin(currentUrl: URL, context?: RequestContext): Promise<SsoLoginResult> {
      const state = currentUrl.searchParams.get('state') ?? '';
      const link = await findLiveActionToken(db, clock, state, 'oidc').catch(() => {
        throw identityError('SSO_FAILED');
      });
      await spendActionToken(db, clock, link);
      const { verifier, nonce, providerId } = JSON.parse(
        openSecret(deps.secretKey(link.tenant_id), link.data!, stateContext(link.tenant_id)),
      ) as { verifier: string; nonce: string; providerId: string };
      const provider = await registry.findById(link.tenant_id, providerId);
      const config = await registry.configuration(provider);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
      } catch {
        throw identityError('SSO_FAILED');
      }
      const claims = tokens.claims() as Claims;
      const user = await findOrProvision(provider, claims);
      if (user.status !== 'active') throw identityError('SSO_NO_ACCOUNT');
      const groups = Array.isArray(claims[provider.groups_claim])
        ? (claims[provider.groups_claim] as unknown[]).map(String)
        : [];
      const idpMfa = (claims.amr ?? []).some((m) => MFA_AMR.has(m));
      const policy = await policies.get(provider.tenant_id);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await syncRoles(trx, provider, user.id, groups);
        const roles = (await listRoles(trx, provider.tenant_id, user.id)).map((r) => r.role);
        const localFactors = hasAnyFactor(await loadMfaFactors(trx, provider.tenant_id, user.id));
        // An IdP that did MFA satisfies the policy; otherwise the user's own factors must be
        // verified (step-up) or, if they have none, enrolled before the session serves anything.
        const needsMfa = !idpMfa && mfaRequiredFor(policy, roles, deps.mandatoryMfaRoles);
        const stage: SessionStage = !needsMfa ? 'full' : localFactors ? 'mfa_pending' : 'mfa_enrollment';
        await updateUser(trx, provider.tenant_id, user.id, {
          last_login_at: now,
          failed_attempts: 0,
          updated_at: now,
          ...(idpMfa ? { last_mfa_at: now } : {}),
        });
        const refresh = tokens.refresh_token
          ? sealSecret(
              deps.secretKey(provider.tenant_id),
              tokens.refresh_token,
              `oidc-refresh:${provider.tenant_id}:${user.id}`,
            )
          : null;
        const session = await sessions.issue(trx, {
          tenantId: provider.tenant_id,
          userId: user.id,
          stage,
          authMethod: `oidc:${provider.slug}`,
          mfaVerifiedAt: idpMfa ? now : null,
          sso: { providerId: provider.id, refreshTokenSealed: refresh },
          ...(context ? { context } : {}),
        });
        await deps.audit.record(trx, {
          tenantId: provider.tenant_id,
          actor: { type: 'user', id: user.id, name: user.display_name },
          action: 'auth.login',
          outcome: 'success',
          target: { type: 'session', id: session.sessionId },
          details: { method: `oidc:${provider.slug}`, stage, idpMfa },
          ...auditOrigin(context),
        });
        return { kind: 'session' as const, session };
      });
    },

    /** Asks the IdP whether the user behind an SSO session is still allowed (refresh grant). */
    async checkSession(
      tenantId: string,
      row: { id: string; user_id: string; sso_provider_id: string | null; sso_refresh_enc: string | null },
    ): Promise<'valid' | 'revoked' | 'unreachable'> {
      const provider = await registry.findById(tenantId, row.sso_provider_id!).catch(() => null);
      if (!provider || !row.sso_refresh_enc) return 'revoked';
      const refreshToken = openSecret(
        deps.secretKey(tenantId),
        row.sso_refresh_enc,
        `oidc-refresh:${tenantId}:${row.user_id}`,
      );
      try {
        const config = await registry.configuration(provider);
        const tokens = await oidc.refreshTokenGrant(config, refreshToken);
        const sealed = tokens.refresh_token
          ? sealSecret(
              deps.secretKey(tenantId),
              tokens.refresh_token,
              `oidc-refresh:${tenantId}:${row.user_id}`,
            )
          : row.sso_refresh_enc;
        await sessions.recordSsoCheck(tenantId, row.id, sealed);
        return 'valid';
      } catch (error) {
        // An OAuth error answer (invalid_grant: user deactivated, consent withdrawn) ends the session;
        // a network failure does not, the next run asks again.
        if (error instanceof oidc.ResponseBodyError) return 'revoked';
        return 'unreachable';
      }
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
