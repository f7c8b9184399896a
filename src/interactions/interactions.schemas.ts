import { z } from 'zod';
import { ENTITY_TYPES } from '../redaction/index.ts';
import { CHANNELS, DIRECTIONS, PARTICIPANT_ROLES } from './model/index.ts';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a Vigil id');
const time = z
  .union([z.iso.datetime({ offset: true }), z.coerce.number().int().min(0)])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

export const idParams = z.object({ id: uuid });

export const listQuerySchema = z.object({
  from: time.optional().describe('ISO-8601 time or epoch ms: started at or after'),
  to: time.optional().describe('ISO-8601 time or epoch ms: started before'),
  channel: z.enum(CHANNELS).optional(),
  queue: z.string().min(1).max(200).optional(),
  agent: z.string().min(1).max(200).optional().describe("The platform's agent id"),
  customerPhone: z
    .string()
    .min(3)
    .max(40)
    .optional()
    .describe('Matched through a blind index; never stored in the clear'),
  customerEmail: z
    .string()
    .min(3)
    .max(320)
    .optional()
    .describe('Matched through a blind index; never stored in the clear'),
  findingType: z.enum(ENTITY_TYPES).optional(),
  cursor: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const summarySchema = z.object({
  id: z.string(),
  sourcePlatform: z.string(),
  sourceId: z.string(),
  channel: z.string(),
  direction: z.string(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  language: z.string().nullable(),
  queue: z.string().nullable(),
  agentRef: z.string().nullable(),
  segmentCount: z.number(),
  findingCount: z.number(),
  findingTypes: z.record(z.string(), z.number()),
  hasRecording: z.boolean(),
  ingestedAt: z.number(),
  anonymized: z.boolean(),
});

export const listResponseSchema = z.object({
  items: z.array(summarySchema),
  nextCursor: z.string().nullable(),
});

const findingViewSchema = z.object({
  type: z.enum(ENTITY_TYPES),
  start: z.number(),
  end: z.number(),
  confidence: z.number(),
  /** Masked card reference (last four digits) when the finding is a tokenized card. */
  token: z.string().optional(),
  revealable: z.boolean(),
});

export const interactionViewSchema = z.object({
  id: z.string(),
  source: z.object({ platform: z.string(), id: z.string(), revision: z.number() }),
  channel: z.enum(CHANNELS),
  direction: z.enum(DIRECTIONS),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  language: z.string().nullable(),
  queue: z.string().nullable(),
  subject: z.string().nullable(),
  participants: z.array(
    z.object({
      ref: z.string(),
      role: z.enum(PARTICIPANT_ROLES),
      name: z.string().optional(),
      handle: z.string().optional(),
      phone: z.string().optional(),
      email: z.string().optional(),
      address: z.string().optional(),
    }),
  ),
  segments: z.array(
    z.object({
      role: z.enum(PARTICIPANT_ROLES),
      participantRef: z.string().optional(),
      text: z.string(),
      startMs: z.number().optional(),
      endMs: z.number().optional(),
      sentAtMs: z.number().optional(),
      internal: z.boolean().optional(),
      findings: z.array(findingViewSchema),
    }),
  ),
  media: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      contentType: z.string().optional(),
      durationMs: z.number().optional(),
      uri: z.string().optional(),
    }),
  ),
  attributes: z.record(z.string(), z.string()),
  findingCounts: z.record(z.string(), z.number()),
  platformRedaction: z.string(),
  hasRecording: z.boolean(),
  anonymized: z.boolean(),
});

export const revealBodySchema = z.object({
  field: z
    .string()
    .max(100)
    .regex(
      /^(participants\[\d{1,4}\]\.(name|handle|phone|email|address)|segments\[\d{1,5}\]\.findings\[\d{1,4}\])$/,
      'must name a participant field or a finding, e.g. segments[3].findings[0]',
    ),
  reason: z.string().trim().min(10, 'give a reason of at least 10 characters').max(500),
});

export const revealResponseSchema = z.object({ field: z.string(), value: z.string() });

export const ingestResultSchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  findings: z.record(z.string(), z.number()),
});

export const ingestResponseSchema = z.object({ results: z.array(ingestResultSchema) });

export const recordingResponseSchema = z.object({
  maskedMs: z.number(),
  ranges: z.number(),
  bytes: z.number(),
});

export const adapterParams = z.object({
  adapter: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be an adapter name'),
});
