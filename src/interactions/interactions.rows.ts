import { createHash } from 'node:crypto';
import type { SubjectKeys } from '../subjects/index.ts';
import type { BuiltDocument } from './interactions.document.ts';
import type { InteractionFindingsTable, InteractionsTable } from './interactions.tables.ts';
import type { Interaction } from './model/index.ts';

const CATEGORY: Record<Interaction['channel'], string> = {
  voice: 'voice_transcript',
  chat: 'chat',
  email: 'email',
  sms: 'sms',
};

/** The stored columns of an interaction; everything personal arrives already sealed. */
export function interactionRow(input: {
  id: string;
  interaction: Interaction;
  built: BuiltDocument;
  subjectId: string | undefined;
  keys: SubjectKeys;
  body: Buffer;
  originals: Buffer | null;
  now: number;
}): Omit<InteractionsTable, 'id' | 'tenant_id' | 'ingested_at'> {
  const { interaction, built } = input;
  const agent = interaction.participants.find((x) => x.role === 'agent');
  return {
    subject_id: input.subjectId ?? null,
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
    customer_phone_bidx: input.keys.phone_bidx ?? null,
    customer_email_bidx: input.keys.email_bidx ?? null,
    segment_count: interaction.segments.length,
    finding_count: Object.values(built.findingCounts).reduce((a, b) => a + b, 0),
    category: CATEGORY[interaction.channel],
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
