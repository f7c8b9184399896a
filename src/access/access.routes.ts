import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HttpModule, VigilApp } from '../http/build-app.ts';
import type { RoleView } from './access.admin.service.ts';
import { registerElevationRoutes } from './access.elevation.routes.ts';
import { ACCESS_PREFIX, caller, toElevationBody } from './access.http.ts';
import type { AccessModule } from './access.module.ts';
import {
  FIELD_NAMES,
  FIELDS,
  PERMISSION_NAMES,
  PERMISSIONS,
  requirePermission,
} from './access.permissions.ts';
import { registerReviewRoutes } from './access.review.routes.ts';
import {
  catalogResponse,
  meResponse,
  policyBody,
  policyResponse,
  roleBody,
  roleParams,
  roleResponse,
  rolesResponse,
  roleUpdateBody,
  routeTableResponse,
} from './access.schemas.ts';
import { registerTeamRoutes } from './access.teams.routes.ts';

const roleBodyOf = (role: RoleView) => ({
  ...role,
  grants: [...role.grants],
  fields: { ...role.fields },
  windows: role.windows.map((w) => ({ ...w, days: [...w.days] })),
});

function registerCallerRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    `${ACCESS_PREFIX}/permissions`,
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['access'],
        summary: 'The permission and field catalog',
        response: { 200: catalogResponse },
      },
    },
    async () => ({
      permissions: PERMISSION_NAMES.map((name) => ({ name, ...PERMISSIONS[name] })),
      fields: FIELD_NAMES.map((name) => ({ name, description: FIELDS[name] })),
    }),
  );
  typed.get(
    `${ACCESS_PREFIX}/me`,
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['access'],
        summary:
          'What the caller may do right now, through which role or elevation, and which fields they see',
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const permissions = [];
      for (const permission of PERMISSION_NAMES) {
        const allowed = await access.gate.explain(principal, permission, context);
        if (allowed.allowed) permissions.push({ permission, via: allowed.via, grantedBy: allowed.grantedBy });
      }
      const elevations = await access.elevations.list(principal.tenantId, {
        userId: principal.id,
        status: 'approved',
        limit: 50,
      });
      return {
        roles: principal.roles,
        permissions,
        fields: await access.fieldsFor(principal),
        elevations: elevations.map(toElevationBody),
      };
    },
  );
}

/** The live authorization table: every route, what it requires, and which roles hold that. */
function registerRouteTable(app: VigilApp, access: AccessModule): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${ACCESS_PREFIX}/routes`,
    {
      config: { access: requirePermission('access.read') },
      schema: {
        tags: ['access'],
        summary:
          'Every API route with the permission it requires and the roles that hold it (evidence for PCI DSS 7.2)',
        response: { 200: routeTableResponse },
      },
    },
    async (request) => {
      const roles = await access.admin.listRoles(caller(request).principal.tenantId);
      const holders = (permission: string) =>
        roles.filter((r) => r.grants.some((g) => g.permission === permission)).map((r) => r.name);
      return {
        routes: app.declaredRoutes
          .filter((r) => r.method !== 'HEAD')
          .map((r) => ({
            method: r.method,
            url: r.url,
            access: r.access.kind,
            permission: r.access.kind === 'permission' ? r.access.permission : null,
            scope: r.access.kind === 'integration' ? r.access.scope : null,
            roles: r.access.kind === 'permission' ? holders(r.access.permission) : [],
          })),
      };
    },
  );
}

function registerRoleReadRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: requirePermission('access.read') };
  typed.get(
    `${ACCESS_PREFIX}/roles`,
    {
      config: read,
      schema: { tags: ['access'], summary: 'Built-in and custom roles', response: { 200: rolesResponse } },
    },
    async (request) => ({
      roles: (await access.admin.listRoles(caller(request).principal.tenantId)).map(roleBodyOf),
    }),
  );
  typed.get(
    `${ACCESS_PREFIX}/roles/:name`,
    {
      config: read,
      schema: { tags: ['access'], summary: 'One role', params: roleParams, response: { 200: roleResponse } },
    },
    async (request) => ({
      role: roleBodyOf(await access.admin.getRole(caller(request).principal.tenantId, request.params.name)),
    }),
  );
}

function registerRoleWriteRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const manage = { access: requirePermission('roles.manage') };
  typed.post(
    `${ACCESS_PREFIX}/roles`,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: 'Create a custom role',
        body: roleBody,
        response: { 201: roleResponse },
      },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      return reply
        .status(201)
        .send({ role: roleBodyOf(await access.admin.createRole(principal, request.body, context)) });
    },
  );
  typed.put(
    `${ACCESS_PREFIX}/roles/:name`,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: 'Replace a custom role',
        params: roleParams,
        body: roleUpdateBody,
        response: { 200: roleResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return {
        role: roleBodyOf(
          await access.admin.updateRole(principal, request.params.name, request.body, context),
        ),
      };
    },
  );
  typed.delete(
    `${ACCESS_PREFIX}/roles/:name`,
    {
      config: manage,
      schema: { tags: ['access'], summary: 'Delete a custom role nobody holds', params: roleParams },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      await access.admin.deleteRole(principal, request.params.name, context);
      return reply.status(204).send();
    },
  );
}

function registerPolicyRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    `${ACCESS_PREFIX}/policy`,
    {
      config: { access: requirePermission('access.read') },
      schema: {
        tags: ['access'],
        summary: 'Network zones, conditions, time windows and settings',
        response: { 200: policyResponse },
      },
    },
    async (request) => ({ policy: await access.admin.getPolicy(caller(request).principal.tenantId) }),
  );
  typed.put(
    `${ACCESS_PREFIX}/policy`,
    {
      config: { access: requirePermission('access.manage') },
      schema: {
        tags: ['access'],
        summary: 'Replace the access policy',
        body: policyBody,
        response: { 200: policyResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return { policy: await access.admin.updatePolicy(principal, request.body, context) };
    },
  );
}

/** Access control's HTTP routes, all under /api/v1/access. */
export function accessHttpModule(access: AccessModule): HttpModule {
  return {
    name: 'access',
    register(app) {
      registerCallerRoutes(app, access);
      registerRouteTable(app, access);
      registerRoleReadRoutes(app, access);
      registerRoleWriteRoutes(app, access);
      registerPolicyRoutes(app, access);
      registerTeamRoutes(app, access);
      registerElevationRoutes(app, access);
      registerReviewRoutes(app, access);
    },
  };
}
