import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../access/index.ts';
import type { HttpModule, VigilApp } from '../http/build-app.ts';
import { registerCheckRoutes, registerHoldRoutes } from './retention.holds.routes.ts';
import { iso, isoOrNull, requestCaller, toReportBody } from './retention.http.ts';
import type { RetentionModule } from './retention.module.ts';
import {
  assignmentBody,
  certificateResponse,
  certificatesQuery,
  certificatesResponse,
  evaluationResponse,
  idParams,
  packsResponse,
  planQuery,
  policyBody,
  policyResponse,
  purgeReportResponse,
  runsResponse,
  signingKeyResponse,
} from './retention.schemas.ts';
import type { Evaluation } from './retention.settings.ts';

const PREFIX = '/api/v1/retention';
const read = { access: requirePermission('reports.read') };
const manage = { access: requirePermission('retention.manage') };

const toEvaluationBody = (e: Evaluation) => ({
  assignment: {
    tenantPacks: [...e.assignment.tenantPacks],
    segments: e.assignment.segments.map((s) => ({
      name: s.name,
      regions: [...s.regions],
      packs: [...s.packs],
    })),
  },
  policies: e.policies,
  scopes: e.scopes.map((s) => ({ ...s, packs: [...s.packs], policies: s.policies.map((p) => p.id) })),
});

function registerSettings(app: VigilApp, retention: RetentionModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];
  typed.get(
    `${PREFIX}/jurisdictions`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Jurisdiction rule packs, each rule with its source article',
        response: { 200: packsResponse },
      },
    },
    async () => ({
      packs: [...retention.packs.all()],
    }),
  );
  typed.get(
    `${PREFIX}/policies`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Assignment, policies, and per scope the legal bounds, conflicts and gaps',
        response: { 200: evaluationResponse },
      },
    },
    async (request) => toEvaluationBody(await retention.settings.evaluate(requestCaller(request).tenantId)),
  );
  typed.put(
    `${PREFIX}/assignment`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Which packs apply to the tenant and to segments of its customers',
        body: assignmentBody,
        response: { 200: evaluationResponse },
      },
    },
    async (request) =>
      toEvaluationBody(await retention.settings.setAssignment(requestCaller(request), request.body)),
  );
  typed.put(
    `${PREFIX}/policies`,
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Set the maximum age and action of a category (409 with the reason if it breaks a legal bound)',
        body: policyBody,
        response: { 200: policyResponse },
      },
    },
    async (request) => ({
      policy: await retention.settings.setPolicy(requestCaller(request), request.body),
    }),
  );
  typed.delete(
    `${PREFIX}/policies/:id`,
    { config: manage, schema: { tags, summary: 'Delete a retention policy', params: idParams } },
    async (request, reply) => {
      await retention.settings.deletePolicy(requestCaller(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

function registerPurge(app: VigilApp, retention: RetentionModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retention'];
  typed.get(
    `${PREFIX}/plan`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Dry run: what a purge would destroy now and why, and what is kept',
        querystring: planQuery,
        response: { 200: purgeReportResponse },
      },
    },
    async (request) =>
      toReportBody(await retention.plan(requestCaller(request), undefined, request.query.limit)),
  );
  typed.post(
    `${PREFIX}/runs`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Purge the tenant now (bounded batches, each with a signed disposal certificate)',
        response: { 200: purgeReportResponse },
      },
    },
    async (request) => toReportBody(await retention.run(requestCaller(request), { trigger: 'api' })),
  );
  typed.get(
    `${PREFIX}/runs`,
    { config: read, schema: { tags, summary: 'Recent purge runs', response: { 200: runsResponse } } },
    async (request) => ({
      runs: (await retention.runs(requestCaller(request).tenantId)).map((r) => ({
        id: r.id,
        trigger: r.trigger,
        actor: r.actor,
        startedAt: iso(Number(r.started_at)),
        finishedAt: isoOrNull(r.finished_at === null ? null : Number(r.finished_at)),
        status: r.status,
        certificates: Number(r.certificates),
        report: r.report ? (JSON.parse(r.report) as unknown) : null,
      })),
    }),
  );
  typed.get(
    `${PREFIX}/certificates`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Disposal certificates, newest first',
        querystring: certificatesQuery,
        response: { 200: certificatesResponse },
      },
    },
    async (request) => {
      const { origin, before, limit } = request.query;
      const rows = await retention.certificates.list(requestCaller(request).tenantId, {
        ...(origin ? { originId: origin } : {}),
        ...(before ? { beforeId: before } : {}),
        limit,
      });
      return {
        certificates: rows.map((c) => ({
          id: c.id,
          originKind: c.origin_kind,
          originId: c.origin_id,
          sequence: Number(c.sequence),
          issuedAt: iso(Number(c.issued_at)),
          sha256: c.sha256,
          keyId: c.key_id,
          items: Number(c.item_count),
          auditEventId: c.audit_event_id,
        })),
      };
    },
  );
  typed.get(
    `${PREFIX}/certificates/:id`,
    {
      config: read,
      schema: {
        tags,
        summary: 'One disposal certificate, its signature, and its verification',
        params: idParams,
        response: { 200: certificateResponse },
      },
    },
    async (request) => {
      const tenantId = requestCaller(request).tenantId;
      const certificate = await retention.certificates.get(tenantId, request.params.id);
      return {
        ...certificate,
        verification: await retention.certificates.verify(tenantId, request.params.id),
      };
    },
  );
  typed.get(
    `${PREFIX}/signing-key`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Public key that verifies disposal certificates and compliance checks',
        response: { 200: signingKeyResponse },
      },
    },
    async (request) => {
      const signer = retention.certificates.signer(requestCaller(request).tenantId);
      return { keyId: signer.keyId, algorithm: 'Ed25519' as const, publicKeyPem: signer.publicKeyPem };
    },
  );
}

/** Retention: jurisdictions, policies, plan and purge runs, certificates, legal holds, compliance checks. */
export function retentionHttpModule(retention: RetentionModule): HttpModule {
  return {
    name: 'retention',
    register(app) {
      registerSettings(app, retention);
      registerPurge(app, retention);
      registerHoldRoutes(app, retention);
      registerCheckRoutes(app, retention);
    },
  };
}
