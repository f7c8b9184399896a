import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../access/index.ts';
import type { VigilApp } from '../http/build-app.ts';
import { holdQueryOf, iso, msOf, requestCaller, toHoldBody } from './retention.http.ts';
import type { RetentionModule } from './retention.module.ts';
import {
  checkResponse,
  checkRunResponse,
  checksResponse,
  holdBody,
  holdResponse,
  holdsQuery,
  holdsResponse,
  idParams,
  releaseBody,
} from './retention.schemas.ts';

const PREFIX = '/api/v1/retention';
const read = { access: requirePermission('reports.read') };
const manage = { access: requirePermission('retention.manage') };

/** Legal holds: list, place, release. */
export function registerHoldRoutes(app: VigilApp, retention: RetentionModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];
  typed.get(
    `${PREFIX}/holds`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Legal holds (active=true for the active ones)',
        querystring: holdsQuery,
        response: { 200: holdsResponse },
      },
    },
    async (request) => ({
      holds: (
        await retention.holds.list(requestCaller(request).tenantId, {
          activeOnly: request.query.active === 'true',
        })
      ).map(toHoldBody),
    }),
  );
  typed.post(
    `${PREFIX}/holds`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Place a legal hold on a customer, interactions or a query',
        body: holdBody,
        response: { 201: holdResponse },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const target = b.customer
        ? { kind: 'customer' as const, identifier: b.customer }
        : b.interactionIds
          ? { kind: 'interactions' as const, ids: b.interactionIds }
          : { kind: 'query' as const, query: holdQueryOf(b.query ?? {}) };
      const expiresAt = msOf(b.expiresAt);
      const hold = await retention.holds.create(requestCaller(request), {
        name: b.name,
        reason: b.reason,
        owner: b.owner,
        target,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      return reply.status(201).send({ hold: toHoldBody(hold) });
    },
  );
  typed.post(
    `${PREFIX}/holds/:id/release`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Release a legal hold (held data follows its policy again)',
        params: idParams,
        body: releaseBody,
        response: { 200: holdResponse },
      },
    },
    async (request) => ({
      hold: toHoldBody(
        await retention.holds.release(requestCaller(request), request.params.id, request.body.reason),
      ),
    }),
  );
}

/** Signed compliance checks (PCI DSS 3.2.1 evidence). */
export function registerCheckRoutes(app: VigilApp, retention: RetentionModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];
  typed.get(
    `${PREFIX}/checks`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Signed compliance checks (PCI DSS 3.2.1 evidence), newest first',
        response: { 200: checksResponse },
      },
    },
    async (request) => ({
      checks: (await retention.checks.list(requestCaller(request).tenantId)).map((c) => ({
        id: c.id,
        performedAt: iso(Number(c.performed_at)),
        sha256: c.sha256,
        keyId: c.key_id,
        overdue: Number(c.overdue),
        auditEventId: c.audit_event_id,
      })),
    }),
  );
  typed.get(
    `${PREFIX}/checks/:id`,
    {
      config: read,
      schema: {
        tags,
        summary: 'One compliance check document and its signature',
        params: idParams,
        response: { 200: checkResponse },
      },
    },
    async (request) => retention.checks.get(requestCaller(request).tenantId, request.params.id),
  );
  typed.post(
    `${PREFIX}/checks`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Run the compliance check now and keep its signed evidence',
        response: { 201: checkRunResponse },
      },
    },
    async (request, reply) => {
      const result = await retention.checkNow(requestCaller(request));
      return reply.status(201).send({ id: result.id, overdue: result.overdue, sha256: result.sha256 });
    },
  );
}
