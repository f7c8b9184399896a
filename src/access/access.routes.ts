import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HttpModule, VigilApp } from '../http/build-app.ts';
import type { RoleView } from './access.admin.service.ts';
import { registerElevationRoutes } from './access.elevation.routes.ts';
import { ACCESS_PREFIX, caller, iso, toElevationBody } from './access.http.ts';
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
  idParams,
  membersBody,
  meResponse,
  policyBody,
  policyResponse,
  queuesBody,
  roleBody,
  roleParams,
  roleResponse,
  rolesResponse,
  roleUpdateBody,
  routeTableResponse,
  teamBody,
  teamResponse,
  teamsResponse,
} from './access.schemas.ts';
import type { Team } from './access.teams.service.ts';

const teamBodyOf = (team: Team) => ({ ...team, createdAt: iso(team.createdAt) });
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

function registerRoleRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: requirePermission('access.read') };
  const manage = { access: requirePermission('roles.manage') };
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

function registerTeamRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const manage = { access: requirePermission('roles.manage') };
  typed.get(
    `${ACCESS_PREFIX}/teams`,
    {
      config: { access: requirePermission('access.read') },
      schema: {
        tags: ['access'],
        summary: 'Teams, their queues and members',
        response: { 200: teamsResponse },
      },
    },
    async (request) => ({
      teams: (await access.teams.list(caller(request).principal.tenantId)).map(teamBodyOf),
    }),
  );
  typed.post(
    `${ACCESS_PREFIX}/teams`,
    {
      config: manage,
      schema: { tags: ['access'], summary: 'Create a team', body: teamBody, response: { 201: teamResponse } },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      return reply
        .status(201)
        .send({ team: teamBodyOf(await access.teams.create(principal, request.body, context)) });
    },
  );
  typed.put(
    `${ACCESS_PREFIX}/teams/:id/queues`,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: "Replace a team's queues",
        params: idParams,
        body: queuesBody,
        response: { 200: teamResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return {
        team: teamBodyOf(
          await access.teams.setQueues(principal, request.params.id, request.body.queues, context),
        ),
      };
    },
  );
  typed.put(
    `${ACCESS_PREFIX}/teams/:id/members`,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: "Replace a team's members",
        params: idParams,
        body: membersBody,
        response: { 200: teamResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return {
        team: teamBodyOf(
          await access.teams.setMembers(principal, request.params.id, request.body.members, context),
        ),
      };
    },
  );
  typed.delete(
    `${ACCESS_PREFIX}/teams/:id`,
    { config: manage, schema: { tags: ['access'], summary: 'Delete a team', params: idParams } },
    async (request, reply) => {
      const { principal, context } = caller(request);
      await access.teams.remove(principal, request.params.id, context);
      return reply.status(204).send();
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
      registerRoleRoutes(app, access);
      registerPolicyRoutes(app, access);
      registerTeamRoutes(app, access);
      registerElevationRoutes(app, access);
      registerReviewRoutes(app, access);
    },
  };
}
