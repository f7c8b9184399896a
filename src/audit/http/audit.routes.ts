import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HttpModule, VigilApp } from '../../http/build-app.ts';
import type { Principal } from '../../shared/principal.ts';
import { type AuditApi, createAuditApi, type RequestOrigin } from '../audit.api.ts';
import type { AuditCheckpoint } from '../audit.checkpoints.ts';
import type { AuditEventView } from '../audit.events.ts';
import type { AuditModule } from '../audit.module.ts';
import { proofBundleSchema } from '../checkpoint/index.ts';
import {
  checkpointsQuerySchema,
  checkpointsResponseSchema,
  consistencyQuerySchema,
  createdCheckpointSchema,
  eventIdParamsSchema,
  eventsQuerySchema,
  eventsResponseSchema,
  proofQuerySchema,
  proofResponseSchema,
  verifyBodySchema,
  verifyResponseSchema,
} from './audit.schemas.ts';

const PREFIX = '/api/v1/audit';
const read = { access: { kind: 'permission', permission: 'audit.read' } } as const;

function who(request: FastifyRequest): { principal: Principal; origin: RequestOrigin } {
  const userAgent = request.headers['user-agent'];
  return {
    principal: request.principal!,
    origin: {
      ip: request.ip,
      requestId: request.id,
      ...(typeof userAgent === 'string' ? { userAgent } : {}),
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

function eventBody(event: AuditEventView) {
  const { tenantId: _tenant, occurredAt, ...rest } = event;
  return { ...rest, occurredAt: iso(occurredAt) };
}

function checkpointBody(checkpoint: AuditCheckpoint) {
  const { tenantId: _tenant, createdAt, ...rest } = checkpoint;
  return { ...rest, createdAt: iso(createdAt) };
}

function registerEventRoutes(app: VigilApp, api: AuditApi): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    `${PREFIX}/events`,
    {
      config: read,
      schema: {
        tags: ['audit'],
        summary: 'List audit events, newest first',
        querystring: eventsQuerySchema,
        response: { 200: eventsResponseSchema },
      },
    },
    async (request) => {
      const { principal, origin } = who(request);
      const { actor, from, to, ...rest } = request.query;
      const page = await api.listEvents(principal, origin, {
        ...rest,
        ...(actor ? { actorId: actor } : {}),
        ...(from ? { fromMs: Date.parse(from) } : {}),
        ...(to ? { toMs: Date.parse(to) } : {}),
      });
      return { events: page.events.map(eventBody), nextCursor: page.nextCursor };
    },
  );
  typed.get(
    `${PREFIX}/events/:id/proof`,
    {
      config: read,
      schema: {
        tags: ['audit'],
        summary: 'Inclusion proof bundle of one event',
        params: eventIdParamsSchema,
        querystring: proofQuerySchema,
        response: { 200: proofResponseSchema },
      },
    },
    async (request) => {
      const { principal, origin } = who(request);
      const { event, bundle } = await api.eventProof(
        principal,
        origin,
        request.params.id,
        request.query.treeSize,
      );
      return { event: eventBody(event), bundle };
    },
  );
}

function registerCheckpointReadRoutes(app: VigilApp, api: AuditApi): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    `${PREFIX}/checkpoints`,
    {
      config: read,
      schema: {
        tags: ['audit'],
        summary: 'Signed checkpoints, newest first, with the verifier keys',
        querystring: checkpointsQuerySchema,
        response: { 200: checkpointsResponseSchema },
      },
    },
    async (request) => {
      const { before, limit } = request.query;
      const { checkpoints, verifierKeys } = await api.listCheckpoints(who(request).principal, {
        limit,
        ...(before === undefined ? {} : { beforeSize: before }),
      });
      const last = checkpoints[checkpoints.length - 1];
      return {
        checkpoints: checkpoints.map(checkpointBody),
        verifierKeys,
        nextBefore: checkpoints.length === limit && last ? last.treeSize : null,
      };
    },
  );
  typed.get(
    `${PREFIX}/consistency`,
    {
      config: read,
      schema: {
        tags: ['audit'],
        summary: 'Consistency proof bundle between two checkpoints',
        querystring: consistencyQuerySchema,
        response: { 200: proofBundleSchema },
      },
    },
    async (request) => {
      const { principal, origin } = who(request);
      return api.consistency(principal, origin, request.query.from, request.query.to);
    },
  );
}

function registerActionRoutes(app: VigilApp, api: AuditApi): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    `${PREFIX}/checkpoints`,
    {
      config: { access: { kind: 'permission', permission: 'audit.checkpoint' } },
      schema: {
        tags: ['audit'],
        summary: 'Fold pending events and sign a checkpoint now',
        response: { 200: createdCheckpointSchema, 201: createdCheckpointSchema },
      },
    },
    async (request, reply) => {
      const { principal, origin } = who(request);
      const { checkpoint, created } = await api.createCheckpoint(principal, origin);
      return reply.status(created ? 201 : 200).send({ checkpoint: checkpointBody(checkpoint), created });
    },
  );
  typed.post(
    `${PREFIX}/verify`,
    {
      config: { access: { kind: 'permission', permission: 'audit.verify' } },
      schema: {
        tags: ['audit'],
        summary: 'Recompute and check the whole audit log',
        body: verifyBodySchema,
        response: { 200: verifyResponseSchema },
      },
    },
    async (request) => {
      const { principal, origin } = who(request);
      const report = await api.verify(principal, origin, request.body?.fromTreeSize);
      return report;
    },
  );
}

/** `/api/v1/audit/*`: reading, proofs, checkpoints and verification of the tenant's audit log. */
export function auditHttpModule(audit: AuditModule): HttpModule {
  const api = createAuditApi(audit);
  return {
    name: 'audit',
    register(app) {
      registerEventRoutes(app, api);
      registerCheckpointReadRoutes(app, api);
      registerActionRoutes(app, api);
    },
  };
}
