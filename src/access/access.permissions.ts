import type { RouteAccess } from '../http/route-access.ts';

/** Whether a permission's reach can be narrowed to the caller's own, team's or sampled records. */
export type ScopeKind = 'own' | 'team' | 'sampled' | 'tenant';

export interface PermissionDefinition {
  /** What the permission lets someone do, in product words (used in denials and the docs). */
  description: string;
  /** Opens customer data: a tenant rule on `customer-data` (zones, device, workforce) applies to it. */
  customerData: boolean;
  /**
   * Sensitive actions (reveal, detokenize, export, security changes) need an MFA verification
   * within the tenant's step-up window; a tenant cannot switch this off (PCI DSS 8.4, 8.5).
   */
  stepUp: boolean;
  /** Records this permission reaches can be limited by scope (own/team/sampled); else tenant-wide. */
  scoped: boolean;
}

const p = (
  description: string,
  flags: { customerData?: boolean; stepUp?: boolean; scoped?: boolean } = {},
): PermissionDefinition => ({
  description,
  customerData: flags.customerData ?? false,
  stepUp: flags.stepUp ?? false,
  scoped: flags.scoped ?? false,
});

/**
 * The catalog of named permissions. Routes declare one of these, roles are built from them, and
 * the authorization matrix test checks every route against them.
 */
export const PERMISSIONS = {
  'interactions.read': p('view interactions (redacted view)', { customerData: true, scoped: true }),
  'interactions.reveal': p('reveal the unmasked data of an interaction, with a reason', {
    customerData: true,
    stepUp: true,
    scoped: true,
  }),
  'interactions.export': p('export interactions', { customerData: true, stepUp: true, scoped: true }),
  'qa.evaluate': p('score interactions for quality assurance', { customerData: true, scoped: true }),
  'vault.tokenize': p('store card numbers in the vault as tokens', { customerData: true }),
  'vault.detokenize': p('recover a card number from its token, with a reason', {
    customerData: true,
    stepUp: true,
  }),
  'ingest.write': p('send interactions to Vigil through the ingest API'),
  'retention.manage': p('manage retention rules and legal holds', { stepUp: true }),
  'dsar.manage': p('handle data subject requests (access and erasure)', { customerData: true, stepUp: true }),
  'reports.read': p('read compliance reports'),
  'audit.read': p('read the audit log'),
  'audit.verify': p('verify the integrity of the audit log'),
  'audit.checkpoint': p('sign audit log checkpoints'),
  'users.read': p('list users and the roles they hold'),
  'users.manage': p('invite, suspend and reset users, and grant or revoke their roles', { stepUp: true }),
  'apikeys.manage': p('create and revoke integration API keys', { stepUp: true }),
  'roles.manage': p('define custom roles and teams', { stepUp: true }),
  'access.read': p('view roles, access policy, teams, elevations and access reviews'),
  'access.manage': p('change network zones, access conditions and time windows', { stepUp: true }),
  'access.elevate.approve': p('approve or deny temporary elevation requests', { stepUp: true }),
  'access.breakglass': p('open emergency (break-glass) access', { stepUp: true }),
  'access.review': p('decide the access-review items assigned to you'),
  'access.review.manage': p('start, close and export access-review campaigns', { stepUp: true }),
  'keys.read': p('view encryption key status'),
  'keys.manage': p('rotate encryption keys and schedule key destruction', { stepUp: true }),
  'incidents.manage': p('handle security incidents'),
} as const satisfies Record<string, PermissionDefinition>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES: readonly Permission[] = Object.freeze(
  Object.keys(PERMISSIONS) as Permission[],
);

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

/** The route declaration for a permission, so feature routes cannot name one that does not exist. */
export function requirePermission(permission: Permission): RouteAccess {
  return { kind: 'permission', permission };
}

/**
 * Fields whose visibility a role controls. `unmasked` shows the value, `masked` shows the
 * redacted form (last digits of a phone, a bleeped recording), `omitted` leaves it out.
 */
export const FIELDS = {
  'customer.name': 'name of the customer',
  'customer.phone': 'phone number of the customer',
  'customer.email': 'email address of the customer',
  'customer.address': 'postal address of the customer',
  'customer.account': 'account or customer number',
  'agent.name': 'name of the agent',
  'transcript.text': 'transcript and message text',
  'payment.card': 'card number (as stored: masked PAN or token)',
  'recording.audio': 'call recording',
  'attachments.content': 'email and chat attachments',
} as const;

export type FieldName = keyof typeof FIELDS;
export type FieldVisibility = 'unmasked' | 'masked' | 'omitted';

export const FIELD_NAMES: readonly FieldName[] = Object.freeze(Object.keys(FIELDS) as FieldName[]);

export function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELDS, name);
}
