import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VigilApp } from '../http/build-app.ts';
import { ACCESS_PREFIX, caller, iso } from './access.http.ts';
import type { AccessModule } from './access.module.ts';
import { requirePermission } from './access.permissions.ts';
import {
  idParams,
  membersBody,
  queuesBody,
  teamBody,
  teamResponse,
  teamsResponse,
} from './access.schemas.ts';
import type { Team } from './access.teams.service.ts';

const teamBodyOf = (team: Team) => ({ ...team, createdAt: iso(team.createdAt) });

function registerTeamListAndCreateRoutes(app: VigilApp, access: AccessModule): void {
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
}

function registerTeamChangeRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const manage = { access: requirePermission('roles.manage') };
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

/** Teams scope supervisors' access and choose reviewers: listed by readers, changed by role managers. */
export function registerTeamRoutes(app: VigilApp, access: AccessModule): void {
  registerTeamListAndCreateRoutes(app, access);
  registerTeamChangeRoutes(app, access);
}
