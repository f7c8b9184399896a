import { interactionModelError } from './interaction.errors.ts';
import type { Interaction, Media, Participant, RedactionState, Segment } from './interaction.schema.ts';
import { validateInteraction } from './interaction.validate.ts';

/**
 * Merges two revisions of the same source interaction (same platform and source id) into one.
 * Webhook platforms deliver a conversation piecemeal and at least once, in any order: Chatwoot
 * sends one message per event, Transcribe streaming one result per event, Connect one lifecycle
 * step per event. Merging is commutative for the segments it keeps (union by segment id, the
 * higher revision's version of a segment wins) and takes scalar fields from the higher revision,
 * falling back to the lower one where the higher one is silent. The result is validated again,
 * since a merge can push an interaction over a size limit.
 */
export function mergeInteractions(a: Interaction, b: Interaction): Interaction {
  if (a.source.platform !== b.source.platform || a.source.id !== b.source.id) {
    throw interactionModelError('INTERACTION_MERGE_MISMATCH');
  }
  const [older, newer] = b.source.revision >= a.source.revision ? [a, b] : [b, a];
  const merged: Interaction = {
    ...older,
    ...definedFields(newer),
    source: {
      ...older.source,
      ...definedFields(newer.source),
      revision: Math.max(a.source.revision, b.source.revision),
      externalIds: { ...older.source.externalIds, ...newer.source.externalIds },
    },
    // `unknown` is the absence of a direction, not a value that should overwrite a known one.
    direction: newer.direction === 'unknown' ? older.direction : newer.direction,
    startedAtMs: extreme(Math.min, a.startedAtMs, b.startedAtMs),
    endedAtMs: extreme(Math.max, a.endedAtMs, b.endedAtMs),
    participants: unionBy(older.participants, newer.participants, (p) => p.ref, mergeFields<Participant>),
    segments: orderSegments(unionBy(older.segments, newer.segments, segmentKey, (_old, next) => next)),
    media: unionBy(older.media, newer.media, (m) => m.id, mergeFields<Media>),
    attributes: Object.fromEntries([
      ...Object.entries(older.attributes),
      ...Object.entries(newer.attributes),
    ]),
    categories: [...new Set([...older.categories, ...newer.categories])],
    redaction: mergeRedaction(older.redaction, newer.redaction),
  };
  if (merged.startedAtMs === undefined) delete merged.startedAtMs;
  if (merged.endedAtMs === undefined) delete merged.endedAtMs;
  return validateInteraction(merged);
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function mergeFields<T extends object>(older: T, newer: T): T {
  return { ...older, ...definedFields(newer) };
}

function extreme(pick: (...values: number[]) => number, x?: number, y?: number): number | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return pick(x, y);
}

function unionBy<T>(
  older: T[],
  newer: T[],
  key: (item: T) => string,
  combine: (older: T, newer: T) => T,
): T[] {
  const byKey = new Map<string, T>();
  for (const item of older) byKey.set(key(item), item);
  for (const item of newer) {
    const existing = byKey.get(key(item));
    byKey.set(key(item), existing === undefined ? item : combine(existing, item));
  }
  return [...byKey.values()];
}

/** Segments without a platform id are deduplicated on their content and position. */
function segmentKey(segment: Segment): string {
  if (segment.id !== undefined) return `id:${segment.id}`;
  return `content:${JSON.stringify([segment.role, segment.participantRef, segment.startMs, segment.sentAtMs, segment.text])}`;
}

/** Orders by message time or by recording offset when every segment has one; otherwise keeps arrival order. */
function orderSegments(segments: Segment[]): Segment[] {
  if (segments.every((s) => s.sentAtMs !== undefined)) {
    return segments.toSorted((x, y) => x.sentAtMs! - y.sentAtMs!);
  }
  if (segments.every((s) => s.startMs !== undefined)) {
    return segments.toSorted((x, y) => x.startMs! - y.startMs!);
  }
  return segments;
}

const STATE_STRENGTH = { none: 0, identified: 1, masked: 2 } as const;

function mergeRedaction(older: RedactionState, newer: RedactionState): RedactionState {
  const stronger = STATE_STRENGTH[newer.platformState] >= STATE_STRENGTH[older.platformState] ? newer : older;
  return {
    ...stronger,
    requestedEntityTypes: [...new Set([...older.requestedEntityTypes, ...newer.requestedEntityTypes])],
  };
}
