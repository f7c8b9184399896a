import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpModule } from '../http/build-app.ts';
import { interactionError } from './interactions.errors.ts';
import type { IngestContext, IngestService, Prepared } from './interactions.ingest.ts';
import type { InteractionsReadService, ReadContext } from './interactions.read.ts';
import type { createRecordingsService } from './interactions.recordings.ts';
import {
  adapterParams,
  idParams,
  ingestResponseSchema,
  interactionViewSchema,
  listQuerySchema,
  listResponseSchema,
  recordingResponseSchema,
  revealBodySchema,
  revealResponseSchema,
} from './interactions.schemas.ts';
import { toInteractionView } from './interactions.view.ts';
import type { Interaction } from './model/index.ts';
import type { PayloadParser } from './payload-parser.ts';

export const MAX_BATCH = 500;
// Below this many items a batch is parsed here: the round trip to a worker would cost more than it saves.
const OFF_THREAD_MIN_ITEMS = 32;

export interface InteractionsHttpDeps {
  ingest: IngestService;
  read: InteractionsReadService;
  recordings: ReturnType<typeof createRecordingsService>;
  parser: PayloadParser;
  /** The reader's tenant, identity, scope and field visibility, from the access layer. */
  readContext(request: FastifyRequest): Promise<ReadContext>;
  maxRecordingBytes: number;
  now(): number;
  /** Parses and redacts generic items on a worker thread (the main thread keeps the database work). */
  prepareOffThread?(tenantId: string, values: unknown[], receivedAtMs: number): Promise<Prepared[]>;
}

