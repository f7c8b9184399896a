import { z } from 'zod';

/**
 * Per-tenant authentication policy. Defaults follow PCI DSS v4.0 section 8 and NIST SP 800-63B-4:
 * MFA for everyone, 15-minute idle timeout (8.2.8), lockout after 10 failures for 30 minutes
 * (8.3.4), no composition rules and no forced rotation unless a tenant's auditors demand it.
 */
export const identityPolicySchema = z.object({
  /** `all`: every user needs a second factor; `roles`: only holders of `mfaRoles` (plus mandatory ones). */
  mfaRequired: z.enum(['all', 'roles']).default('all'),
  mfaRoles: z.array(z.string().min(1).max(64)).max(100).default([]),
  /** Sensitive operations need an MFA verification this recent. */
  stepUpMinutes: z.number().int().min(1).max(60).default(5),
  /** PCI 8.2.8 caps idle time at 15 minutes; a tenant may only shorten it. */
  idleTimeoutMinutes: z.number().int().min(1).max(15).default(15),
  absoluteLifetimeHours: z.number().int().min(1).max(24).default(12),
  /** NIST 800-63B-4: 15 when the password is the only factor, 8 minimum otherwise; PCI asks 12. */
  minLengthWithMfa: z.number().int().min(12).max(64).default(12),
  minLengthSingleFactor: z.number().int().min(15).max(64).default(15),
  maxLength: z.number().int().min(128).max(1024).default(128),
  /** Days after which a password must change; null: never (the NIST-recommended default). */
  rotationDays: z.number().int().min(30).max(365).nullable().default(null),
  /** How many previous passwords may not be reused (PCI 8.3.7 asks 4 when rotation is on). */
  historyCount: z.number().int().min(0).max(24).default(0),
  lockoutThreshold: z.number().int().min(3).max(10).default(10),
  lockoutMinutes: z
    .number()
    .int()
    .min(30)
    .max(24 * 60)
    .default(30),
  /** PCI 8.2.6: accounts unused this long are disabled. */
  dormantDays: z.number().int().min(1).max(90).default(90),
});

export type IdentityPolicy = z.infer<typeof identityPolicySchema>;

export const DEFAULT_POLICY: IdentityPolicy = Object.freeze(identityPolicySchema.parse({}));

/** A stored policy is merged over the defaults; an unreadable one falls back to the defaults. */
export function parseStoredPolicy(json: string | null | undefined): IdentityPolicy {
  if (!json) return DEFAULT_POLICY;
  const result = identityPolicySchema.safeParse(JSON.parse(json));
  return result.success ? result.data : DEFAULT_POLICY;
}

/** Whether a user holding these roles must have a second factor. */
export function mfaRequiredFor(
  policy: IdentityPolicy,
  roles: readonly string[],
  mandatoryRoles: readonly string[],
): boolean {
  if (policy.mfaRequired === 'all') return true;
  return roles.some((role) => policy.mfaRoles.includes(role) || mandatoryRoles.includes(role));
}

/** A partial update: the same bounds, no defaults (absent fields keep their current values). */
export const identityPolicyPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(identityPolicySchema.shape).map(([key, field]) => [key, field.unwrap().optional()]),
    ),
  )
  .strict() as unknown as z.ZodType<Partial<IdentityPolicy>>;
