import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EnrollmentService } from './enrollment.service.ts';
import { identityError } from './identity.errors.ts';
import {
  clearSessionCookies,
  emailSchema,
  idParams,
  mfaProofSchema,
  mfaRequiredBody,
  okBody,
  passwordSchema,
  requestContext,
  sessionBody,
  sessionResponse,
  setSessionCookies,
  tenantSlugSchema,
  tokenSchema,
} from './identity.schemas.ts';
import { assertSameOrigin } from './identity.security.ts';
import type { LoginResult, LoginService } from './login.service.ts';
import type { MfaProof, MfaService } from './mfa.service.ts';
import type { PasskeyService } from './passkeys.service.ts';
import type { SessionService } from './sessions.service.ts';

export interface AuthRouteDeps {
  login: LoginService;
  enrollment: EnrollmentService;
  sessions: SessionService;
  mfa: MfaService;
  passkeys: PasskeyService;
  allowedOrigins: readonly string[];
  now(): number;
}

const ALL_STAGES = ['mfa_enrollment', 'mfa_pending', 'password_change'] as const;
const tags = ['auth'];

/** Sign-in, sign-out, own sessions, password and step-up. */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const origins = new Set(deps.allowedOrigins);
  const loginReply = (result: LoginResult, reply: FastifyReply) => {
    if (result.kind === 'mfa_required') {
      const { kind: _kind, ...rest } = result;
      return { status: 'mfa_required' as const, ...rest };
    }
    setSessionCookies(reply, result.session, deps.now());
    return sessionResponse(result.session);
  };

  r.post(
    '/api/v1/auth/login',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Sign in with email and password',
        body: z.object({ tenant: tenantSlugSchema, email: emailSchema, password: passwordSchema }),
        response: { 200: z.union([sessionBody, mfaRequiredBody]) },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request, origins);
      return loginReply(await deps.login.login(request.body, requestContext(request)), reply);
    },
  );

  r.post(
    '/api/v1/auth/login/mfa',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Complete a sign-in with a second factor',
        body: z.object({ challengeToken: tokenSchema, proof: mfaProofSchema }),
        response: { 200: z.union([sessionBody, mfaRequiredBody]) },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request, origins);
      const result = await deps.login.completeMfa(
        request.body.challengeToken,
        request.body.proof as MfaProof,
        requestContext(request),
      );
      return loginReply(result, reply);
    },
  );

  r.post(
    '/api/v1/auth/bootstrap',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Create the first administrator from the one-time enrollment link',
        body: z.object({
          token: tokenSchema,
          email: emailSchema,
          displayName: z.string().trim().min(1).max(200),
          password: passwordSchema,
        }),
        response: { 200: sessionBody },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request, origins);
      const session = await deps.enrollment.completeBootstrap(request.body, requestContext(request));
      setSessionCookies(reply, session, deps.now());
      return sessionResponse(session);
    },
  );

  r.post(
    '/api/v1/auth/invitation/accept',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Accept an invitation by choosing a password',
        body: z.object({ token: tokenSchema, password: passwordSchema }),
        response: { 200: sessionBody },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request, origins);
      const session = await deps.enrollment.acceptInvite(request.body, requestContext(request));
      setSessionCookies(reply, session, deps.now());
      return sessionResponse(session);
    },
  );

  r.post(
    '/api/v1/auth/password-reset/request',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Email a password-reset link (same answer whether or not the account exists)',
        body: z.object({ tenant: tenantSlugSchema, email: emailSchema }),
        response: { 202: okBody },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request, origins);
      await deps.enrollment.requestPasswordReset(request.body, requestContext(request));
      return reply.status(202).send({ ok: true as const });
    },
  );

  r.post(
    '/api/v1/auth/password-reset/complete',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Set a new password from a reset link (ends every session)',
        body: z.object({ token: tokenSchema, password: passwordSchema }),
        response: { 200: okBody },
      },
    },
    async (request) => {
      assertSameOrigin(request, origins);
      await deps.enrollment.completePasswordReset(request.body, requestContext(request));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/auth/session',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ALL_STAGES },
      schema: {
        tags,
        summary: 'The current session and its user',
        response: {
          200: z.object({
            tenantId: z.string(),
            userId: z.string(),
            displayName: z.string(),
            roles: z.array(z.string()),
            sessionId: z.string(),
            mfaVerifiedAt: z.number().nullable(),
            csrfToken: z.string(),
          }),
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      return {
        tenantId: p.tenantId,
        userId: p.id,
        displayName: p.displayName,
        roles: p.roles,
        sessionId: p.sessionId!,
        mfaVerifiedAt: p.mfaVerifiedAt ?? null,
        csrfToken: deps.sessions.csrfTokenFor(p.tenantId, p.sessionId!),
      };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ALL_STAGES },
      schema: { tags, summary: 'Sign out (ends this session)', response: { 200: okBody } },
    },
    async (request, reply) => {
      const p = request.principal!;
      await deps.sessions.revokeOwn(p, p.sessionId!, requestContext(request));
      clearSessionCookies(reply);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/auth/sessions',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'My live sessions',
        response: {
          200: z.object({
            sessions: z.array(
              z.object({
                id: z.string(),
                current: z.boolean(),
                authMethod: z.string(),
                createdAt: z.number(),
                lastSeenAt: z.number(),
                expiresAt: z.number(),
                ip: z.string().nullable(),
                userAgent: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ sessions: await deps.sessions.listOwn(request.principal!) }),
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Revoke one of my sessions', params: idParams, response: { 200: okBody } },
    },
    async (request) => {
      await deps.sessions.revokeOwn(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ['password_change'] },
      schema: {
        tags,
        summary: 'Change my password (ends all my sessions; this one is renewed)',
        body: z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }),
        response: { 200: sessionBody },
      },
    },
    async (request, reply) => {
      const session = await deps.enrollment.changePassword(
        request.principal!,
        request.body,
        requestContext(request),
      );
      setSessionCookies(reply, session, deps.now());
      return sessionResponse(session);
    },
  );

  r.post(
    '/api/v1/auth/step-up/passkey-options',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ['mfa_pending'] },
      schema: {
        tags,
        summary: 'WebAuthn options to re-verify with a passkey',
        response: { 200: z.object({ options: z.unknown() }) },
      },
    },
    async (request) => {
      const p = request.principal!;
      const options = await deps.passkeys.authenticationOptions(p.tenantId, p.id);
      if (!options) throw identityError('MFA_NOT_ENROLLED');
      return { options };
    },
  );

  r.post(
    '/api/v1/auth/step-up',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ['mfa_pending'] },
      schema: {
        tags,
        summary: 'Re-verify a second factor for sensitive operations (step-up)',
        body: z.object({ proof: mfaProofSchema }),
        response: { 200: z.object({ mfaVerifiedAt: z.number() }) },
      },
    },
    async (request) => ({
      mfaVerifiedAt: await deps.mfa.stepUp(
        request.principal!,
        request.body.proof as MfaProof,
        requestContext(request),
      ),
    }),
  );
}
