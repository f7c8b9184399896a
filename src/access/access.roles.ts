import type { FieldName, FieldVisibility, Permission, ScopeKind } from './access.permissions.ts';
import { FIELD_NAMES, PERMISSIONS } from './access.permissions.ts';

export interface PermissionGrant {
  permission: Permission;
  /** For scoped permissions: whose records; ignored (tenant-wide) for the others. */
  scope: ScopeKind;
}

export interface RoleDefinition {
  name: string;
  displayName: string;
  description: string;
  builtin: boolean;
  grants: readonly PermissionGrant[];
  /** Field visibility; fields not listed are masked. */
  fields: Readonly<Partial<Record<FieldName, FieldVisibility>>>;
}

const tenant = (...permissions: Permission[]): PermissionGrant[] =>
  permissions.map((permission) => ({ permission, scope: 'tenant' }));
const scoped = (scope: ScopeKind, ...permissions: Permission[]): PermissionGrant[] =>
  permissions.map((permission) => ({ permission, scope }));

function builtin(
  name: string,
  displayName: string,
  description: string,
  grants: PermissionGrant[],
  fields: Partial<Record<FieldName, FieldVisibility>>,
): RoleDefinition {
  return Object.freeze({
    name,
    displayName,
    description,
    builtin: true,
    grants: Object.freeze(grants),
    fields: Object.freeze(fields),
  });
}

/**
 * The built-in roles, least privilege first (PCI DSS 7.2.2): each holds only what the job needs.
 * Nobody built-in may open break-glass access: a tenant designates those accounts with a custom
 * role, so emergency access is a deliberate, reviewed choice.
 */
export const BUILTIN_ROLES = Object.freeze({
  agent: builtin(
    'agent',
    'Agent',
    'Handles customer contacts; sees their own interactions, redacted.',
    scoped('own', 'interactions.read'),
    { 'agent.name': 'unmasked', 'customer.name': 'unmasked', 'recording.audio': 'omitted' },
  ),
  supervisor: builtin(
    'supervisor',
    'Team lead / supervisor',
    "Leads teams; sees their teams' interactions, may reveal one with a reason, reviews their teams' access.",
    [
      ...scoped('team', 'interactions.read', 'interactions.reveal', 'qa.evaluate'),
      ...tenant('access.review'),
    ],
    { 'agent.name': 'unmasked', 'customer.name': 'unmasked' },
  ),
  qa_analyst: builtin(
    'qa_analyst',
    'QA analyst',
    'Scores sampled interactions; sees them redacted.',
    scoped('sampled', 'interactions.read', 'qa.evaluate'),
    { 'agent.name': 'unmasked' },
  ),
  payments_specialist: builtin(
    'payments_specialist',
    'Payments specialist',
    'Processes payments; may detokenize a card with a reason.',
    [...scoped('own', 'interactions.read'), ...tenant('vault.tokenize', 'vault.detokenize')],
    { 'agent.name': 'unmasked', 'customer.name': 'unmasked' },
  ),
  compliance_officer: builtin(
    'compliance_officer',
    'Compliance officer',
    'Runs retention, data subject requests, reports and access reviews.',
    [
      ...scoped('tenant', 'interactions.read'),
      ...tenant(
        'retention.manage',
        'dsar.manage',
        'reports.read',
        'audit.read',
        'audit.verify',
        'users.read',
        'access.read',
        'access.review',
        'access.review.manage',
      ),
    ],
    { 'agent.name': 'unmasked' },
  ),
  security_admin: builtin(
    'security_admin',
    'Security administrator',
    'Manages users, roles, keys, access policy and incidents; sees no customer data.',
    tenant(
      'users.read',
      'users.manage',
      'apikeys.manage',
      'roles.manage',
      'access.read',
      'access.manage',
      'access.elevate.approve',
      'access.review',
      'access.review.manage',
      'keys.read',
      'keys.manage',
      'incidents.manage',
      'audit.read',
      'audit.verify',
      'audit.checkpoint',
    ),
    // No customer data: should a security administrator also hold a data role, that role decides.
    { ...Object.fromEntries(FIELD_NAMES.map((f) => [f, 'omitted'])), 'agent.name': 'unmasked' },
  ),
  auditor: builtin(
    'auditor',
    'Auditor',
    'Reads everything for an assessment, redacted; changes nothing and reveals nothing.',
    [
      ...scoped('tenant', 'interactions.read'),
      ...tenant('audit.read', 'audit.verify', 'reports.read', 'users.read', 'access.read', 'keys.read'),
    ],
    { 'agent.name': 'unmasked' },
  ),
  integration: builtin(
    'integration',
    'Integration',
    'A contact-center platform or script sending interactions; ingest only.',
    tenant('ingest.write'),
    Object.fromEntries(FIELD_NAMES.map((f) => [f, 'omitted'])),
  ),
} satisfies Record<string, RoleDefinition>);

export type BuiltinRoleName = keyof typeof BUILTIN_ROLES;

export const BUILTIN_ROLE_NAMES: readonly BuiltinRoleName[] = Object.freeze(
  Object.keys(BUILTIN_ROLES) as BuiltinRoleName[],
);

export function isBuiltinRole(name: string): name is BuiltinRoleName {
  return Object.hasOwn(BUILTIN_ROLES, name);
}

/**
 * Built-in roles that hold a step-up permission: identity requires MFA enrollment for them
 * (PCI DSS 8.4: administrators and anyone who can reveal card or customer data).
 */
export const MFA_REQUIRED_ROLES: readonly BuiltinRoleName[] = Object.freeze(
  BUILTIN_ROLE_NAMES.filter((name) =>
    BUILTIN_ROLES[name].grants.some((g) => PERMISSIONS[g.permission].stepUp),
  ),
);

/** Role names: lowercase words joined by underscores or dashes, like the built-in ones. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_-]{1,39}$/;

/** One side of a segregation-of-duties rule: a permission (from any role) or a specific role. */
export type DutySide = { permission: Permission } | { role: BuiltinRoleName };

/** Pairs that one person should not hold together; access reviews flag them (PCI DSS 7.2.1, 6.5.4). */
export const SEGREGATION_OF_DUTIES: readonly { between: readonly [DutySide, DutySide]; why: string }[] =
  Object.freeze([
    {
      between: [{ permission: 'roles.manage' }, { permission: 'vault.detokenize' }],
      why: 'can grant themselves card access and then use it',
    },
    {
      between: [{ permission: 'users.manage' }, { permission: 'vault.detokenize' }],
      why: 'can grant themselves card access and then use it',
    },
    {
      between: [{ permission: 'keys.manage' }, { permission: 'vault.detokenize' }],
      why: 'holds both the encryption keys and the card data',
    },
    {
      between: [{ permission: 'access.elevate.approve' }, { permission: 'access.breakglass' }],
      why: 'can approve elevation and also bypass approval',
    },
    {
      between: [{ role: 'security_admin' }, { role: 'auditor' }],
      why: 'administers the access they are meant to audit',
    },
  ]);

// Checked at load: a typo in the table above would silently grant nothing.
for (const role of Object.values(BUILTIN_ROLES)) {
  for (const grant of role.grants) {
    if (!Object.hasOwn(PERMISSIONS, grant.permission))
      throw new Error(`unknown permission ${grant.permission}`);
  }
}
