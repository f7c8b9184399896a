import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePermission } from '../access/index.ts';
import type { HttpModule, VigilApp } from '../http/build-app.ts';
import {
  holdQueryOf,
  iso,
  isoOrNull,
  msOf,
  requestCaller,
  toHoldBody,
  toReportBody,
} from './retention.http.ts';
import type { RetentionModule } from './retention.module.ts';
import {
  assignmentBody,
  certificateResponse,
  certificatesQuery,
  certificatesResponse,
  checkResponse,
  checkRunResponse,
  checksResponse,
  evaluationResponse,
  holdBody,
  holdResponse,
  holdsQuery,
  holdsResponse,
  idParams,
  packsResponse,
  planQuery,
  policyBody,
  policyResponse,
  purgeReportResponse,
  releaseBody,
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

function registerHolds(app: VigilApp, retention: RetentionModule): void {
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

function registerChecks(app: VigilApp, retention: RetentionModule): void {
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

/** Retention: jurisdictions, policies, plan and purge runs, certificates, legal holds, compliance checks. */
export function retentionHttpModule(retention: RetentionModule): HttpModule {
  return {
    name: 'retention',
    register(app) {
      registerSettings(app, retention);
      registerPurge(app, retention);
      registerHolds(app, retention);
      registerChecks(app, retention);
    },
  };
}