function ingestContext(ctx: ReadContext): IngestContext {
  return {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    ...(ctx.origin ? { origin: ctx.origin } : {}),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
}

// Ingest is machine-to-machine: integration API keys with the `ingest` scope.
const ingestAccess = { kind: 'integration', scope: 'ingest' } as const;

function registerIngestRoutes(app: FastifyInstance, deps: InteractionsHttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const receivedAt = (_ctx: ReadContext) => ({ receivedAtMs: deps.now() });
  typed.post(
    '/api/v1/interactions',
    {
      config: { access: ingestAccess },
      schema: {
        tags: ['interactions'],
        summary: 'Ingest one interaction in the generic JSON format',
        body: z.unknown(),
        response: { 200: ingestResponseSchema },
      },
    },
    async (request) => {
      const ctx = await deps.readContext(request);
      const { interactions } = await deps.parser.parse('generic', request.body, receivedAt(ctx));
      return { results: await deps.ingest.ingest(ingestContext(ctx), interactions) };
    },
  );
  typed.post(
    '/api/v1/interactions::batch',
    {
      config: { access: ingestAccess },
      schema: {
        tags: ['interactions'],
        summary: `Ingest up to ${MAX_BATCH} interactions in one transaction (all or none)`,
        body: z.object({ interactions: z.array(z.unknown()).min(1) }),
        response: { 200: ingestResponseSchema },
      },
    },
    async (request) => {
      const ctx = await deps.readContext(request);
      const items = request.body.interactions;
      if (items.length > MAX_BATCH)
        throw interactionError('INTERACTION_BATCH_TOO_LARGE', `at most ${MAX_BATCH} interactions per batch`);
      if (deps.prepareOffThread && items.length >= OFF_THREAD_MIN_ITEMS) {
        const prepared = await deps.prepareOffThread(ctx.tenantId, items, receivedAt(ctx).receivedAtMs);
        return { results: await deps.ingest.ingestPrepared(ingestContext(ctx), prepared) };
      }
      const parsed: Interaction[] = [];
      for (const [index, item] of request.body.interactions.entries()) {
        parsed.push(
          ...(await deps.parser.parseAt('generic', item, receivedAt(ctx), `interactions[${index}]`))
            .interactions,
        );
      }
      return { results: await deps.ingest.ingest(ingestContext(ctx), parsed) };
    },
  );
  typed.post(
    '/api/v1/ingest/:adapter',
    {
      config: { access: ingestAccess },
      schema: {
        tags: ['interactions'],
        summary:
          'Webhook or file ingest in a platform format (Amazon Connect, Transcribe, Chatwoot, Twilio, email)',
        params: adapterParams,
        body: z.unknown(),
        response: { 200: ingestResponseSchema },
      },
    },
    async (request) => {
      const ctx = await deps.readContext(request);
      const { interactions } = await deps.parser.parseRequest(
        request.params.adapter,
        request,
        ctx.tenantId,
        receivedAt(ctx),
      );
      return { results: await deps.ingest.ingest(ingestContext(ctx), interactions) };
    },
  );
}

function registerReadRoutes(app: FastifyInstance, deps: InteractionsHttpDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/interactions',
    {
      config: { access: { kind: 'permission', permission: 'interactions.read' } },
      schema: {
        tags: ['interactions'],
        summary: 'Search interactions (metadata only; newest first)',
        querystring: listQuerySchema,
        response: { 200: listResponseSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return deps.read.list(await deps.readContext(request), {
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.queue ? { queue: q.queue } : {}),
        ...(q.agent ? { agentRef: q.agent } : {}),
        ...(q.customerPhone ? { customerPhone: q.customerPhone } : {}),
        ...(q.customerEmail ? { customerEmail: q.customerEmail } : {}),
        ...(q.findingType ? { findingType: q.findingType } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
    },
  );
  typed.get(
    '/api/v1/interactions/:id',
    {
      config: { access: { kind: 'permission', permission: 'interactions.read' } },
      schema: {
        tags: ['interactions'],
        summary: 'The redacted view of one interaction',
        params: idParams,
        response: { 200: interactionViewSchema },
      },
    },
    async (request) => {
      const { row, document } = await deps.read.get(await deps.readContext(request), request.params.id);
      return toInteractionView(row, document);
    },
  );
  typed.post(
    '/api/v1/interactions/:id/reveal',
    {
      config: { access: { kind: 'permission', permission: 'interactions.reveal' } },
      schema: {
        tags: ['interactions'],
        summary: 'Reveal one unredacted field with a reason (audited; never card numbers)',
        params: idParams,
        body: revealBodySchema,
        response: { 200: revealResponseSchema },
      },
    },
    async (request) =>
      deps.read.reveal(
        await deps.readContext(request),
        request.params.id,
        request.body.field,
        request.body.reason,
      ),
  );
}

function registerRecordingRoutes(app: FastifyInstance, deps: InteractionsHttpDeps): void {
  app.addContentTypeParser(
    ['audio/wav', 'audio/x-wav', 'audio/wave'],
    { parseAs: 'buffer', bodyLimit: deps.maxRecordingBytes },
    (_req, body, done) => done(null, body),
  );
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.put(
    '/api/v1/interactions/:id/recording',
    {
      config: { access: ingestAccess },
      bodyLimit: deps.maxRecordingBytes,
      schema: {
        tags: ['recordings'],
        summary: 'Upload the WAV recording: spoken findings are muted before it is stored, encrypted',
        params: idParams,
        consumes: ['audio/wav'],
        response: { 200: recordingResponseSchema },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body))
        throw interactionError('RECORDING_NOT_FOUND', 'send the recording as audio/wav');
      return deps.recordings.upload(await deps.readContext(request), request.params.id, request.body);
    },
  );
  typed.get(
    '/api/v1/interactions/:id/recording',
    {
      config: { access: { kind: 'permission', permission: 'interactions.read' } },
      schema: {
        tags: ['recordings'],
        summary: 'Play the redacted recording (audited)',
        params: idParams,
        produces: ['audio/wav'],
      },
    },
    async (request, reply) => {
      const audio = await deps.recordings.play(await deps.readContext(request), request.params.id);
      return reply.header('content-type', 'audio/wav').send(audio);
    },
  );
}

export function interactionsHttpModule(deps: InteractionsHttpDeps): HttpModule {
  return {
    name: 'interactions',
    register(app) {
      deps.parser.registerContentTypes(app);
      registerIngestRoutes(app, deps);
      registerReadRoutes(app, deps);
      registerRecordingRoutes(app, deps);
    },
  };
}
