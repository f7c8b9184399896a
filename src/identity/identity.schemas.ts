import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from './identity.context.ts';
import { serializeCookie } from './identity.cookies.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './identity.security.ts';
import type { IssuedSession } from './sessions.service.ts';

/** Request/response shapes of the identity routes; every string is bounded. */
export const emailSchema = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
export const passwordSchema = z.string().min(1).max(1024);
export const tenantSlugSchema = z.string().min(2).max(40).default('default');
export const tokenSchema = z.string().min(10).max(200);
export const idParams = z.object({ id: z.uuid() });
export const roleSchema = z.string().min(1).max(64);

export const sessionBody = z.object({
  status: z.literal('signed_in'),
  stage: z.enum(['full', 'mfa_enrollment', 'mfa_pending', 'password_change']),
  csrfToken: z.string(),
  expiresAt: z.number(),
});

export const mfaRequiredBody = z.object({
  status: z.literal('mfa_required'),
  challengeToken: z.string(),
  methods: z.array(z.enum(['totp', 'passkey', 'recovery'])),
  passkeyOptions: z.unknown().nullable(),
  expiresAt: z.number(),
});

/** A WebAuthn response as the browser's JSON serialisation gives it (verified by simplewebauthn). */
export const webauthnResponse = z
  .object({ id: z.string().max(1024), rawId: z.string().max(1024), type: z.literal('public-key') })
  .passthrough();

export const mfaProofSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: z.string().regex(/^\d{6}$/, 'must be 6 digits') }),
  z.object({ method: z.literal('recovery'), code: z.string().min(10).max(20) }),
  z.object({ method: z.literal('passkey'), response: webauthnResponse }),
]);

export const userBody = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['invited', 'active', 'suspended', 'disabled']),
  roles: z.array(z.string()),
  mfa: z.object({ totp: z.boolean(), passkeys: z.number() }),
  sso: z.boolean(),
  createdAt: z.number(),
  lastLoginAt: z.number().nullable(),
  passwordChangedAt: z.number().nullable(),
  lastMfaAt: z.number().nullable(),
});

export const okBody = z.object({ ok: z.literal(true) });

export function requestContext(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    requestId: request.id,
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
}

/**
 * The session cookie is HttpOnly (scripts cannot read it), Secure, SameSite=Strict (never sent
 * on a cross-site request) and host-only. The CSRF cookie is readable by the console's scripts,
 * which echo it in `x-csrf-token`; it is useless without the session cookie.
 */
export function setSessionCookies(reply: FastifyReply, session: IssuedSession, now: number): void {
  const maxAgeSeconds = Math.max(1, Math.floor((session.expiresAt - now) / 1000));
  reply.header('set-cookie', [
    serializeCookie(SESSION_COOKIE, session.token, { httpOnly: true, maxAgeSeconds }),
    serializeCookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, maxAgeSeconds }),
  ]);
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.header('set-cookie', [
    serializeCookie(SESSION_COOKIE, '', { httpOnly: true, maxAgeSeconds: 0 }),
    serializeCookie(CSRF_COOKIE, '', { httpOnly: false, maxAgeSeconds: 0 }),
  ]);
}

export function sessionResponse(session: IssuedSession) {
  return {
    status: 'signed_in' as const,
    stage: session.stage,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}
