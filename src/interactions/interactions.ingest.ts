import type { AuditEventInput, AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import { type CompiledRedactionPolicy, type RedactedSegment, redactConversation, redactText } from '../redaction/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectIdentifiers, SubjectsService } from '../subjects/index.ts';
import { attachCardTokens, type BuiltDocument, buildStoredDocument } from './interactions.document.ts';
import type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
import { findInteractionBySource, insertInteraction, replaceInteractionFindings, updateInteraction } from './interactions.queries.ts';
import type { InteractionsTable } from './interactions.tables.ts';
import type { Interaction } from './model/index.ts';

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
  storage: Pick<Storage, 'db'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  subjects: SubjectsService;
  cipher: FieldCipher;
  vault: CardTokenizer;
  policyFor(tenantId: string): CompiledRedactionPolicy;
}

interface Prepared {
  interaction: Interaction;
  built: BuiltDocument;
  redacted: RedactedSegment[];
  customer: SubjectIdentifiers;
}

const CATEGORY: Record<Interaction['channel'], string> = { voice: 'voice_transcript', chat: 'chat', email: 'email', sms: 'sms' };

function customerOf(interaction: Interaction): SubjectIdentifiers {
  const customer = interaction.participants.find((p) => p.role === 'customer');
  return { phone: customer?.phone, email: customer?.email, customerRef: customer?.externalId };
}

/** CPU-only work done before the transaction opens: redaction of every text of the interaction. */
function prepare(interaction: Interaction, policy: CompiledRedactionPolicy, now: number): Prepared {
  const { segments: redacted } = redactConversation(
    interaction.segments.map((s) => ({ speaker: s.participantRef ?? s.role, text: s.text, ...(s.words ? { words: s.words } : {}) })),
    policy,
  );
  const attributes = Object.fromEntries(Object.entries(interaction.attributes).map(([k, v]) => [k, redactText(v, policy)]));
  const subject = interaction.subject === undefined ? undefined : redactText(interaction.subject, policy);
  const built = buildStoredDocument(interaction, redacted, { ...(subject ? { subject } : {}), attributes, now });
  return { interaction, built, redacted, customer: customerOf(interaction) };
}

/**
 * The main data path: redact, tokenize cards, encrypt everything personal under the customer's
 * key, store, and audit, all in one transaction per batch. Acknowledged means committed; the same
 * source delivered again (at-least-once webhooks) updates to the newest revision, never duplicates.
 */
export function createIngestService(deps: IngestDeps) {
  async function store(trx: DbOrTransaction, ctx: IngestContext, p: Prepared, now: number): Promise<IngestResult> {
    const { interaction, built } = p;
    const existing = await findInteractionBySource(trx, ctx.tenantId, interaction.source.platform, interaction.source.id);
    if (existing && Number(existing.source_revision) >= interaction.source.revision) {
      return { id: existing.id, sourceId: interaction.source.id, outcome: 'unchanged', findings: built.findingCounts };
    }
    const subject = await deps.subjects.resolve(trx, ctx.tenantId, p.customer);
    const subjectId = subject?.id ?? existing?.subject_id ?? undefined;
    const tokens = new Map<string, string>();
    for (const pan of built.cardNumbers) {
      tokens.set(pan, (await deps.vault.tokenize(trx, { tenantId: ctx.tenantId, pan, actor: ctx.actor })).token);
    }
    attachCardTokens(built.document, p.redacted, tokens);
    const id = existing?.id ?? deps.ids.newId();
    const seal = (column: string, value: unknown) =>
      deps.cipher.encrypt(trx, { tenantId: ctx.tenantId, subjectId, table: 'interactions', column, rowId: id, plaintext: Buffer.from(JSON.stringify(value)) });
    const keys = deps.subjects.keysOf(ctx.tenantId, p.customer);
    const agent = interaction.participants.find((x) => x.role === 'agent');
    const row: Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'> = {
      subject_id: subjectId ?? null,
      source_platform: interaction.source.platform,
      source_id: interaction.source.id,
      source_revision: interaction.source.revision,
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
      body: await seal('body', built.document),
      originals: Object.keys(built.originals).length > 0 ? await seal('originals', built.originals) : null,
      has_recording: false,
      updated_at: now,
      anonymized_at: null,
    };
    if (existing) await updateInteraction(trx, ctx.tenantId, id, row);
    else await insertInteraction(trx, { id, tenant_id: ctx.tenantId, ingested_at: now, ...row });
    const findingRows = Object.entries(built.findingCounts).map(([type, count]) => ({ tenant_id: ctx.tenantId, interaction_id: id, type, count, ingested_at: now }));
    await replaceInteractionFindings(trx, ctx.tenantId, id, findingRows);
    return { id, sourceId: interaction.source.id, outcome: existing ? 'updated' : 'created', findings: built.findingCounts };
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
      details: { result: result.outcome, ...Object.fromEntries(Object.entries(result.findings).map(([k, v]) => [`found.${k}`, v])) },
    };
  }

  return {
    /** Ingests interactions in one transaction: all are stored and audited, or none is. */
    async ingest(ctx: IngestContext, interactions: readonly Interaction[]): Promise<IngestResult[]> {
      const now = deps.clock.now();
      const policy = deps.policyFor(ctx.tenantId);
      const prepared = interactions.map((i) => prepare(i, policy, now));
      return deps.storage.db.transaction().execute(async (trx) => {
        const results: IngestResult[] = [];
        for (const p of prepared) results.push(await store(trx, ctx, p, now));
        const changed = results.filter((r) => r.outcome !== 'unchanged');
        if (changed.length > 0) await deps.audit.recordMany(trx, changed.map((r) => auditEvent(ctx, r)));
        return results;
      });
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
