import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VigilApp } from '../http/build-app.ts';
import { ACCESS_PREFIX, caller, toElevationBody } from './access.http.ts';
import type { AccessModule } from './access.module.ts';
import { requirePermission } from './access.permissions.ts';
import {
  breakGlassBody,
  decisionNoteBody,
  denyBody,
  elevationBody,
  elevationResponse,
  elevationsQuery,
  elevationsResponse,
  idParams,
} from './access.schemas.ts';

function registerAskRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    `${ACCESS_PREFIX}/elevations`,
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['access'],
        summary: 'Ask for a role or permission for a limited time, with a reason',
        body: elevationBody,
        response: { 201: elevationResponse },
      },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      const elevation = await access.elevations.request(principal, request.body, context);
      return reply.status(201).send({ elevation: toElevationBody(elevation) });
    },
  );
  typed.get(
    `${ACCESS_PREFIX}/elevations`,
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['access'],
        summary: "The caller's elevations; with all=true everyone's (approvers and access readers)",
        querystring: elevationsQuery,
        response: { 200: elevationsResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const { all, status, limit, before } = request.query;
      const seeAll =
        all === 'true' &&
        ((await access.gate.holds(principal, 'access.elevate.approve', context)) ||
          (await access.gate.holds(principal, 'access.read', context)));
      const elevations = await access.elevations.list(principal.tenantId, {
        ...(seeAll ? {} : { userId: principal.id }),
        ...(status ? { status } : {}),
        ...(before ? { before } : {}),
        limit,
      });
      const last = elevations.at(-1);
      return {
        elevations: elevations.map(toElevationBody),
        nextBefore: elevations.length === limit && last ? last.id : null,
      };
    },
  );
}

function registerApproveRoute(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const approve = { access: requirePermission('access.elevate.approve') };
  typed.post(
    `${ACCESS_PREFIX}/elevations/:id/approve`,
    {
      config: approve,
      schema: {
        tags: ['access'],
        summary: "Approve someone else's pending elevation request",
        params: idParams,
        body: decisionNoteBody,
        response: { 200: elevationResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const elevation = await access.elevations.approve(
        principal,
        request.params.id,
        request.body.note,
        context,
      );
      return { elevation: toElevationBody(elevation) };
    },
  );
}

function registerDenyAndRevokeRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const approve = { access: requirePermission('access.elevate.approve') };
  typed.post(
    `${ACCESS_PREFIX}/elevations/:id/deny`,
    {
      config: approve,
      schema: {
        tags: ['access'],
        summary: 'Deny a pending elevation request, saying why',
        params: idParams,
        body: denyBody,
        response: { 200: elevationResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const elevation = await access.elevations.deny(
        principal,
        request.params.id,
        request.body.note,
        context,
      );
      return { elevation: toElevationBody(elevation) };
    },
  );
  typed.post(
    `${ACCESS_PREFIX}/elevations/:id/revoke`,
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['access'],
        summary: 'End an elevation early (the holder, or an approver)',
        params: idParams,
        response: { 200: elevationResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const mayManage = await access.gate.holds(principal, 'access.elevate.approve', context);
      const elevation = await access.elevations.revoke(principal, request.params.id, mayManage, context);
      return { elevation: toElevationBody(elevation) };
    },
  );
}

function registerBreakGlassRoute(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    `${ACCESS_PREFIX}/break-glass`,
    {
      config: { access: requirePermission('access.breakglass') },
      schema: {
        tags: ['access'],
        summary: 'Open emergency access to a role: mandatory reason, alert raised, short, every use audited',
        body: breakGlassBody,
        response: { 201: elevationResponse },
      },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      const elevation = await access.elevations.breakGlass(principal, request.body, context);
      return reply.status(201).send({ elevation: toElevationBody(elevation) });
    },
  );
}

/** Just-in-time elevation: anyone asks, approvers decide, holders give back; break-glass for emergencies. */
export function registerElevationRoutes(app: VigilApp, access: AccessModule): void {
  registerAskRoutes(app, access);
  registerApproveRoute(app, access);
  registerDenyAndRevokeRoutes(app, access);
  registerBreakGlassRoute(app, access);
}
