import { z } from 'zod';
import { INTERACTION_LIMITS as L } from './interaction.limits.ts';

/**
 * The normalized Interaction: one model for every channel and platform. Adapters build it from
 * platform payloads; ingest redacts, encrypts and stores it. Times are epoch milliseconds; offsets
 * inside a recording are milliseconds from its start. Fields holding personal data are listed in
 * interaction.personal.ts (they are encrypted at rest and never logged).
 */

export const CHANNELS = ['voice', 'chat', 'email', 'sms'] as const;
export const DIRECTIONS = ['inbound', 'outbound', 'internal', 'unknown'] as const;
export const PARTICIPANT_ROLES = [
  'customer',
  'agent',
  'bot',
  'ivr',
  'supervisor',
  'system',
  'unknown',
] as const;
export const PLATFORMS = [
  'amazon-connect',
  'amazon-transcribe',
  'chatwoot',
  'email',
  'twilio',
  'generic',
] as const;
export const SENTIMENTS = ['positive', 'negative', 'neutral', 'mixed'] as const;
export const MEDIA_KINDS = ['recording', 'attachment'] as const;
/** What the platform did about personal data before Vigil saw the payload. */
export const PLATFORM_REDACTION_STATES = ['none', 'identified', 'masked'] as const;
export const MASK_MODES = ['generic', 'entity-type'] as const;

export type Channel = (typeof CHANNELS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
export type Platform = (typeof PLATFORMS)[number];

const id = z.string().min(1).max(L.idChars);
const label = z.string().min(1).max(L.labelChars);
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);
const offsetMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const charOffset = z.number().int().min(0).max(L.segmentTextChars);
const confidence = z.number().min(0).max(1);

function boundedRecord(maxEntries: number, keyChars: number, valueChars: number) {
  return z
    .record(z.string().min(1).max(keyChars), z.string().max(valueChars))
    .refine((value) => Object.keys(value).length <= maxEntries, `more than ${maxEntries} entries`);
}

export const sourceSchema = z.strictObject({
  platform: z.enum(PLATFORMS),
  /** The adapter that produced this interaction (see adapters/adapter.registry.ts). */
  adapter: label,
  /** Stable id of the conversation on the platform: the deduplication key within a tenant and platform. */
  id: z.string().min(1).max(L.sourceIdChars),
  /** Conversation the interaction belongs to (email thread root, related contact). */
  threadId: z.string().min(1).max(L.sourceIdChars).optional(),
  /** Monotonic per source id: a higher revision supersedes a lower one (see mergeInteractions). */
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** The platform's own format version, e.g. Contact Lens `VOICE-2022-11-30`. */
  formatVersion: label.optional(),
  /** Other platform identifiers (instance, job, account): never personal data. */
  externalIds: boundedRecord(L.externalIds, L.labelChars, L.sourceIdChars),
});

export const participantSchema = z.strictObject({
  /** Stable reference within the interaction; never personal data (no phone number, no address). */
  ref: id,
  role: z.enum(PARTICIPANT_ROLES),
  /** The platform's id of the person (agent ARN, user id): not personal data by itself. */
  externalId: z.string().min(1).max(L.sourceIdChars).optional(),
  name: z.string().min(1).max(L.nameChars).optional(),
  /** User name, chat identity or screen name. */
  handle: z.string().min(1).max(L.handleChars).optional(),
  phone: z.string().min(1).max(L.phoneChars).optional(),
  email: z.string().min(1).max(L.emailChars).optional(),
  address: z.string().min(1).max(L.addressChars).optional(),
});

export const wordSchema = z
  .strictObject({
    text: z.string().min(1).max(L.labelChars),
    /** Character offsets of the word in its segment's text (end exclusive). */
    start: charOffset,
    end: charOffset,
    startMs: offsetMs,
    endMs: offsetMs,
    confidence: confidence.optional(),
  })
  .refine((word) => word.end >= word.start, { message: 'end before start', path: ['end'] })
  .refine((word) => word.endMs >= word.startMs, { message: 'endMs before startMs', path: ['endMs'] });

