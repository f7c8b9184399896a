import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, okBody, requestContext, webauthnResponse } from './identity.schemas.ts';
import type { MfaService } from './mfa.service.ts';
import type { PasskeyService } from './passkeys.service.ts';

const tags = ['mfa'];
const ENROLL = ['mfa_enrollment'] as const;
const recoveryCodes = z.array(z.string()).nullable();

/** Own second factors: authenticator app (TOTP), passkeys, recovery codes. */
export function registerMfaRoutes(
  app: FastifyInstance,
  deps: { mfa: MfaService; passkeys: PasskeyService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { mfa, passkeys } = deps;

  r.get(
    '/api/v1/auth/mfa',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ENROLL },
      schema: {
        tags,
        summary: 'My second factors',
        response: {
          200: z.object({
            totp: z.boolean(),
            passkeys: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                createdAt: z.number(),
                lastUsedAt: z.number().nullable(),
              }),
            ),
            recoveryCodesLeft: z.number(),
            lastMfaAt: z.number().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      const status = await mfa.status(p.tenantId, p.id);
      return {
        totp: status.totp,
        passkeys: await passkeys.list(p.tenantId, p.id),
        recoveryCodesLeft: status.recoveryCodesLeft,
        lastMfaAt: status.lastMfaAt,
      };
    },
  );

  r.post(
    '/api/v1/auth/mfa/totp',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ENROLL },
      schema: {
        tags,
        summary: 'Start authenticator-app enrollment (secret, otpauth URI, QR code)',
        response: { 200: z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() }) },
      },
    },
    async (request) => mfa.beginTotp(request.principal!),
  );

  r.post(
    '/api/v1/auth/mfa/totp/confirm',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ENROLL },
      schema: {
        tags,
        summary: 'Confirm the authenticator app with a first code',
        body: z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') }),
        response: { 200: z.object({ recoveryCodes }) },
      },
    },
    async (request) => mfa.confirmTotp(request.principal!, request.body.code, requestContext(request)),
  );

  r.delete(
    '/api/v1/auth/mfa/totp',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Remove the authenticator app (needs step-up)', response: { 200: okBody } },
    },
    async (request) => {
      await mfa.removeTotp(request.principal!, requestContext(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/auth/mfa/passkeys/options',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ENROLL },
      schema: {
        tags,
        summary: 'WebAuthn options to register a passkey',
        response: { 200: z.object({ options: z.unknown() }) },
      },
    },
    async (request) => {
      await mfa.requireStepUpIfEnrolled(request.principal!);
      return { options: await passkeys.registrationOptions(request.principal!) };
    },
  );

  r.post(
    '/api/v1/auth/mfa/passkeys',
    {
      config: { access: { kind: 'authenticated' }, allowedStages: ENROLL },
      schema: {
        tags,
        summary: 'Register a passkey under a name',
        body: z.object({ name: z.string().trim().min(1).max(100), response: webauthnResponse }),
        response: {
          200: z.object({
            passkey: z.object({
              id: z.string(),
              name: z.string(),
              createdAt: z.number(),
              lastUsedAt: z.number().nullable(),
            }),
            recoveryCodes,
          }),
        },
      },
    },
    async (request) =>
      mfa.enrollPasskey(
        request.principal!,
        request.body.name,
        request.body.response as unknown as RegistrationResponseJSON,
        requestContext(request),
      ),
  );

  r.delete(
    '/api/v1/auth/mfa/passkeys/:id',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'Remove a passkey (needs step-up)',
        params: idParams,
        response: { 200: okBody },
      },
    },
    async (request) => {
      await mfa.removePasskey(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/auth/mfa/recovery-codes',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'Replace my recovery codes (needs step-up; shown once)',
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
    },
    async (request) => ({
      recoveryCodes: await mfa.regenerateRecoveryCodes(request.principal!, requestContext(request)),
    }),
  );
}
