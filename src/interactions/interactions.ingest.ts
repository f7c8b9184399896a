import type { AuditEventInput, DbOrTransaction } from '../audit/index.ts';
import { type CompiledRedactionPolicy, redactConversation, redactText } from '../redaction/index.ts';
import type { SubjectIdentifiers } from '../subjects/index.ts';
import { bodyTemplate, renderBody } from './interactions.body.ts';
import {
  buildStoredDocument,
  cardsBySegment,
  type StoredDocument,
  type StoredSegment,
  storedToInteraction,
} from './interactions.document.ts';
import { createGroupCommit } from './interactions.group-commit.ts';
import type { IngestContext, IngestDeps, IngestResult, Prepared } from './interactions.ingest.types.ts';
import { interactionSealer } from './interactions.ports.ts';
import {
  findInteractionById,
  findInteractionBySource,
  findInteractionsBySources,
  insertInteraction,
  insertInteractionFindings,
  replaceInteractionFindings,
  updateInteraction,
} from './interactions.queries.ts';
import { findingRows, interactionHead, interactionRow } from './interactions.rows.ts';
import { storeNewInteractions } from './interactions.store-new.ts';
import { type Interaction, mergeInteractions, type Segment } from './model/index.ts';

export type {
  IngestActor,
  IngestContext,
  IngestDeps,
  IngestOutcome,
  IngestResult,
  Prepared,
} from './interactions.ingest.types.ts';

// Source ids per `in (...)` list when looking up a batch's stored interactions.
const SOURCE_CHUNK = 500;
// Interactions one shared transaction takes from concurrent requests: keeps each commit short.
const MAX_GROUP_INTERACTIONS = 1000;

interface IngestRequest {
  ctx: IngestContext;
  prepared: readonly Prepared[];
}

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

