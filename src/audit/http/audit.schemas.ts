import { z } from 'zod';
import { proofBundleSchema } from '../checkpoint/index.ts';

const shortText = z.string().min(1).max(200);
const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const eventsQuerySchema = z.strictObject({
  actor: shortText.optional().describe('Actor id (user, API key or job)'),
  action: z
    .string()
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/, 'must be a dotted action, optionally ending in .*')
    .max(120)
    .optional()
    .describe('Exact action, or a prefix ending in .* (auth.*)'),
  targetType: shortText.optional(),
  targetId: shortText.optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Events before this time'),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const eventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  occurredAt: z.string(),
  actor: z.object({ type: z.string(), id: z.string(), name: z.string().nullable() }),
  action: z.string(),
  outcome: z.string(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }).nullable(),
  reason: z.string().nullable(),
  origin: z.object({ ip: z.string().nullable(), userAgent: z.string().nullable() }),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  sensitive: z.record(z.string(), z.string()).nullable().describe('HMAC-SHA-256 of sensitive values'),
});

export const eventsResponseSchema = z.object({
  events: z.array(eventSchema),
  nextCursor: z.string().nullable(),
});

export const eventIdParamsSchema = z.strictObject({ id: z.uuid() });
export const proofQuerySchema = z.strictObject({ treeSize: treeSize.optional() });

export const proofResponseSchema = z.object({
  event: eventSchema,
  bundle: proofBundleSchema,
});

export const checkpointSchema = z.object({
  id: z.string(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  origin: z.string(),
  note: z.string().describe('Signed note (c2sp.org/tlog-checkpoint)'),
  keyId: z.string(),
  createdAt: z.string(),
  trigger: z.enum(['schedule', 'demand']),
});

export const checkpointsQuerySchema = z.strictObject({
  before: treeSize.optional().describe('Only checkpoints smaller than this tree size (paging)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const checkpointsResponseSchema = z.object({
  checkpoints: z.array(checkpointSchema),
  verifierKeys: z.array(z.string()),
  nextBefore: z.number().int().nullable(),
});

export const createdCheckpointSchema = z.object({ checkpoint: checkpointSchema, created: z.boolean() });

export const consistencyQuerySchema = z.strictObject({ from: treeSize, to: treeSize });

export const verifyBodySchema = z
  .strictObject({ fromTreeSize: treeSize.optional() })
  .nullish()
  .describe('Start from the trusted checkpoint of this size instead of the first event');

const problemSchema = z.object({
  kind: z.string(),
  seq: z.number().int().optional(),
  eventId: z.string().optional(),
  treeSize: z.number().int().optional(),
  checkpointId: z.string().optional(),
  detail: z.string(),
});

export const verifyResponseSchema = z.object({
  ok: z.boolean(),
  fromTreeSize: z.number().int(),
  eventsChecked: z.number().int(),
  logSize: z.number().int(),
  treeHeadSize: z.number().int(),
  checkpointsChecked: z.number().int(),
  firstBadEvent: problemSchema.nullable(),
  problems: z.array(problemSchema),
  problemsTruncated: z.boolean(),
});
