import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../shared/principal.ts';
import { API_KEY_SCOPES, type ApiKeyService } from './api-keys.service.ts';
import { identityPolicyPatchSchema, identityPolicySchema } from './identity.policy.ts';
import { emailSchema, idParams, okBody, requestContext, roleSchema, userBody } from './identity.schemas.ts';
import type { MfaService } from './mfa.service.ts';
import type { PolicyService } from './policy.service.ts';
import type { User, UserService } from './users.service.ts';

export interface AdminRouteDeps {
  users: UserService;
  apiKeys: ApiKeyService;
  policies: PolicyService;
  mfa: MfaService;
}

/**
 * Permissions these routes declare, from the access layer's catalog. The authentication policy and
 * SSO providers are access configuration, so they share `access.manage`.
 */
export const IDENTITY_PERMISSIONS = {
  usersRead: 'users.read',
  usersManage: 'users.manage',
  apiKeysManage: 'apikeys.manage',
  policyManage: 'access.manage',
  ssoManage: 'access.manage',
} as const;

const pick = (u: User) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  status: u.status,
  roles: u.roles,
  mfa: u.mfa,
  sso: u.sso,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
  passwordChangedAt: u.passwordChangedAt,
  lastMfaAt: u.lastMfaAt,
});

const apiKeyBody = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
});

/** People are asked to re-verify MFA before security changes; machines (API keys) cannot. */
async function stepUp(mfa: MfaService, principal: Principal): Promise<void> {
  if (principal.kind === 'user') await mfa.requireRecentMfa(principal);
}

/** User administration, API keys and the tenant's identity policy. */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { users, apiKeys, policies, mfa } = deps;
  const read = { access: { kind: 'permission' as const, permission: IDENTITY_PERMISSIONS.usersRead } };
  const manage = { access: { kind: 'permission' as const, permission: IDENTITY_PERMISSIONS.usersManage } };
  const tags = ['users'];

  r.get(
    '/api/v1/users',
    {
      config: read,
      schema: {
        tags,
        summary: 'List users',
        querystring: z.object({
          status: z.enum(['invited', 'active', 'suspended', 'disabled']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          after: z.uuid().optional(),
        }),
        response: { 200: z.object({ users: z.array(userBody) }) },
      },
    },
    async (request) => {
      const { status, limit, after } = request.query;
      const list = await users.list(request.principal!.tenantId, {
        limit,
        ...(status ? { status } : {}),
        ...(after ? { afterId: after } : {}),
      });
      return { users: list.map(pick) };
    },
  );

  r.post(
    '/api/v1/users',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Invite a user (a one-time link is emailed)',
        body: z.object({
          email: emailSchema,
          displayName: z.string().trim().min(1).max(200),
          roles: z.array(roleSchema).max(20).default([]),
        }),
        response: { 201: userBody },
      },
    },
    async (request, reply) => {
      await stepUp(mfa, request.principal!);
      const { user } = await users.invite(request.principal!, request.body, requestContext(request));
      return reply.status(201).send(pick(user));
    },
  );

  r.get(
    '/api/v1/users/:id',
    {
      config: read,
      schema: { tags, summary: 'One user', params: idParams, response: { 200: userBody } },
    },
    async (request) => pick(await users.get(request.principal!.tenantId, request.params.id)),
  );

  r.post(
    '/api/v1/users/:id/suspend',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Suspend a user and end their sessions',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(200) }),
        response: { 200: userBody },
      },
    },
    async (request) =>
      pick(
        await users.suspend(
          request.principal!,
          request.params.id,
          request.body.reason,
          requestContext(request),
        ),
      ),
  );

  r.post(
    '/api/v1/users/:id/reactivate',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Reactivate a suspended or disabled user',
        params: idParams,
        response: { 200: userBody },
      },
    },
    async (request) => {
      await stepUp(mfa, request.principal!);
      return pick(await users.reactivate(request.principal!, request.params.id, requestContext(request)));
    },
  );

  r.post(
    '/api/v1/users/:id/reset-mfa',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Remove all second factors of a user (needs step-up)',
        params: idParams,
        response: { 200: okBody },
      },
    },
    async (request) => {
      await stepUp(mfa, request.principal!);
      await users.resetMfa(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );

  r.delete(
    '/api/v1/users/:id/sessions',
    {
      config: manage,
      schema: {
        tags,
        summary: "End all of a user's sessions",
        params: idParams,
        response: { 200: z.object({ revoked: z.number() }) },
      },
    },
    async (request) => ({
      revoked: await users.revokeSessions(request.principal!, request.params.id, requestContext(request)),
    }),
  );

  r.post(
    '/api/v1/users/:id/invitation',
    {
      config: manage,
      schema: { tags, summary: 'Send a fresh invitation link', params: idParams, response: { 200: okBody } },
    },
    async (request) => {
      await users.resendInvite(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );

  const keys = { access: { kind: 'permission' as const, permission: IDENTITY_PERMISSIONS.apiKeysManage } };
  r.get(
    '/api/v1/api-keys',
    {
      config: keys,
      schema: {
        tags: ['api-keys'],
        summary: 'List integration API keys',
        response: { 200: z.object({ apiKeys: z.array(apiKeyBody) }) },
      },
    },
    async (request) => ({ apiKeys: await apiKeys.list(request.principal!.tenantId) }),
  );

  r.post(
    '/api/v1/api-keys',
    {
      config: keys,
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (the secret is shown once)',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
          expiresAt: z.number().int().positive().nullable().default(null),
        }),
        response: { 201: z.object({ apiKey: apiKeyBody, secret: z.string() }) },
      },
    },
    async (request, reply) => {
      await stepUp(mfa, request.principal!);
      const { key, secret } = await apiKeys.create(request.principal!, request.body, requestContext(request));
      return reply.status(201).send({ apiKey: key, secret });
    },
  );

  r.delete(
    '/api/v1/api-keys/:id',
    {
      config: keys,
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: okBody },
      },
    },
    async (request) => {
      await apiKeys.revoke(request.principal!, request.params.id, requestContext(request));
      return { ok: true as const };
    },
  );

  const policy = { access: { kind: 'permission' as const, permission: IDENTITY_PERMISSIONS.policyManage } };
  r.get(
    '/api/v1/identity/policy',
    {
      config: policy,
      schema: {
        tags: ['identity'],
        summary: "The tenant's authentication policy",
        response: { 200: identityPolicySchema },
      },
    },
    async (request) => policies.get(request.principal!.tenantId),
  );

  r.put(
    '/api/v1/identity/policy',
    {
      config: policy,
      schema: {
        tags: ['identity'],
        summary: 'Change the authentication policy (needs step-up)',
        body: identityPolicyPatchSchema,
        response: { 200: identityPolicySchema },
      },
    },
    async (request) => {
      await stepUp(mfa, request.principal!);
      return policies.update(request.principal!, request.body, requestContext(request));
    },
  );
}
