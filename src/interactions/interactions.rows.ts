import { createHash } from 'node:crypto';
import type { SubjectKeys } from '../subjects/index.ts';
import type { BuiltDocument } from './interactions.document.ts';
import type { InteractionFindingsTable, InteractionsTable } from './interactions.tables.ts';
import type { Interaction, InteractionSource } from './model/index.ts';

const CATEGORY: Record<Interaction['channel'], string> = {
  voice: 'voice_transcript',
  chat: 'chat',
  email: 'email',
  sms: 'sms',
};

/**
 * What storing an interaction reads of it besides its document: the row's clear columns and the
 * source. Small, so a worker thread's result carries it as objects and the whole interaction as
 * JSON text (see prepare.worker.ts).
 */
export interface InteractionHead {
  source: InteractionSource;
  channel: Interaction['channel'];
  direction: Interaction['direction'];
  startedAtMs: number | null;
  endedAtMs: number | null;
  language: string | null;
  queue: string | null;
  /** The platform's id of the handling agent (an employee id, not customer data). */
  agentRef: string | null;
  segmentCount: number;
}

export function interactionHead(interaction: Interaction): InteractionHead {
  const agent = interaction.participants.find((x) => x.role === 'agent');
  return {
    source: interaction.source,
    channel: interaction.channel,
    direction: interaction.direction,
    startedAtMs: interaction.startedAtMs ?? null,
    endedAtMs: interaction.endedAtMs ?? null,
    language: interaction.language ?? null,
    queue: interaction.queue?.name ?? interaction.queue?.id ?? null,
    agentRef: agent?.externalId ?? null,
    segmentCount: interaction.segments.length,
  };
}

/** The stored columns of an interaction; everything personal arrives already sealed. */
export function interactionRow(input: {
  id: string;
  head: InteractionHead;
  built: Pick<BuiltDocument, 'findingCounts'>;
  subjectId: string | undefined;
  keys: SubjectKeys;
  body: Buffer;
  originals: Buffer | null;
  now: number;
}): Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'> {
  const { head, built } = input;
  return {
    subject_id: input.subjectId ?? null,
    source_platform: head.source.platform,
    source_id: head.source.id,
    source_revision: head.source.revision,
    source_adapter: head.source.adapter,
    channel: head.channel,
    direction: head.direction,
    started_at: head.startedAtMs,
    ended_at: head.endedAtMs,
    language: head.language,
    queue: head.queue,
    agent_ref: head.agentRef,
    customer_phone_bidx: input.keys.phone_bidx ?? null,
    customer_email_bidx: input.keys.email_bidx ?? null,
    segment_count: head.segmentCount,
    finding_count: Object.values(built.findingCounts).reduce((a, b) => a + b, 0),
    category: CATEGORY[head.channel],
    sample_bucket: createHash('sha256').update(input.id).digest().readUInt16BE(0) % 100,
    body: input.body,
    originals: input.originals,
    has_recording: 0,
    updated_at: input.now,
    anonymized_at: null,
  };
}

/** One row per finding type with its count, for filtering by what was found. */
export function findingRows(
  tenantId: string,
  interactionId: string,
  counts: Record<string, number>,
  now: number,
): InteractionFindingsTable[] {
  return Object.entries(counts).map(([type, count]) => ({
    tenant_id: tenantId,
    interaction_id: interactionId,
    type,
    count,
    ingested_at: now,
  }));
}
