import { z } from 'zod';
import { FIELD_NAMES, PERMISSION_NAMES } from './access.permissions.ts';
import { accessPolicySchema, customRoleSchema, roleNameSchema, timeWindowSchema } from './access.policy.ts';

const isoTime = z.string();
const nullableIso = z.string().nullable();
const id = z.uuid();
const scope = z.enum(['own', 'team', 'sampled', 'tenant']);
const visibility = z.enum(['unmasked', 'masked', 'omitted']);

export const idParams = z.object({ id });
export const roleParams = z.object({ name: roleNameSchema });
export const itemParams = z.object({ id, itemId: id });

export const catalogResponse = z.object({
  permissions: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      customerData: z.boolean(),
      stepUp: z.boolean(),
      scoped: z.boolean(),
    }),
  ),
  fields: z.array(z.object({ name: z.string(), description: z.string() })),
});

export const roleSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  grants: z.array(z.object({ permission: z.string(), scope })),
  fields: z.partialRecord(z.enum(FIELD_NAMES), visibility),
  windows: z.array(timeWindowSchema),
});
export const rolesResponse = z.object({ roles: z.array(roleSchema) });
export const roleResponse = z.object({ role: roleSchema });
export const roleBody = customRoleSchema;
export const roleUpdateBody = customRoleSchema.omit({ name: true });

export const policyBody = accessPolicySchema;
export const policyResponse = z.object({ policy: accessPolicySchema });

const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  queues: z.array(z.string()),
  members: z.array(z.object({ userId: z.string(), lead: z.boolean() })),
  createdAt: isoTime,
});
export const teamResponse = z.object({ team: teamSchema });
export const teamsResponse = z.object({ teams: z.array(teamSchema) });
export const teamBody = z.object({
  name: z.string().trim().min(1).max(80),
  queues: z.array(z.string().min(1).max(120)).max(200).default([]),
});
export const queuesBody = z.object({ queues: z.array(z.string().min(1).max(120)).max(200) });
export const membersBody = z.object({
  members: z.array(z.object({ userId: id, lead: z.boolean().default(false) })).max(2000),
});

const elevationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  kind: z.enum(['role', 'permission']),
  name: z.string(),
  scope,
  reason: z.string(),
  minutes: z.number().int(),
  status: z.enum(['pending', 'approved', 'denied', 'expired', 'revoked', 'lapsed']),
  breakGlass: z.boolean(),
  requestedAt: isoTime,
  decidedBy: z.string().nullable(),
  decidedAt: nullableIso,
  decisionNote: z.string().nullable(),
  startsAt: nullableIso,
  expiresAt: nullableIso,
  endedAt: nullableIso,
});
export const elevationResponse = z.object({ elevation: elevationSchema });
export const elevationsResponse = z.object({
  elevations: z.array(elevationSchema),
  nextBefore: z.string().nullable(),
});
export const elevationBody = z
  .object({
    role: roleNameSchema.optional(),
    permission: z.enum(PERMISSION_NAMES).optional(),
    scope: scope.optional(),
    minutes: z.int().min(5).max(1440),
    reason: z.string().trim().min(10).max(500),
  })
  .refine((b) => (b.role === undefined) !== (b.permission === undefined), {
    message: 'give exactly one of role or permission',
    path: ['role'],
  });
export const elevationsQuery = z.object({
  all: z.enum(['true', 'false']).default('false'),
  status: z.enum(['pending', 'approved', 'denied', 'expired', 'revoked', 'lapsed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: id.optional(),
});
export const decisionNoteBody = z.object({ note: z.string().trim().max(500).optional() });
export const denyBody = z.object({ note: z.string().trim().min(3).max(500) });
export const breakGlassBody = z.object({
  role: roleNameSchema,
  reason: z.string().trim().min(20).max(500),
  minutes: z.int().min(5).max(240).optional(),
});

export const meResponse = z.object({
  roles: z.array(z.string()),
  permissions: z.array(z.object({ permission: z.string(), via: z.string(), grantedBy: z.string() })),
  fields: z.partialRecord(z.enum(FIELD_NAMES), visibility),
  elevations: z.array(elevationSchema),
});

const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['open', 'closed']),
  trigger: z.enum(['manual', 'scheduled']),
  undecidedRule: z.enum(['revoke', 'keep']),
  createdBy: z.string(),
  createdAt: isoTime,
  dueAt: isoTime,
  closedAt: nullableIso,
  itemCount: z.number().int(),
});
const itemSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  userStatus: z.string(),
  grantKind: z.enum(['role', 'elevation']),
  grantName: z.string(),
  elevationId: z.string().nullable(),
  reviewerId: z.string(),
  flags: z.array(z.object({ flag: z.string(), detail: z.string() })),
  lastUsedAt: nullableIso,
  decision: z.enum(['keep', 'revoke', 'change']).nullable(),
  changeTo: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: nullableIso,
  note: z.string().nullable(),
  outcome: z.string().nullable(),
});
export const campaignResponse = z.object({ campaign: campaignSchema });
export const campaignDetailResponse = z.object({ campaign: campaignSchema, items: z.array(itemSchema) });
export const campaignsResponse = z.object({ campaigns: z.array(campaignSchema) });
export const itemsResponse = z.object({ items: z.array(itemSchema) });
export const itemResponse = z.object({ item: itemSchema });
export const itemsQuery = z.object({ all: z.enum(['true', 'false']).default('false') });
export const campaignBody = z.object({
  name: z.string().trim().max(120).optional(),
  dueDays: z.int().min(1).max(60).optional(),
  undecided: z.enum(['revoke', 'keep']).optional(),
});
export const decisionBody = z
  .object({
    decision: z.enum(['keep', 'revoke', 'change']),
    changeTo: roleNameSchema.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((b) => b.decision !== 'change' || b.changeTo !== undefined, {
    message: 'changeTo is required to change a role',
    path: ['changeTo'],
  });
export const exportQuery = z.object({ format: z.enum(['csv', 'json']).default('json') });
export const exportResponse = z.object({
  format: z.enum(['csv', 'json']),
  contentType: z.string(),
  filename: z.string(),
  content: z.string(),
  sha256: z.string(),
  signature: z.string(),
  signatureAlgorithm: z.literal('Ed25519'),
  keyId: z.string(),
  publicKeyPem: z.string(),
  auditEventId: z.string(),
  auditSeq: z.number().int(),
});
export const signingKeyResponse = z.object({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
});

export const routeTableResponse = z.object({
  routes: z.array(
    z.object({
      method: z.string(),
      url: z.string(),
      access: z.enum(['public', 'authenticated', 'permission', 'integration']),
      permission: z.string().nullable(),
      scope: z.string().nullable(),
      /** Roles of this tenant that hold the permission (before conditions). */
      roles: z.array(z.string()),
    }),
  ),
});
