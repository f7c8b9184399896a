import { z } from 'zod';
import { DATA_CATEGORIES, RETENTION_ACTIONS } from './retention.categories.ts';
import { packSchema } from './retention.packs.ts';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');
const packId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,39}$/,
    'must be a jurisdiction pack id (see GET /api/v1/retention/jurisdictions)',
  );
const region = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{2,12}$/, 'must be a region code such as FR or CA-QC');
const isoTime = z.iso.datetime({ offset: true });
const reason = z.string().trim().min(5).max(500);

export const idParams = z.object({ id: uuid });
export const packsResponse = z.object({ packs: z.array(packSchema) });

export const assignmentBody = z.strictObject({
  tenantPacks: z.array(packId).max(20).describe('Packs for every customer of the tenant'),
  segments: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(60),
        regions: z.array(region).min(1).max(300),
        packs: z.array(packId).min(1).max(20),
      }),
    )
    .max(50)
    .describe('Packs for the customers whose region is listed'),
});

const bound = z.object({ days: z.number(), pack: z.string(), cite: z.string() }).nullable();
const policy = z.object({
  id: z.string(),
  category: z.enum(DATA_CATEGORIES),
  jurisdiction: z.string().nullable(),
  maxAgeDays: z.number(),
  action: z.enum(RETENTION_ACTIONS),
});
const scopeRules = z.object({
  scope: z.string(),
  packs: z.array(z.string()),
  category: z.enum(DATA_CATEGORIES),
  policies: z.array(z.string()).describe('Ids of the policies that apply'),
  minimum: bound,
  maximum: bound,
  conflicts: z.array(z.object({ kind: z.string(), message: z.string(), cites: z.array(z.string()) })),
  gaps: z.array(z.object({ pack: z.string(), cite: z.string(), message: z.string() })),
});

export const evaluationResponse = z.object({
  assignment: z.object({
    tenantPacks: z.array(z.string()),
    segments: z.array(
      z.object({ name: z.string(), regions: z.array(z.string()), packs: z.array(z.string()) }),
    ),
  }),
  policies: z.array(policy),
  scopes: z.array(scopeRules),
});

export const policyBody = z.strictObject({
  category: z.enum(DATA_CATEGORIES),
  jurisdiction: packId
    .nullable()
    .default(null)
    .describe('The pack this policy is for; null for every customer'),
  maxAgeDays: z.number().int().min(1).max(36_600),
  action: z.enum(RETENTION_ACTIONS).default('delete'),
});
export const policyResponse = z.object({ policy });

const tally = z.object({
  scanned: z.number(),
  due: z.number(),
  deleted: z.number(),
  anonymized: z.number(),
  recordingsRemoved: z.number(),
  erased: z.number(),
  kept: z.record(z.string(), z.number()),
});
const finding = z.object({ category: z.string(), scope: z.string(), message: z.string() });
export const purgeReportResponse = z.object({
  mode: z.enum(['plan', 'run']),
  runId: z.string().nullable(),
  referenceAt: isoTime,
  aborted: z.boolean(),
  interruptedRuns: z.number(),
  categories: z.record(z.string(), tally),
  subjectsErased: z.number(),
  certificates: z.array(z.string()),
  recordingFilesRemoved: z.number(),
  conflicts: z.array(finding),
  gaps: z.array(finding),
  items: z.array(
    z.object({
      category: z.string(),
      id: z.string(),
      action: z.string(),
      reason: z.string(),
      policyId: z.string().nullable(),
      ageDays: z.number(),
      scope: z.string(),
    }),
  ),
  itemsTruncated: z.boolean(),
  auditLog: z.object({ retentionDays: z.number(), minimumDays: z.number(), note: z.string() }).nullable(),
  journal: z.object({ replayed: z.number(), reErased: z.number(), tampered: z.boolean() }).nullable(),
  subjectKeysScheduled: z.number(),
});
export const planQuery = z.object({ limit: z.coerce.number().int().min(0).max(10_000).default(1000) });

export const runsResponse = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      trigger: z.string(),
      actor: z.string(),
      startedAt: isoTime,
      finishedAt: isoTime.nullable(),
      status: z.string(),
      certificates: z.number(),
      report: z.unknown().nullable(),
    }),
  ),
});

export const certificatesQuery = z.object({
  origin: uuid.optional(),
  before: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const certificatesResponse = z.object({
  certificates: z.array(
    z.object({
      id: z.string(),
      originKind: z.string(),
      originId: z.string(),
      sequence: z.number(),
      issuedAt: isoTime,
      sha256: z.string(),
      keyId: z.string(),
      items: z.number(),
      auditEventId: z.string(),
    }),
  ),
});
export const certificateResponse = z.object({
  id: z.string(),
  document: z.string().describe('The signed JSON document, byte for byte'),
  sha256: z.string(),
  signature: z.string().describe('Ed25519 signature of the document bytes, base64'),
  keyId: z.string(),
  auditEventId: z.string(),
  verification: z.object({
    valid: z.boolean(),
    hash: z.boolean(),
    signature: z.boolean(),
    anchored: z.boolean(),
  }),
});
export const signingKeyResponse = z.object({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
});

const holdQuery = z.strictObject({
  categories: z.array(z.enum(DATA_CATEGORIES)).min(1).optional(),
  channels: z
    .array(z.enum(['voice', 'chat', 'email', 'sms']))
    .min(1)
    .optional(),
  queues: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  agentRefs: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  startedFrom: isoTime.optional(),
  startedTo: isoTime.optional(),
  createdFrom: isoTime.optional(),
  createdTo: isoTime.optional(),
});
export const holdBody = z
  .strictObject({
    name: z.string().trim().min(3).max(200),
    reason,
    owner: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .describe('Who answers for the hold (a person or the legal matter owner)'),
    expiresAt: isoTime.optional(),
    customer: z
      .strictObject({
        phone: z.string().min(3).max(64).optional(),
        email: z.string().min(3).max(320).optional(),
        customerRef: z.string().min(1).max(200).optional(),
      })
      .optional(),
    interactionIds: z.array(uuid).min(1).max(10_000).optional(),
    query: holdQuery.optional(),
  })
  .refine(
    (b) => [b.customer, b.interactionIds, b.query].filter((x) => x !== undefined).length === 1,
    'give exactly one of customer, interactionIds or query',
  );
export const releaseBody = z.strictObject({ reason });
const hold = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  reason: z.string(),
  owner: z.string(),
  query: z.record(z.string(), z.unknown()).nullable(),
  items: z.number(),
  createdAt: isoTime,
  createdBy: z.string(),
  expiresAt: isoTime.nullable(),
  releasedAt: isoTime.nullable(),
  releasedBy: z.string().nullable(),
  releaseReason: z.string().nullable(),
  active: z.boolean(),
});
export const holdResponse = z.object({ hold });
export const holdsResponse = z.object({ holds: z.array(hold) });
export const holdsQuery = z.object({ active: z.enum(['true', 'false']).optional() });

export const checksResponse = z.object({
  checks: z.array(
    z.object({
      id: z.string(),
      performedAt: isoTime,
      sha256: z.string(),
      keyId: z.string(),
      overdue: z.number(),
      auditEventId: z.string(),
    }),
  ),
});
export const checkResponse = z.object({
  id: z.string(),
  document: z.string(),
  sha256: z.string(),
  signature: z.string(),
  keyId: z.string(),
  auditEventId: z.string(),
});
export const checkRunResponse = z.object({ id: z.string(), overdue: z.number(), sha256: z.string() });