/** A span the platform identified as personal data, and whether it already masked it in the text. */
export const platformRedactionSchema = z
  .strictObject({
    start: charOffset.optional(),
    end: charOffset.optional(),
    startMs: offsetMs.optional(),
    endMs: offsetMs.optional(),
    entityType: label.optional(),
    confidence: confidence.optional(),
    masked: z.boolean(),
  })
  .refine((span) => (span.start === undefined) === (span.end === undefined), 'start and end go together')
  .refine(
    (span) => (span.startMs === undefined) === (span.endMs === undefined),
    'startMs and endMs go together',
  )
  .refine((span) => span.start !== undefined || span.startMs !== undefined, 'needs characters or times')
  .refine((span) => span.start === undefined || span.end! >= span.start, 'end before start')
  .refine((span) => span.startMs === undefined || span.endMs! >= span.startMs, 'endMs before startMs');

export const segmentSchema = z
  .strictObject({
    /** The platform's id of the turn or message: merging deduplicates on it. */
    id: id.optional(),
    role: z.enum(PARTICIPANT_ROLES),
    participantRef: id.optional(),
    text: z.string().max(L.segmentTextChars),
    contentType: label.optional(),
    /** Offsets in the recording (voice) or from the conversation start. */
    startMs: offsetMs.optional(),
    endMs: offsetMs.optional(),
    /** Wall-clock time of a message (chat, email, SMS). */
    sentAtMs: epochMs.optional(),
    /** Audio channel or track label of a voice segment (`ch_0`, `inbound_track`). */
    channelLabel: label.optional(),
    sentiment: z.enum(SENTIMENTS).optional(),
    /** An internal note the customer never saw (private message, whisper). */
    internal: z.boolean().optional(),
    words: z.array(wordSchema).max(L.wordsPerSegment).optional(),
    platformRedactions: z.array(platformRedactionSchema).max(L.redactionsPerSegment).optional(),
  })
  .refine((s) => s.startMs === undefined || s.endMs === undefined || s.endMs >= s.startMs, {
    message: 'endMs before startMs',
    path: ['endMs'],
  })
  .superRefine((segment, ctx) => {
    segment.words?.forEach((word, index) => {
      if (word.end > segment.text.length) {
        ctx.addIssue({ code: 'custom', message: 'outside the segment text', path: ['words', index, 'end'] });
      }
    });
    segment.platformRedactions?.forEach((span, index) => {
      if (span.end !== undefined && span.end > segment.text.length) {
        ctx.addIssue({
          code: 'custom',
          message: 'outside the segment text',
          path: ['platformRedactions', index],
        });
      }
    });
  });

export const mediaSchema = z.strictObject({
  id,
  kind: z.enum(MEDIA_KINDS),
  /** Where the platform keeps the file (a recording location is personal data: encrypted at rest). */
  uri: z.string().min(1).max(L.uriChars).optional(),
  contentType: label.optional(),
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  durationMs: offsetMs.optional(),
  fileName: z.string().min(1).max(L.nameChars).optional(),
  /** SHA-256 (hex) of the bytes, when the adapter had them. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  channels: z.number().int().min(1).max(64).optional(),
  /** The platform already redacted this recording. */
  redacted: z.boolean().optional(),
  /** The message the attachment came with. */
  segmentId: id.optional(),
  status: label.optional(),
});

export const redactionStateSchema = z.strictObject({
  platformState: z.enum(PLATFORM_REDACTION_STATES),
  maskMode: z.enum(MASK_MODES).optional(),
  /** Entity types the platform was asked to find, in its own names (e.g. `CREDIT_DEBIT_NUMBER`). */
  requestedEntityTypes: z.array(label).max(L.categories),
});

const namedRef = z.strictObject({ id: id.optional(), name: label.optional() });