// The lock and lookup key of a delivered conversation (platform names are adapter names, no ':').
const sourceKey = (platform: string, id: string) => `${platform}:${id}`;

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
  const { document, originals, findingCounts, cardNumbers } = buildStoredDocument(interaction, redacted, {
    ...(subject ? { subject } : {}),
    attributes,
    now,
    ...(previous ? { previous } : {}),
  });
  const cards = cardsBySegment(redacted);
  return {
    interaction,
    head: interactionHead(interaction),
    built: { originals, findingCounts, cardNumbers, body: bodyTemplate(document, cards) },
    cards,
    customer: customerOf(interaction),
  };
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

  /**
   * One interaction whose source may already be stored (a new revision, a piece of a conversation,
   * another platform's view) or that came twice in one batch. The caller holds its source lock.
   */
  async function store(
    trx: DbOrTransaction,
    ctx: IngestContext,
    prepared: Prepared,
    policy: CompiledRedactionPolicy,
    now: number,
  ): Promise<IngestResult> {
    const source = prepared.head.source;
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
    const { head, built } = p;
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
    const id = existing?.id ?? deps.ids.newId();
    const seal = interactionSealer(deps.cipher, trx, { tenantId: ctx.tenantId, subjectId, rowId: id });
    const row = interactionRow({
      id,
      head,
      built,
      subjectId,
      keys,
      body: await seal('body', renderBody(built.body, p.cards, tokens)),
      originals:
        Object.keys(built.originals).length > 0
          ? await seal('originals', JSON.stringify(built.originals))
          : null,
      now,
    });
    if (existing) await updateInteraction(trx, ctx.tenantId, id, row);
    else await insertInteraction(trx, { id, tenant_id: ctx.tenantId, ingested_at: now, ...row });
    const rows = findingRows(ctx.tenantId, id, built.findingCounts, now);
    if (existing) await replaceInteractionFindings(trx, ctx.tenantId, id, rows);
    else await insertInteractionFindings(trx, rows);
    return {
      id,
      sourceId: head.source.id,
      outcome: existing ? 'updated' : 'created',
      findings: built.findingCounts,
    };
  }

  /** Which items of a batch have a stored row (by platform and source id). */
  async function storedSources(trx: DbOrTransaction, tenantId: string, prepared: readonly Prepared[]) {
    const byPlatform = new Map<string, Set<string>>();
    for (const { head } of prepared) {
      const ids = byPlatform.get(head.source.platform) ?? new Set<string>();
      ids.add(head.source.id);
      byPlatform.set(head.source.platform, ids);
    }
    const stored = new Set<string>();
    for (const [platform, idSet] of byPlatform) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += SOURCE_CHUNK) {
        for (const row of await findInteractionsBySources(
          trx,
          tenantId,
          platform,
          ids.slice(i, i + SOURCE_CHUNK),
        ))
          stored.add(sourceKey(platform, row.source_id));
      }
    }
    return stored;
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

  /**
   * One request's interactions inside a (possibly shared) transaction that already holds their
   * source locks. Sources seen for the first time go through the batched path; stored ones
   * (revisions, merges) and repeats go one by one after them, so a repeat sees the row its first
   * delivery just wrote. The request's audit events are appended in input order.
   */
  async function storeRequest(
    trx: DbOrTransaction,
    { ctx, prepared }: IngestRequest,
    policy: CompiledRedactionPolicy,
    now: number,
  ): Promise<IngestResult[]> {
    const stored = await storedSources(trx, ctx.tenantId, prepared);
    const fresh: number[] = [];
    const others: number[] = [];
    const claimed = new Set<string>();
    prepared.forEach(({ head: { source } }, i) => {
      const key = sourceKey(source.platform, source.id);
      if (stored.has(key) || claimed.has(key)) others.push(i);
      else {
        claimed.add(key);
        fresh.push(i);
      }
    });
    const results: IngestResult[] = new Array(prepared.length);
    const created = await storeNewInteractions(
      deps,
      trx,
      ctx,
      fresh.map((i) => prepared[i]!),
      now,
    );
    fresh.forEach((i, k) => {
      results[i] = created[k]!;
    });
    for (const i of others) results[i] = await store(trx, ctx, prepared[i]!, policy, now);
    const changed = results.filter((r) => r.outcome !== 'unchanged');
    if (changed.length > 0)
      await deps.audit.recordMany(
        trx,
        changed.map((r) => auditEvent(ctx, r)),
      );
    return results;
  }

  /** One transaction for a group of one tenant's requests: all are stored and audited, or none. */
  async function storeGroup(group: readonly IngestRequest[]): Promise<IngestResult[][]> {
    const tenantId = group[0]!.ctx.tenantId;
    const now = deps.clock.now();
    const policy = await deps.policyFor(tenantId);
    return deps.storage.db.transaction().execute(async (trx) => {
      // Serialises deliveries of one conversation across nodes, so a merge never loses a message;
      // every lock of the group taken up front, in one order, so transactions cannot deadlock.
      const keys = group.flatMap(({ prepared }) =>
        prepared.map(({ head: { source } }) => sourceKey(source.platform, source.id)),
      );
      await deps.storage.dialect.lockManyInTransaction(
        trx as never,
        keys.map((key) => `interaction:${tenantId}:${key}`),
      );
      const results: IngestResult[][] = [];
      for (const request of group) results.push(await storeRequest(trx, request, policy, now));
      return results;
    });
  }

  const groupCommit = createGroupCommit(storeGroup, {
    keyOf: (request: IngestRequest) => request.ctx.tenantId,
    weightOf: (request) => request.prepared.length,
    maxWeight: MAX_GROUP_INTERACTIONS,
  });

  /**
   * Stores interactions whose redaction was done already (here, or on a worker thread of `vigil
   * ingest`) in one transaction with their audit events, shared with the tenant's other requests
   * that arrived meanwhile (group commit); resolves once that transaction committed.
   */
  function ingestPrepared(ctx: IngestContext, prepared: readonly Prepared[]): Promise<IngestResult[]> {
    if (prepared.length === 0) return Promise.resolve([]);
    return groupCommit.submit({ ctx, prepared });
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
