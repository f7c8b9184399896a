import { createHash } from 'node:crypto';
import type { AuditEventInput, AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import {
  type CompiledRedactionPolicy,
  type RedactedSegment,
  redactConversation,
  redactText,
} from '../redaction/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectIdentifiers, SubjectsService } from '../subjects/index.ts';
import {
  attachCardTokens,
  type BuiltDocument,
  buildStoredDocument,
  type StoredDocument,
  type StoredSegment,
  storedToInteraction,
} from './interactions.document.ts';
import type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
import {
  findInteractionById,
  findInteractionBySource,
  insertInteraction,
  insertInteractionFindings,
  replaceInteractionFindings,
  updateInteraction,
} from './interactions.queries.ts';
import type { InteractionsTable } from './interactions.tables.ts';
import { type Interaction, mergeInteractions, type Segment } from './model/index.ts';

export interface IngestActor {
  type: 'user' | 'api_key' | 'system';
  id: string;
  name?: string;
}

export interface IngestContext {
  tenantId: string;
  actor: IngestActor;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export type IngestOutcome = 'created' | 'updated' | 'unchanged';

export interface IngestResult {
  id: string;
  sourceId: string;
  outcome: IngestOutcome;
  findings: Record<string, number>;
}

export interface IngestDeps {
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  subjects: SubjectsService;
  cipher: FieldCipher;
  vault: CardTokenizer;
  policyFor(tenantId: string): Promise<CompiledRedactionPolicy>;
}

/** An interaction with its redaction done: what the transaction stores. Structured-clonable. */
export interface Prepared {
  interaction: Interaction;
  built: BuiltDocument;
  redacted: RedactedSegment[];
  customer: SubjectIdentifiers;
}

const CATEGORY: Record<Interaction['channel'], string> = {
  voice: 'voice_transcript',
  chat: 'chat',
  email: 'email',
  sms: 'sms',
};

/**
 * Adapters whose payloads carry a piece of a conversation (one chat message, one streaming result,
 * one lifecycle step): each delivery is merged into what is stored. Every other adapter delivers
 * the whole interaction, and a higher revision replaces the stored one.
 */
const PARTIAL_ADAPTERS = new Set([
  'chatwoot',
  'amazon-transcribe-streaming',
  'amazon-transcribe-call-analytics-streaming',
  'amazon-connect-contact-event',
  'amazon-connect-agent-event',
  'twilio-conversations',
  'twilio-voice',
]);

export const isPartialAdapter = (adapter: string) =>
  PARTIAL_ADAPTERS.has(adapter) || adapter.endsWith('-streaming') || adapter.startsWith('twilio');

function customerOf(interaction: Interaction): SubjectIdentifiers {
  const customer = interaction.participants.find((p) => p.role === 'customer');
  return { phone: customer?.phone, email: customer?.email, customerRef: customer?.externalId };
}

/** Redaction of every text of the interaction (CPU only); `previous` carries an earlier stored state. */
export function prepareInteraction(
  interaction: Interaction,
  policy: CompiledRedactionPolicy,
  now: number,
  previous?: MergeBase,
): Prepared {
  const { segments: redacted } = redactConversation(
    interaction.segments.map((s) => ({
      speaker: s.participantRef ?? s.role,
      text: s.text,
      ...(s.words ? { words: s.words } : {}),
    })),
    policy,
  );
  const attributes = Object.fromEntries(
    Object.entries(interaction.attributes).map(([k, v]) => [k, redactText(v, policy)]),
  );
  const subject = interaction.subject === undefined ? undefined : redactText(interaction.subject, policy);
  const built = buildStoredDocument(interaction, redacted, {
    ...(subject ? { subject } : {}),
    attributes,
    now,
    ...(previous ? { previous } : {}),
  });
  return { interaction, built, redacted, customer: customerOf(interaction) };
}

interface MergeBase {
  segments: ReadonlyMap<Segment, StoredSegment>;
  originals: Record<string, string>;
}

/**
 * The main data path: redact, tokenize cards, encrypt everything personal under the customer's
 * key, store, and audit, all in one transaction per batch. Acknowledged means committed; the same
 * source delivered again (at-least-once webhooks) updates to the newest revision, never duplicates.
 */
export function createIngestService(deps: IngestDeps) {
  async function openJson<T>(
    trx: DbOrTransaction,
    tenantId: string,
    id: string,
    column: 'body' | 'originals',
    ciphertext: Buffer | null,
  ): Promise<T | undefined> {
    if (!ciphertext) return undefined;
    const plaintext = await deps.cipher.decrypt(trx, {
      tenantId,
      table: 'interactions',
      column,
      rowId: id,
      ciphertext: Buffer.from(ciphertext),
    });
    return JSON.parse(plaintext.toString('utf8')) as T;
  }

  /** A piece of a conversation arrived: merge it into the stored one and redact the whole again. */
  async function mergeWithStored(
    trx: DbOrTransaction,
    ctx: IngestContext,
    incoming: Interaction,
    id: string,
    policy: CompiledRedactionPolicy,
    now: number,
  ): Promise<Prepared | undefined> {
    const row = await findInteractionById(trx, ctx.tenantId, id);
    const document = row
      ? await openJson<StoredDocument>(trx, ctx.tenantId, id, 'body', row.body)
      : undefined;
    if (!row || !document) return undefined;
    const base = storedToInteraction(document);
    const merged = mergeInteractions(base.interaction, incoming);
    if (JSON.stringify(merged) === JSON.stringify(base.interaction)) return undefined;
    const originals =
      (await openJson<Record<string, string>>(trx, ctx.tenantId, id, 'originals', row.originals)) ?? {};
    return prepareInteraction(merged, policy, now, { segments: base.segments, originals });
  }

  async function store(
    trx: DbOrTransaction,
    ctx: IngestContext,
    prepared: Prepared,
    policy: CompiledRedactionPolicy,
    now: number,
  ): Promise<IngestResult> {
    const source = prepared.interaction.source;
    // Serialises deliveries of one conversation across nodes, so a merge never loses a message.
    await deps.storage.dialect.lockInTransaction(
      trx as never,
      `interaction:${ctx.tenantId}:${source.platform}:${source.id}`,
    );
    const existing = await findInteractionBySource(trx, ctx.tenantId, source.platform, source.id);
    let p = prepared;
    // Pieces of a conversation, or another platform's view of the same contact (a Connect event
    // and its Contact Lens file): merge. The same complete document again: newest revision wins.
    if (existing && (isPartialAdapter(source.adapter) || existing.source_adapter !== source.adapter)) {
      const merged = await mergeWithStored(trx, ctx, prepared.interaction, existing.id, policy, now);
      if (!merged)
        return {
          id: existing.id,
          sourceId: source.id,
          outcome: 'unchanged',
          findings: prepared.built.findingCounts,
        };
      p = merged;
    } else if (existing && Number(existing.source_revision) >= source.revision) {
      return {
        id: existing.id,
        sourceId: source.id,
        outcome: 'unchanged',
        findings: prepared.built.findingCounts,
      };
    }
    const { interaction, built } = p;
    const keys = await deps.subjects.keysOf(trx, ctx.tenantId, p.customer);
    const subject = await deps.subjects.resolve(trx, ctx.tenantId, keys);
    const subjectId = subject?.id ?? existing?.subject_id ?? undefined;
    const tokens = new Map<string, string>();
    for (const pan of built.cardNumbers) {
      tokens.set(
        pan,
        (await deps.vault.tokenize(trx, { tenantId: ctx.tenantId, pan, actor: ctx.actor })).token,
      );
    }
    attachCardTokens(built.document, p.redacted, tokens);
    const id = existing?.id ?? deps.ids.newId();
    const seal = (column: string, value: unknown) =>
      deps.cipher.encrypt(trx, {
        tenantId: ctx.tenantId,
        subjectId,
        table: 'interactions',
        column,
        rowId: id,
        plaintext: Buffer.from(JSON.stringify(value)),
      });
    const agent = interaction.participants.find((x) => x.role === 'agent');
    const row: Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'> = {
      subject_id: subjectId ?? null,
      source_platform: interaction.source.platform,
      source_id: interaction.source.id,
      source_revision: interaction.source.revision,
      source_adapter: interaction.source.adapter,
      channel: interaction.channel,
      direction: interaction.direction,
      started_at: interaction.startedAtMs ?? null,
      ended_at: interaction.endedAtMs ?? null,
      language: interaction.language ?? null,
      queue: interaction.queue?.name ?? interaction.queue?.id ?? null,
      agent_ref: agent?.externalId ?? null,
      customer_phone_bidx: keys.phone_bidx ?? null,
      customer_email_bidx: keys.email_bidx ?? null,
      segment_count: interaction.segments.length,
      finding_count: Object.values(built.findingCounts).reduce((a, b) => a + b, 0),
      category: CATEGORY[interaction.channel],
      sample_bucket: createHash('sha256').update(id).digest().readUInt16BE(0) % 100,
      body: await seal('body', built.document),
      originals: Object.keys(built.originals).length > 0 ? await seal('originals', built.originals) : null,
      has_recording: 0,
      updated_at: now,
      anonymized_at: null,
    };
    if (existing) await updateInteraction(trx, ctx.tenantId, id, row);
    else await insertInteraction(trx, { id, tenant_id: ctx.tenantId, ingested_at: now, ...row });
    const findingRows = Object.entries(built.findingCounts).map(([type, count]) => ({
      tenant_id: ctx.tenantId,
      interaction_id: id,
      type,
      count,
      ingested_at: now,
    }));
    if (existing) await replaceInteractionFindings(trx, ctx.tenantId, id, findingRows);
    else await insertInteractionFindings(trx, findingRows);
    return {
      id,
      sourceId: interaction.source.id,
      outcome: existing ? 'updated' : 'created',
      findings: built.findingCounts,
    };
  }

  function auditEvent(ctx: IngestContext, result: IngestResult): AuditEventInput {
    return {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: 'interactions.ingest',
      outcome: 'success',
      target: { type: 'interaction', id: result.id },
      ...(ctx.origin ? { origin: ctx.origin } : {}),
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      details: {
        result: result.outcome,
        ...Object.fromEntries(Object.entries(result.findings).map(([k, v]) => [`found.${k}`, v])),
      },
    };
  }

  /** Stores interactions whose redaction was done elsewhere (a worker thread of `vigil ingest`). */
  async function ingestPrepared(ctx: IngestContext, prepared: readonly Prepared[]): Promise<IngestResult[]> {
    const now = deps.clock.now();
    const policy = await deps.policyFor(ctx.tenantId);
    return deps.storage.db.transaction().execute(async (trx) => {
      const results: IngestResult[] = [];
      for (const p of prepared) results.push(await store(trx, ctx, p, policy, now));
      const changed = results.filter((r) => r.outcome !== 'unchanged');
      if (changed.length > 0)
        await deps.audit.recordMany(
          trx,
          changed.map((r) => auditEvent(ctx, r)),
        );
      return results;
    });
  }

  return {
    /** Ingests interactions in one transaction: all are stored and audited, or none is. */
    async ingest(ctx: IngestContext, interactions: readonly Interaction[]): Promise<IngestResult[]> {
      const policy = await deps.policyFor(ctx.tenantId);
      const now = deps.clock.now();
      return ingestPrepared(
        ctx,
        interactions.map((i) => prepareInteraction(i, policy, now)),
      );
    },
    ingestPrepared,
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
