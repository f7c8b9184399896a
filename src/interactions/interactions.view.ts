import type { z } from 'zod';
import type { StoredDocument } from './interactions.document.ts';
import type { interactionViewSchema } from './interactions.schemas.ts';
import type { InteractionsTable } from './interactions.tables.ts';

type View = z.infer<typeof interactionViewSchema>;

/** Picks, field by field, what a reader of the redacted interaction receives. */
export function toInteractionView(row: InteractionsTable, document: StoredDocument): View {
  return {
    id: row.id,
    source: {
      platform: document.source.platform,
      id: document.source.id,
      revision: document.source.revision,
    },
    channel: document.channel,
    direction: document.direction,
    startedAt: document.startedAtMs ?? null,
    endedAt: document.endedAtMs ?? null,
    language: document.language ?? null,
    queue: document.queue?.name ?? document.queue?.id ?? null,
    subject: document.subject ?? null,
    participants: document.participants.map((p) => ({
      ref: p.ref,
      role: p.role,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.handle !== undefined ? { handle: p.handle } : {}),
      ...(p.phone !== undefined ? { phone: p.phone } : {}),
      ...(p.email !== undefined ? { email: p.email } : {}),
      ...(p.address !== undefined ? { address: p.address } : {}),
    })),
    segments: document.segments.map((s) => ({
      role: s.role,
      ...(s.participantRef !== undefined ? { participantRef: s.participantRef } : {}),
      text: s.text,
      ...(s.startMs !== undefined ? { startMs: s.startMs } : {}),
      ...(s.endMs !== undefined ? { endMs: s.endMs } : {}),
      ...(s.sentAtMs !== undefined ? { sentAtMs: s.sentAtMs } : {}),
      ...(s.internal !== undefined ? { internal: s.internal } : {}),
      findings: s.findings.map((f) => ({
        type: f.type,
        start: f.start,
        end: f.end,
        confidence: f.confidence,
        ...(f.token ? { token: f.token } : {}),
        revealable: f.ref !== undefined,
      })),
    })),
    media: document.media.map((m) => ({
      id: m.id,
      kind: m.kind,
      ...(m.contentType ? { contentType: m.contentType } : {}),
      ...(m.durationMs !== undefined ? { durationMs: m.durationMs } : {}),
      ...(m.uri ? { uri: m.uri } : {}),
    })),
    attributes: document.attributes,
    findingCounts: document.vigil.findingCounts,
    platformRedaction: document.redaction.platformState,
    hasRecording: Boolean(row.has_recording),
    anonymized: row.anonymized_at !== null,
  };
}
