import type { FastifyRequest } from 'fastify';
import type { RequestSecurity, RouteAccess } from '../http/route-access.ts';
import type { Principal } from '../shared/principal.ts';
import type { ApiKeyService } from './api-keys.service.ts';
import { parseCookieHeader } from './identity.cookies.ts';
import { identityError } from './identity.errors.ts';
import type { SessionStage } from './identity.tables.ts';
import { safeEqual } from './identity.tokens.ts';
import type { SessionService } from './sessions.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Restricted session stages in which this route still serves (enrollment, password change). */
    allowedStages?: readonly SessionStage[];
  }
}

export const SESSION_COOKIE = 'vigil_session';
export const CSRF_COOKIE = 'vigil_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Reads one cookie from the raw header (no plugin: authentication runs for every module's routes). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return parseCookieHeader(header)[name];
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  return header.slice(7).trim();
}

/**
 * Cross-site request forgery defence for cookie-authenticated writes, two layers:
 * 1. an Origin header, when the browser sends one, must be the console's own origin;
 * 2. the `x-csrf-token` header must equal HMAC(tenant key, session id), which only a page that
 *    read it from the login response or the `vigil_csrf` cookie (same-origin JavaScript) knows.
 * SameSite=Strict on the session cookie is a third, browser-side layer. Bearer API keys are not
 * ambient credentials, so they need none of this.
 */
export function assertSameOrigin(request: FastifyRequest, allowedOrigins: ReadonlySet<string>): void {
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedOrigins.has(origin)) throw identityError('ORIGIN_REJECTED');
}

export interface IdentitySecurityDeps {
  sessions: Pick<SessionService, 'resolve' | 'csrfTokenFor'>;
  apiKeys: Pick<ApiKeyService, 'authenticate'>;
  /** Origins allowed to send cookie-authenticated writes (the console's public URL). */
  allowedOrigins: readonly string[];
}

/** The `authenticate` half of RequestSecurity: session cookie or `Authorization: Bearer vgl_...`. */
export function createIdentitySecurity(deps: IdentitySecurityDeps): Pick<RequestSecurity, 'authenticate'> {
  const origins = new Set(deps.allowedOrigins);

  async function fromApiKey(token: string, access: RouteAccess): Promise<Principal | null> {
    const principal = await deps.apiKeys.authenticate(token);
    if (!principal) throw identityError('API_KEY_INVALID');
    // Keys act for machines: integration routes by scope, permission routes as authorize decides;
    // the people-only routes (`authenticated`: own sessions, MFA, password) never take a key.
    if (access.kind === 'authenticated') throw identityError('API_KEY_SCOPE');
    if (access.kind === 'integration' && !principal.scopes?.includes(access.scope))
      throw identityError('API_KEY_SCOPE');
    return principal;
  }

  return {
    async authenticate(request, access) {
      const bearer = bearerToken(request);
      if (bearer !== undefined) return fromApiKey(bearer, access);
      if (access.kind === 'integration') return null;
      const cookie = readCookie(request, SESSION_COOKIE);
      if (!cookie) return null;
      const session = await deps.sessions.resolve(cookie);
      if (!session) return null;
      if (session.stage !== 'full' && !request.routeOptions.config.allowedStages?.includes(session.stage)) {
        if (session.stage === 'mfa_enrollment') throw identityError('MFA_ENROLLMENT_REQUIRED');
        if (session.stage === 'mfa_pending') throw identityError('STEP_UP_REQUIRED');
        throw identityError('STEP_UP_REQUIRED', 'your password has expired; change it to continue');
      }
      if (!SAFE_METHODS.has(request.method)) {
        assertSameOrigin(request, origins);
        const presented = request.headers[CSRF_HEADER];
        const expected = deps.sessions.csrfTokenFor(session.tenantId, session.sessionId);
        if (typeof presented !== 'string' || !safeEqual(presented, expected))
          throw identityError('CSRF_FAILED');
      }
      return {
        tenantId: session.tenantId,
        kind: 'user',
        id: session.userId,
        displayName: session.displayName,
        roles: session.roles,
        sessionId: session.sessionId,
        ...(session.mfaVerifiedAt !== null ? { mfaVerifiedAt: session.mfaVerifiedAt } : {}),
      };
    },
  };
}

/**
 * Until the access layer supplies its own: `authenticated` routes pass, `permission` routes need
 * the role `security_admin`, `integration` routes were already checked by scope.
 */
export const interimAuthorize: RequestSecurity['authorize'] = async (_request, principal, access) => {
  if (access.kind === 'permission' && !principal.roles.includes('security_admin')) {
    throw identityError('PERMISSION_DENIED', undefined, { details: { permission: access.permission } });
  }
};
