import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VigilApp } from '../http/build-app.ts';
import { ACCESS_PREFIX, caller, toCampaignBody, toItemBody } from './access.http.ts';
import type { AccessModule } from './access.module.ts';
import { requirePermission } from './access.permissions.ts';
import {
  campaignBody,
  campaignDetailResponse,
  campaignResponse,
  campaignsResponse,
  decisionBody,
  exportQuery,
  exportResponse,
  idParams,
  itemParams,
  itemResponse,
  itemsQuery,
  itemsResponse,
  signingKeyResponse,
} from './access.schemas.ts';

const REVIEWS = `${ACCESS_PREFIX}/reviews`;

function registerCampaignReadRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: requirePermission('access.read') };
  typed.get(
    REVIEWS,
    {
      config: read,
      schema: {
        tags: ['access'],
        summary: 'Access-review campaigns, newest first',
        response: { 200: campaignsResponse },
      },
    },
    async (request) => ({
      campaigns: (await access.reviews.list(caller(request).principal.tenantId)).map(toCampaignBody),
    }),
  );
  typed.get(
    `${REVIEWS}/signing-key`,
    {
      config: read,
      schema: {
        tags: ['access'],
        summary: 'Public key that verifies access-review exports',
        response: { 200: signingKeyResponse },
      },
    },
    async (request) => {
      const signer = access.reviewSigner(caller(request).principal.tenantId);
      return { keyId: signer.keyId, algorithm: 'Ed25519' as const, publicKeyPem: signer.publicKeyPem };
    },
  );
}

function registerEvidenceRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const read = { access: requirePermission('access.read') };
  typed.get(
    `${REVIEWS}/:id`,
    {
      config: read,
      schema: {
        tags: ['access'],
        summary: 'A campaign with all its items',
        params: idParams,
        response: { 200: campaignDetailResponse },
      },
    },
    async (request) => {
      const { principal } = caller(request);
      const campaign = await access.reviews.get(principal.tenantId, request.params.id);
      const items = await access.reviews.items(principal, request.params.id, { all: true });
      return { campaign: toCampaignBody(campaign), items: items.map(toItemBody) };
    },
  );
  typed.get(
    `${REVIEWS}/:id/export`,
    {
      config: read,
      schema: {
        tags: ['access'],
        summary: 'The campaign as signed evidence (CSV or JSON), its hash anchored in the audit log',
        params: idParams,
        querystring: exportQuery,
        response: { 200: exportResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return access.reviews.export(principal, request.params.id, request.query.format, context);
    },
  );
}

function registerReviewerRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const review = { access: requirePermission('access.review') };
  typed.get(
    `${REVIEWS}/:id/items`,
    {
      config: review,
      schema: {
        tags: ['access'],
        summary: 'Items assigned to the caller; all=true lists every item (review managers)',
        params: idParams,
        querystring: itemsQuery,
        response: { 200: itemsResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const all =
        request.query.all === 'true' && (await access.gate.holds(principal, 'access.review.manage', context));
      const items = await access.reviews.items(principal, request.params.id, { all });
      return { items: items.map(toItemBody) };
    },
  );
  typed.post(
    `${REVIEWS}/:id/items/:itemId/decision`,
    {
      config: review,
      schema: {
        tags: ['access'],
        summary: 'Keep, revoke or change one grant; applied at once',
        params: itemParams,
        body: decisionBody,
        response: { 200: itemResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      const mayManage = await access.gate.holds(principal, 'access.review.manage', context);
      const item = await access.reviews.decide(
        principal,
        request.params.id,
        request.params.itemId,
        request.body,
        mayManage,
        context,
      );
      return { item: toItemBody(item) };
    },
  );
}

function registerManagerRoutes(app: VigilApp, access: AccessModule): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const manage = { access: requirePermission('access.review.manage') };
  typed.post(
    REVIEWS,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: 'Start a campaign now',
        body: campaignBody,
        response: { 201: campaignResponse },
      },
    },
    async (request, reply) => {
      const { principal, context } = caller(request);
      const campaign = await access.reviews.start(principal, request.body, context);
      return reply.status(201).send({ campaign: toCampaignBody(campaign) });
    },
  );
  typed.post(
    `${REVIEWS}/:id/close`,
    {
      config: manage,
      schema: {
        tags: ['access'],
        summary: 'Close a campaign now: undecided items follow its rule',
        params: idParams,
        response: { 200: campaignResponse },
      },
    },
    async (request) => {
      const { principal, context } = caller(request);
      return { campaign: toCampaignBody(await access.reviews.close(principal, request.params.id, context)) };
    },
  );
}

/** Access reviews: campaigns, reviewer decisions, closing and signed exports. */
export function registerReviewRoutes(app: VigilApp, access: AccessModule): void {
  registerCampaignReadRoutes(app, access);
  registerEvidenceRoutes(app, access);
  registerReviewerRoutes(app, access);
  registerManagerRoutes(app, access);
}
