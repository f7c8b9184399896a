import type { AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { StoredDocument } from './interactions.document.ts';
import { interactionError } from './interactions.errors.ts';
import { applyFieldVisibility, type FieldVisibility, PARTICIPANT_FIELDS } from './interactions.masking.ts';
import type { FieldCipher } from './interactions.ports.ts';
import {
  findInteractionById,
  findingTypesOf,
  listInteractions,
  type ReadScope,
} from './interactions.queries.ts';
import type { InteractionsTable } from './interactions.tables.ts';

/** Who reads, and what their role lets them see: computed by the access layer, applied here. */
export interface ReadContext {
  tenantId: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string; name?: string };
  /** Rows outside the reader's scope do not exist for them (404), like another tenant's. */
  scope: ReadScope;
  /** How each personal field shows to this reader (`customer.phone`: unmasked, masked or omitted). */
  fields: Readonly<Record<string, FieldVisibility>>;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export interface ListFilter {
  from?: number;
  to?: number;
  channel?: string;
  queue?: string;
  agentRef?: string;
  customerPhone?: string;
  customerEmail?: string;
  findingType?: string;
  cursor?: string;
  limit: number;
}

export interface InteractionSummary {
  id: string;
  sourcePlatform: string;
  sourceId: string;
  channel: string;
  direction: string;
  startedAt: number | null;
  endedAt: number | null;
  language: string | null;
  queue: string | null;
  agentRef: string | null;
  segmentCount: number;
  findingCount: number;
  findingTypes: Record<string, number>;
  hasRecording: boolean;
  ingestedAt: number;
  anonymized: boolean;
}

export interface ReadDeps {
  storage: Pick<Storage, 'db'>;
  audit: AuditRecorder;
  cipher: FieldCipher;
  subjects: SubjectsService;
}

const CURSOR = /^[0-9a-f-]{36}$/;

function inScope(
  row: Pick<InteractionsTable, 'agent_ref' | 'queue' | 'sample_bucket'>,
  scope: ReadScope,
): boolean {
  if (scope.all) return true;
  return (
    (row.agent_ref !== null && scope.agentRefs.includes(row.agent_ref)) ||
    (row.queue !== null && scope.queues.includes(row.queue)) ||
    Number(row.sample_bucket) < scope.samplePercent
  );
}

export function createInteractionsReadService(deps: ReadDeps) {
  const { db } = deps.storage;

  async function load(dbx: DbOrTransaction, ctx: ReadContext, id: string) {
    const row = await findInteractionById(dbx, ctx.tenantId, id);
    if (!row || !inScope(row, ctx.scope)) throw interactionError('INTERACTION_NOT_FOUND');
    return row;
  }

  async function decryptJson<T>(
    dbx: DbOrTransaction,
    ctx: ReadContext,
    row: InteractionsTable,
    column: 'body' | 'originals',
  ): Promise<T> {
    const ciphertext = row[column];
    if (!ciphertext) return {} as T;
    const plaintext = await deps.cipher.decrypt(dbx, {
      tenantId: ctx.tenantId,
      subjectId: row.subject_id ?? undefined,
      table: 'interactions',
      column,
      rowId: row.id,
      ciphertext: Buffer.from(ciphertext),
    });
    return JSON.parse(plaintext.toString('utf8')) as T;
  }

  const audit = (
    dbx: DbOrTransaction,
    ctx: ReadContext,
    action: string,
    target: string | undefined,
    extra: {
      reason?: string;
      details?: Record<string, string | number | boolean | null>;
      sensitive?: Record<string, string>;
    } = {},
  ) =>
    deps.audit.record(dbx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action,
      outcome: 'success',
      ...(target ? { target: { type: 'interaction', id: target } } : {}),
      ...(ctx.origin ? { origin: ctx.origin } : {}),
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      ...extra,
    });

  return {
    /** Metadata only (nothing decrypted), newest first, with an opaque cursor. The search itself is audited. */
    async list(
      ctx: ReadContext,
      filter: ListFilter,
    ): Promise<{ items: InteractionSummary[]; nextCursor: string | null }> {
      if (filter.cursor !== undefined && !CURSOR.test(filter.cursor))
        throw interactionError('INTERACTION_CURSOR_INVALID');
      const keys = await deps.subjects.keysOf(db, ctx.tenantId, {
        phone: filter.customerPhone,
        email: filter.customerEmail,
      });
      const rows = await listInteractions(db, {
        tenantId: ctx.tenantId,
        ...(filter.from !== undefined ? { from: filter.from } : {}),
        ...(filter.to !== undefined ? { to: filter.to } : {}),
        ...(filter.channel ? { channel: filter.channel } : {}),
        ...(filter.queue ? { queue: filter.queue } : {}),
        ...(filter.agentRef ? { agentRef: filter.agentRef } : {}),
        ...(keys.phone_bidx ? { phoneBidx: keys.phone_bidx } : {}),
        ...(keys.email_bidx ? { emailBidx: keys.email_bidx } : {}),
        ...(filter.findingType ? { findingType: filter.findingType } : {}),
        scope: ctx.scope,
        ...(filter.cursor ? { beforeId: filter.cursor } : {}),
        limit: filter.limit + 1,
      });
      const page = rows.slice(0, filter.limit);
      const types = await findingTypesOf(
        db,
        ctx.tenantId,
        page.map((r) => r.id),
      );
      const items = page.map(
        (r): InteractionSummary => ({
          id: r.id,
          sourcePlatform: r.source_platform,
          sourceId: r.source_id,
          channel: r.channel,
          direction: r.direction,
          startedAt: r.started_at === null ? null : Number(r.started_at),
          endedAt: r.ended_at === null ? null : Number(r.ended_at),
          language: r.language,
          queue: r.queue,
          agentRef: r.agent_ref,
          segmentCount: Number(r.segment_count),
          findingCount: Number(r.finding_count),
          findingTypes: Object.fromEntries(
            types.filter((t) => t.interaction_id === r.id).map((t) => [t.type, Number(t.count)]),
          ),
          hasRecording: Boolean(r.has_recording),
          ingestedAt: Number(r.ingested_at),
          anonymized: r.anonymized_at !== null,
        }),
      );
      const sensitive = {
        ...(filter.customerPhone ? { customerPhone: filter.customerPhone } : {}),
        ...(filter.customerEmail ? { customerEmail: filter.customerEmail } : {}),
      };
      await audit(db, ctx, 'interactions.search', undefined, {
        details: {
          results: items.length,
          ...(filter.findingType ? { findingType: filter.findingType } : {}),
        },
        sensitive,
      });
      return { items, nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null };
    },

    /** The redacted view: transcript placeholders, customers' fields masked per the reader's role. */
    async get(ctx: ReadContext, id: string): Promise<{ row: InteractionsTable; document: StoredDocument }> {
      const row = await load(db, ctx, id);
      const document = await decryptJson<StoredDocument>(db, ctx, row, 'body');
      applyFieldVisibility(document, ctx.fields);
      await audit(db, ctx, 'interactions.view', id);
      return { row, document };
    },

    /**
     * One unredacted field, for a permitted role, with a mandatory reason; audited in the same
     * transaction as the read. Card numbers are never revealed here (the vault detokenizes).
     */
    async reveal(
      ctx: ReadContext,
      id: string,
      field: string,
      reason: string,
    ): Promise<{ field: string; value: string }> {
      return db.transaction().execute(async (trx) => {
        const row = await load(trx, ctx, id);
        const value = await revealValue(trx, ctx, row, field);
        await audit(trx, ctx, 'interactions.reveal', id, { reason, details: { field } });
        return { field, value };
      });
    },
  };

  async function revealValue(
    trx: DbOrTransaction,
    ctx: ReadContext,
    row: InteractionsTable,
    field: string,
  ): Promise<string> {
    if (row.anonymized_at !== null) throw interactionError('INTERACTION_ANONYMIZED');
    const participant = /^participants\[(\d+)\]\.(\w+)$/.exec(field);
    if (participant) {
      const document = await decryptJson<StoredDocument>(trx, ctx, row, 'body');
      const name = participant[2] as (typeof PARTICIPANT_FIELDS)[number];
      const value = PARTICIPANT_FIELDS.includes(name)
        ? document.participants[Number(participant[1])]?.[name]
        : undefined;
      if (value === undefined) throw interactionError('INTERACTION_FIELD_UNKNOWN');
      return value;
    }
    const finding = /^segments\[(\d+)\]\.findings\[(\d+)\]$/.exec(field);
    if (!finding) throw interactionError('INTERACTION_FIELD_UNKNOWN');
    const document = await decryptJson<StoredDocument>(trx, ctx, row, 'body');
    const stored = document.segments[Number(finding[1])]?.findings[Number(finding[2])];
    if (!stored) throw interactionError('INTERACTION_FIELD_UNKNOWN');
    if (!stored.ref) throw interactionError('INTERACTION_FIELD_NOT_REVEALABLE');
    const originals = await decryptJson<Record<string, string>>(trx, ctx, row, 'originals');
    const value = originals[stored.ref];
    if (value === undefined) throw interactionError('INTERACTION_FIELD_UNKNOWN');
    return value;
  }
}

export type InteractionsReadService = ReturnType<typeof createInteractionsReadService>;
