import { z } from 'zod';
import { FIELD_NAMES, PERMISSION_NAMES } from './access.permissions.ts';
import { BUILTIN_ROLE_NAMES, ROLE_NAME_PATTERN } from './access.roles.ts';
import { isTimeZone, parseHhmm, WEEKDAYS } from './access.time-windows.ts';
import { isCidr } from './access.zones.ts';

export const roleNameSchema = z
  .string()
  .regex(ROLE_NAME_PATTERN, 'must be 2-40 lowercase letters, digits, dashes or underscores');
export const zoneNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be 1-40 lowercase letters, digits, dashes or underscores');
const hhmm = z.string().refine((v) => parseHhmm(v) !== null, 'must be HH:MM (24-hour)');

export const timeWindowSchema = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: hhmm,
    end: hhmm,
    timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
  })
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });

export const networkZoneSchema = z.object({
  name: zoneNameSchema,
  description: z.string().max(200).optional(),
  cidrs: z
    .array(z.string().max(50).refine(isCidr, 'must be an IPv4 or IPv6 CIDR range such as 10.0.0.0/8'))
    .min(1)
    .max(256),
});

/**
 * A condition on permissions: `*` is every permission check, `customer-data` every permission
 * that opens customer data, or one named permission. Several rules on one permission all apply.
 */
export const conditionRuleSchema = z.object({
  target: z.union([z.literal('*'), z.literal('customer-data'), z.enum(PERMISSION_NAMES)]),
  /** The client must be in one of these zones. */
  zones: z.array(zoneNameSchema).min(1).max(16).optional(),
  /** The device must be reported compliant by the device posture source. */
  device: z.boolean().optional(),
  /** Security training current and background check valid, per the workforce source. */
  workforce: z.boolean().optional(),
  /** Require a recent MFA verification even where the permission does not by default. */
  stepUp: z.boolean().optional(),
});

const elevationSettings = z.object({
  /** Longest elevation a requester may ask for. */
  maxMinutes: z.int().min(5).max(1440).default(480),
  /** A request nobody decides within this time lapses. */
  pendingMinutes: z.int().min(10).max(10080).default(1440),
});

const DEFAULT_BREAK_GLASS_ROLES = BUILTIN_ROLE_NAMES.filter((r) => r !== 'integration');

const breakGlassSettings = z.object({
  maxMinutes: z.int().min(5).max(240).default(60),
  /** Roles that break-glass may open. */
  roles: z
    .array(roleNameSchema)
    .max(32)
    .default([...DEFAULT_BREAK_GLASS_ROLES]),
});

const reviewSettings = z.object({
  enabled: z.boolean().default(true),
  /** PCI DSS 7.2.4 asks for at least every six months; the default is quarterly. */
  intervalDays: z.int().min(1).max(180).default(90),
  dueDays: z.int().min(1).max(60).default(14),
  undecided: z.enum(['revoke', 'keep']).default('revoke'),
  /** A user without a login for this long is flagged dormant. */
  dormantDays: z.int().min(7).max(365).default(90),
});

export const accessPolicySchema = z
  .object({
    zones: z.array(networkZoneSchema).max(30).default([]),
    rules: z.array(conditionRuleSchema).max(128).default([]),
    roleWindows: z
      .array(z.object({ role: roleNameSchema, windows: z.array(timeWindowSchema).min(1).max(14) }))
      .max(64)
      .default([]),
    /** How recent an MFA verification must be for sensitive actions (seconds). */
    stepUpSeconds: z.int().min(60).max(3600).default(300),
    elevation: elevationSettings.prefault({}),
    breakGlass: breakGlassSettings.prefault({}),
    reviews: reviewSettings.prefault({}),
  })
  .superRefine((policy, ctx) => {
    const zoneNames = new Set<string>();
    policy.zones.forEach((zone, i) => {
      if (zoneNames.has(zone.name))
        ctx.addIssue({ code: 'custom', path: ['zones', i, 'name'], message: 'duplicate zone' });
      zoneNames.add(zone.name);
    });
    policy.rules.forEach((rule, i) => {
      for (const zone of rule.zones ?? []) {
        if (!zoneNames.has(zone)) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'zones'],
            message: `zone ${zone} is not defined`,
          });
        }
      }
    });
    const windowRoles = new Set<string>();
    policy.roleWindows.forEach((entry, i) => {
      if (windowRoles.has(entry.role)) {
        ctx.addIssue({ code: 'custom', path: ['roleWindows', i, 'role'], message: 'role listed twice' });
      }
      windowRoles.add(entry.role);
    });
    if (policy.reviews.dueDays > policy.reviews.intervalDays) {
      ctx.addIssue({ code: 'custom', path: ['reviews', 'dueDays'], message: 'must not exceed intervalDays' });
    }
  });

export type AccessPolicy = z.output<typeof accessPolicySchema>;
export type AccessPolicyInput = z.input<typeof accessPolicySchema>;
export type ConditionRule = z.output<typeof conditionRuleSchema>;

export const DEFAULT_ACCESS_POLICY: AccessPolicy = Object.freeze(accessPolicySchema.parse({}));

export const customRoleSchema = z.object({
  name: roleNameSchema,
  displayName: z.string().trim().min(1).max(80),
  description: z.string().trim().max(300).default(''),
  grants: z
    .array(
      z.object({
        permission: z.enum(PERMISSION_NAMES),
        scope: z.enum(['own', 'team', 'sampled', 'tenant']).default('tenant'),
      }),
    )
    .min(1)
    .max(PERMISSION_NAMES.length),
  fields: z.partialRecord(z.enum(FIELD_NAMES), z.enum(['unmasked', 'masked', 'omitted'])).default({}),
});

export type CustomRoleInput = z.input<typeof customRoleSchema>;
