import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../access/index.ts';
import type { HttpModule } from '../http/build-app.ts';
import {
  caseParams,
  caseResponse,
  casesQuery,
  casesResponse,
  closeBody,
  exportQuery,
  exportResponse,
  extendBody,
  openCaseBody,
} from './dsar.schemas.ts';
import type { DsarService } from './dsar.service.ts';
import type { DsarCase } from './dsar.view.ts';
import { iso, isoOrNull, msOf, requestCaller } from './retention.http.ts';

const PREFIX = '/api/v1/dsar/cases';

export function toCaseBody(c: DsarCase) {
  return {
    ...c,
    receivedAt: iso(c.receivedAt),
    dueAt: isoOrNull(c.dueAt),
    effectiveDueAt: isoOrNull(c.effectiveDueAt),
    maxExtendedDueAt: isoOrNull(c.maxExtendedDueAt),
    extendedDueAt: isoOrNull(c.extendedDueAt),
    acknowledgeBy: c.acknowledgeBy ? { at: iso(c.acknowledgeBy.at), cite: c.acknowledgeBy.cite } : null,
    basis: c.basis.map((b) => ({ ...b, dueAt: iso(b.dueAt), extendedDueAt: iso(b.extendedDueAt) })),
    openedAt: iso(c.openedAt),
    exportedAt: isoOrNull(c.exportedAt),
    closedAt: isoOrNull(c.closedAt),
    outcome: c.outcome
      ? {
          ...c.outcome,
          subjects: c.outcome.subjects.map((s) => ({
            ...s,
            kept: s.kept.map((k) => ({ ...k, until: isoOrNull(k.until) })),
          })),
        }
      : null,
  };
}

/** Data-subject requests: the compliance role opens, exports, erases, extends and closes them. */
export function dsarHttpModule(dsar: DsarService): HttpModule {
  return {
    name: 'dsar',
    register(app) {
      const typed = app.withTypeProvider<ZodTypeProvider>();
      const config = { access: requirePermission('dsar.manage') };
      const tags = ['dsar'];
      typed.post(
        PREFIX,
        {
          config,
          schema: {
            tags,
            summary:
              'Open a request; the customer is found through blind indexes, deadlines come from the jurisdiction packs',
            body: openCaseBody,
            response: { 201: caseResponse },
          },
        },
        async (request, reply) => {
          const { kind, phone, email, customerRef, receivedAt, region, note } = request.body;
          const received = msOf(receivedAt);
          const opened = await dsar.open(requestCaller(request), {
            kind,
            identifier: {
              ...(phone ? { phone } : {}),
              ...(email ? { email } : {}),
              ...(customerRef ? { customerRef } : {}),
            },
            ...(received !== undefined ? { receivedAt: received } : {}),
            ...(region ? { region } : {}),
            ...(note ? { note } : {}),
          });
          return reply.status(201).send({ case: toCaseBody(opened) });
        },
      );
      typed.get(
        PREFIX,
        {
          config,
          schema: {
            tags,
            summary: 'Requests, newest first, with due dates and overdue flags',
            querystring: casesQuery,
            response: { 200: casesResponse },
          },
        },
        async (request) => {
          const { status, overdue, before, limit } = request.query;
          const cases = await dsar.list(requestCaller(request).tenantId, {
            ...(status ? { statuses: [status] } : {}),
            ...(before ? { beforeId: before } : {}),
            limit,
          });
          return {
            cases: cases
              .filter((c) => overdue === undefined || c.overdue === (overdue === 'true'))
              .map(toCaseBody),
          };
        },
      );
      typed.get(
        `${PREFIX}/:id`,
        {
          config,
          schema: { tags, summary: 'One request', params: caseParams, response: { 200: caseResponse } },
        },
        async (request) => ({
          case: toCaseBody(await dsar.get(requestCaller(request).tenantId, request.params.id)),
        }),
      );
      typed.get(
        `${PREFIX}/:id/export`,
        {
          config,
          schema: {
            tags,
            summary: 'Access export of everything held about the customer (JSON or readable HTML); audited',
            params: caseParams,
            querystring: exportQuery,
            response: { 200: exportResponse },
          },
        },
        async (request) => {
          const format = request.query.format;
          const result = await dsar.export(requestCaller(request), request.params.id, format);
          return {
            format,
            contentType: result.contentType,
            filename: `dsar-${request.params.id}.${format}`,
            content: result.body,
            sha256: result.sha256,
          };
        },
      );
      typed.post(
        `${PREFIX}/:id/erase`,
        {
          config,
          schema: {
            tags,
            summary: 'Erase what no hold or legal minimum keeps; reports what was kept and why',
            params: caseParams,
            response: { 200: caseResponse },
          },
        },
        async (request) => ({
          case: toCaseBody(await dsar.erase(requestCaller(request), request.params.id)),
        }),
      );
      typed.post(
        `${PREFIX}/:id/extend`,
        {
          config,
          schema: {
            tags,
            summary: 'Take the extension the jurisdictions allow, with the reason',
            params: caseParams,
            body: extendBody,
            response: { 200: caseResponse },
          },
        },
        async (request) => ({
          case: toCaseBody(await dsar.extend(requestCaller(request), request.params.id, request.body.reason)),
        }),
      );
      typed.post(
        `${PREFIX}/:id/close`,
        {
          config,
          schema: {
            tags,
            summary: 'Close a request as completed or rejected',
            params: caseParams,
            body: closeBody,
            response: { 200: caseResponse },
          },
        },
        async (request) => ({
          case: toCaseBody(await dsar.close(requestCaller(request), request.params.id, request.body)),
        }),
      );
    },
  };
}
