import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

export const caseParams = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID'),
});

export const openCaseBody = z
  .strictObject({
    kind: z.enum(['access', 'erasure']),
    phone: z.string().trim().min(3).max(64).optional(),
    email: z.string().trim().min(3).max(320).optional(),
    customerRef: z.string().trim().min(1).max(200).optional(),
    receivedAt: isoTime
      .optional()
      .describe('When the request was received (deadlines run from it); defaults to now'),
    region: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{2,12}$/, 'must be a region code such as FR or CA-QC')
      .optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .refine(
    (b) => [b.phone, b.email, b.customerRef].filter((v) => v !== undefined).length === 1,
    'identify the customer by exactly one of phone, email or customerRef',
  );

export const casesQuery = z.object({
  status: z.enum(['open', 'awaiting', 'completed', 'rejected']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  before: caseParams.shape.id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const extendBody = z.strictObject({
  reason: z.string().trim().min(10).max(500).describe('Why more time is needed (told to the requester)'),
});
export const closeBody = z.strictObject({
  outcome: z.enum(['completed', 'rejected']),
  note: z.string().trim().max(1000).optional(),
});
export const exportQuery = z.object({ format: z.enum(['json', 'html']).default('json') });

const kept = z.object({
  category: z.string(),
  id: z.string(),
  reason: z.string(),
  detail: z.string(),
  cites: z.array(z.string()),
  until: isoTime.nullable(),
});
const dsarCase = z.object({
  id: z.string(),
  kind: z.enum(['access', 'erasure']),
  status: z.enum(['open', 'awaiting', 'completed', 'rejected']),
  identifiedBy: z.string(),
  subjectIds: z.array(z.string()),
  region: z.string().nullable(),
  packs: z.array(z.string()),
  receivedAt: isoTime,
  dueAt: isoTime.nullable(),
  effectiveDueAt: isoTime.nullable(),
  maxExtendedDueAt: isoTime.nullable(),
  extendedDueAt: isoTime.nullable(),
  extensionReason: z.string().nullable(),
  acknowledgeBy: z.object({ at: isoTime, cite: z.string() }).nullable(),
  basis: z.array(
    z.object({
      pack: z.string(),
      cite: z.string(),
      text: z.string(),
      dueAt: isoTime,
      extendedDueAt: isoTime,
      extensionCite: z.string().nullable(),
    }),
  ),
  holdWhileOpen: z.array(z.object({ pack: z.string(), cite: z.string() })),
  overdue: z.boolean(),
  daysLeft: z.number().nullable(),
  openedAt: isoTime,
  openedBy: z.string(),
  exportedAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  closedBy: z.string().nullable(),
  outcome: z
    .object({
      complete: z.boolean(),
      certificates: z.array(z.string()),
      subjects: z.array(
        z.object({
          subjectId: z.string(),
          found: z.boolean(),
          deleted: z.number(),
          anonymized: z.number(),
          recordingsRemoved: z.number(),
          erased: z.boolean(),
          kept: z.array(kept),
        }),
      ),
    })
    .nullable(),
  note: z.string().nullable(),
});
export const caseResponse = z.object({ case: dsarCase });
export const casesResponse = z.object({ cases: z.array(dsarCase) });
export const exportResponse = z.object({
  format: z.enum(['json', 'html']),
  contentType: z.string(),
  filename: z.string(),
  content: z.string(),
  sha256: z.string(),
});
