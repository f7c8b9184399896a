import { z } from 'zod';
import {
  CHANNELS,
  DIRECTIONS,
  INTERACTION_LIMITS as L,
  MEDIA_KINDS,
  PARTICIPANT_ROLES,
  SENTIMENTS,
} from '../model/index.ts';

/**
 * Vigil's generic interaction format, for platforms without an adapter (documented with an
 * example in docs/adapters.md). It is deliberately close to the normalized model but friendlier to
 * write by hand: times may be ISO 8601 text or epoch milliseconds, a segment names its speaker by
 * participant ref, and word character offsets are optional (found in the text when absent).
 * Unknown fields are refused so a typo never silently drops data.
 */
const time = z.union([z.number().int().min(0).max(8_640_000_000_000_000), z.iso.datetime({ offset: true })]);
const offsetMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const label = z.string().min(1).max(L.labelChars);
const ref = z.string().min(1).max(L.idChars);
const namedRef = z.union([label, z.strictObject({ id: ref.optional(), name: label.optional() })]);

export const genericWordSchema = z.strictObject({
  text: z.string().min(1).max(L.labelChars),
  startMs: offsetMs,
  endMs: offsetMs,
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
  confidence: z.number().min(0).max(1).optional(),
});

export const genericSegmentSchema = z.strictObject({
  id: ref.optional(),
  participant: ref.optional(),
  role: z.enum(PARTICIPANT_ROLES).optional(),
  text: z.string().max(L.segmentTextChars),
  contentType: label.optional(),
  startMs: offsetMs.optional(),
  endMs: offsetMs.optional(),
  sentAt: time.optional(),
  sentiment: z.enum(SENTIMENTS).optional(),
  internal: z.boolean().optional(),
  words: z.array(genericWordSchema).max(L.wordsPerSegment).optional(),
});

export const genericParticipantSchema = z.strictObject({
  ref,
  role: z.enum(PARTICIPANT_ROLES),
  externalId: z.string().min(1).max(L.sourceIdChars).optional(),
  name: z.string().min(1).max(L.nameChars).optional(),
  handle: z.string().min(1).max(L.handleChars).optional(),
  phone: z.string().min(1).max(L.phoneChars).optional(),
  email: z.string().min(1).max(L.emailChars).optional(),
  address: z.string().min(1).max(L.addressChars).optional(),
});

export const genericMediaSchema = z.strictObject({
  id: ref,
  kind: z.enum(MEDIA_KINDS),
  uri: z.string().min(1).max(L.uriChars).optional(),
  contentType: label.optional(),
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  durationMs: offsetMs.optional(),
  fileName: z.string().min(1).max(L.nameChars).optional(),
  segmentId: ref.optional(),
});

export const genericInteractionSchema = z.strictObject({
  sourceId: z.string().min(1).max(L.sourceIdChars),
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  threadId: z.string().min(1).max(L.sourceIdChars).optional(),
  channel: z.enum(CHANNELS),
  direction: z.enum(DIRECTIONS).default('unknown'),
  startedAt: time.optional(),
  endedAt: time.optional(),
  language: z.string().min(2).max(L.languageChars).optional(),
  queue: namedRef.optional(),
  team: namedRef.optional(),
  status: label.optional(),
  subject: z.string().max(L.subjectChars).optional(),
  participants: z.array(genericParticipantSchema).max(L.participants).default([]),
  segments: z.array(genericSegmentSchema).max(L.segments).default([]),
  media: z.array(genericMediaSchema).max(L.media).default([]),
  attributes: z
    .record(z.string().min(1).max(L.attributeKeyChars), z.string().max(L.attributeValueChars))
    .refine((value) => Object.keys(value).length <= L.attributes, `more than ${L.attributes} entries`)
    .default({}),
  categories: z.array(label).max(L.categories).default([]),
});

/** Most interactions one generic request may carry. */
export const MAX_GENERIC_BATCH = 1_000;

export const genericPayloadSchema = z.union([
  z.strictObject({ interactions: z.array(genericInteractionSchema).min(1).max(MAX_GENERIC_BATCH) }),
  genericInteractionSchema,
]);

export type GenericInteraction = z.infer<typeof genericInteractionSchema>;