const interactionObjectSchema = z.strictObject({
  schemaVersion: z.literal(1),
  source: sourceSchema,
  channel: z.enum(CHANNELS),
  direction: z.enum(DIRECTIONS),
  /** Platform-specific sub-channel (`Channel::WebWidget`, `whatsapp`, `SMS`). */
  medium: label.optional(),
  startedAtMs: epochMs.optional(),
  endedAtMs: epochMs.optional(),
  durationMs: offsetMs.optional(),
  language: z.string().min(2).max(L.languageChars).optional(),
  queue: namedRef.optional(),
  team: namedRef.optional(),
  /** The platform's status word (`resolved`, `completed`, `DISCONNECTED`). */
  status: label.optional(),
  /** Email subject or conversation title: content, redacted like segment text. */
  subject: z.string().max(L.subjectChars).optional(),
  participants: z.array(participantSchema).max(L.participants),
  segments: z.array(segmentSchema).max(L.segments),
  media: z.array(mediaSchema).max(L.media),
  /** Extra platform attributes; values may hold personal data (encrypted at rest). */
  attributes: boundedRecord(L.attributes, L.attributeKeyChars, L.attributeValueChars),
  categories: z.array(label).max(L.categories),
  redaction: redactionStateSchema,
});

export const interactionSchema = interactionObjectSchema.superRefine((value, ctx) =>
  checkConsistency(value, (issue) => ctx.addIssue({ code: 'custom', ...issue })),
);

/** A rule broken across fields: where (a path in the interaction) and what. */
export interface ConsistencyIssue {
  message: string;
  path: (string | number)[];
  params?: { tooLarge: true };
}

/**
 * The interaction's rules that span fields: times in order, unique refs and ids, segments naming
 * known participants, total text size. Exported so an adapter whose payload schema already
 * enforced every field's own limits can check these alone (see generic.adapter.ts).
 */
export function checkConsistency(
  value: z.infer<typeof interactionObjectSchema>,
  addIssue: (issue: ConsistencyIssue) => void,
): void {
  if (
    value.startedAtMs !== undefined &&
    value.endedAtMs !== undefined &&
    value.endedAtMs < value.startedAtMs
  ) {
    addIssue({ message: 'before startedAtMs', path: ['endedAtMs'] });
  }
  reportDuplicates(
    value.participants.map((p) => p.ref),
    'participants',
    'ref',
    addIssue,
  );
  reportDuplicates(
    value.media.map((m) => m.id),
    'media',
    'id',
    addIssue,
  );
  const segmentIds = new Set<string>();
  value.segments.forEach((segment, index) => {
    if (segment.id === undefined) return;
    if (segmentIds.has(segment.id)) addIssue({ message: 'duplicate', path: ['segments', index, 'id'] });
    segmentIds.add(segment.id);
  });
  const refs = new Set(value.participants.map((p) => p.ref));
  let totalChars = 0;
  value.segments.forEach((segment, index) => {
    totalChars += segment.text.length;
    if (segment.participantRef !== undefined && !refs.has(segment.participantRef)) {
      addIssue({ message: 'names no participant', path: ['segments', index, 'participantRef'] });
    }
  });
  if (totalChars > L.totalTextChars) {
    addIssue({
      message: `more than ${L.totalTextChars} characters of text in all`,
      params: { tooLarge: true },
      path: ['segments'],
    });
  }
}

function reportDuplicates(
  values: string[],
  arrayKey: string,
  field: string,
  addIssue: (issue: ConsistencyIssue) => void,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) addIssue({ message: 'duplicate', path: [arrayKey, index, field] });
    seen.add(value);
  });
}

export type Interaction = z.infer<typeof interactionSchema>;
export type InteractionSource = z.infer<typeof sourceSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type Segment = z.infer<typeof segmentSchema>;
export type SegmentWord = z.infer<typeof wordSchema>;
export type PlatformRedaction = z.infer<typeof platformRedactionSchema>;
export type Media = z.infer<typeof mediaSchema>;
export type RedactionState = z.infer<typeof redactionStateSchema>;
