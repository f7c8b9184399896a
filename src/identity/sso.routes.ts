import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAppError } from '../shared/errors.ts';
import type { Principal } from '../shared/principal.ts';
import { IDENTITY_PERMISSIONS } from './admin.routes.ts';
import { idParams, okBody, requestContext, roleSchema, setSessionCookies } from './identity.schemas.ts';
import type { MfaService } from './mfa.service.ts';
import type { OidcProviderRegistry } from './sso.providers.ts';
import type { SsoService } from './sso.service.ts';

export interface SsoRouteDeps {
  sso: SsoService;
  ssoProviders: OidcProviderRegistry;
  mfa: MfaService;
  publicUrl: string;
  now(): number;
}

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2-40 lowercase letters, digits or dashes');
const providerBody = z.object({
  id: z.string(),
  slug: z.string(),
  displayName: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  scopes: z.array(z.string()),
  groupsClaim: z.string(),
  groupRoles: z.record(z.string(), z.array(z.string())),
  jitProvisioning: z.boolean(),
  enabled: z.boolean(),
});

async function stepUp(mfa: MfaService, principal: Principal): Promise<void> {
  if (principal.kind === 'user') await mfa.requireRecentMfa(principal);
}

/** OpenID Connect sign-in (browser redirects) and provider administration. */
export function registerSsoRoutes(app: FastifyInstance, deps: SsoRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sso'];
  const consoleUrl = (path: string) => `${deps.publicUrl}${path}`;

  r.get(
    '/api/v1/auth/sso/:tenant/:provider/start',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Redirect to the identity provider',
        params: z.object({ tenant: slug, provider: slug }),
      },
    },
    async (request, reply) =>
      reply.redirect(await deps.sso.startLogin(request.params.tenant, request.params.provider), 302),
  );

  r.get(
    '/api/v1/auth/sso/:tenant/providers',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary:
          "The tenant's enabled single sign-on providers for the sign-in page: display names and start URLs only",
        params: z.object({ tenant: slug }),
        response: {
          200: z.object({
            providers: z.array(z.object({ displayName: z.string(), startUrl: z.string() })),
          }),
        },
      },
    },
    async (request) => ({ providers: await deps.sso.signInOptions(request.params.tenant) }),
  );

  r.get(
    '/api/v1/auth/sso/callback',
    {
      config: { access: { kind: 'public' } },
      schema: {
        tags,
        summary: 'Where the identity provider sends the browser back',
        querystring: z.object({ state: z.string().max(200).optional() }).passthrough(),
      },
    },
    async (request, reply) => {
      try {
        const result = await deps.sso.completeLogin(
          new URL(request.url, deps.publicUrl),
          requestContext(request),
        );
        setSessionCookies(reply, result.session, deps.now());
        const landing = {
          full: '/',
          mfa_enrollment: '/enroll-mfa',
          mfa_pending: '/verify-mfa',
          password_change: '/',
        };
        return reply.redirect(consoleUrl(landing[result.session.stage]), 302);
      } catch (error) {
        // The browser lands on the console with a stable code, never the IdP's error text.
        const code = isAppError(error) ? error.code.toLowerCase() : 'sso_failed';
        if (!isAppError(error)) request.log.error({ err: error }, 'sso callback failed');
        return reply.redirect(consoleUrl(`/login#error=${code}`), 302);
      }
    },
  );

  const manage = { access: { kind: 'permission' as const, permission: IDENTITY_PERMISSIONS.ssoManage } };
  r.get(
    '/api/v1/sso/providers',
    {
      config: manage,
      schema: {
        tags,
        summary: 'OpenID Connect providers of this tenant',
        response: { 200: z.object({ providers: z.array(providerBody), callbackUrl: z.string() }) },
      },
    },
    async (request) => ({
      providers: await deps.ssoProviders.list(request.principal!.tenantId),
      callbackUrl: deps.sso.callbackUrl,
    }),
  );

  r.put(
    '/api/v1/sso/providers/:slug',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create or update a provider (needs step-up)',
        params: z.object({ slug }),
        body: z.object({
          displayName: z.string().trim().min(1).max(100),
          issuer: z.url().max(500),
          clientId: z.string().min(1).max(300),
          clientSecret: z.string().min(1).max(1000).nullable().optional(),
          scopes: z
            .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/))
            .max(20)
            .optional(),
          groupsClaim: z.string().min(1).max(100).optional(),
          groupRoles: z.record(z.string().max(200), z.array(roleSchema).max(20)).default({}),
          jitProvisioning: z.boolean().default(false),
          enabled: z.boolean().default(true),
        }),
        response: { 200: providerBody },
      },
    },
    async (request) => {
      await stepUp(deps.mfa, request.principal!);
      return deps.ssoProviders.save(
        request.principal!,
        { ...request.body, slug: request.params.slug },
        requestContext(request),
      );
    },
  );

  r.delete(
    '/api/v1/sso/providers/:id',
    {
      config: manage,
      schema: { tags, summary: 'Remove a provider', params: idParams, response: { 200: okBody } },
    },
    async (request) => {
      await stepUp(deps.mfa, request.principal!);
      await deps.ssoProviders.remove(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );
}
