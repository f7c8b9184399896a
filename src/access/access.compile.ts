import { FIELD_NAMES, type FieldName, type FieldVisibility, PERMISSIONS } from './access.permissions.ts';
import type { AccessPolicy, ConditionRule } from './access.policy.ts';
import { BUILTIN_ROLES, type RoleDefinition } from './access.roles.ts';
import { compileWindow } from './access.time-windows.ts';
import type {
  ActiveElevation,
  Allow,
  CompiledAccess,
  CompiledRole,
  CompiledRoleSet,
  PermissionConditions,
  RolePath,
} from './access.types.ts';
import { ZoneMatcher } from './access.zones.ts';

export interface TeamSnapshot {
  id: string;
  name: string;
  queues: readonly string[];
  members: readonly string[];
}

/** One tenant's access configuration as stored, the input of compilation. */
export interface AccessSnapshot {
  tenantId: string;
  generation: string;
  policy: AccessPolicy;
  customRoles: readonly RoleDefinition[];
  elevations: readonly ActiveElevation[];
  teams: readonly TeamSnapshot[];
}

function compileRoles(snapshot: AccessSnapshot): Map<string, CompiledRole> {
  const windowsByRole = new Map(snapshot.policy.roleWindows.map((entry) => [entry.role, entry.windows]));
  const roles = new Map<string, CompiledRole>();
  // Built-ins last, so a stored custom role can never shadow one (the service refuses such names too).
  for (const definition of [...snapshot.customRoles, ...Object.values(BUILTIN_ROLES)]) {
    const windows = windowsByRole.get(definition.name);
    roles.set(definition.name, {
      definition,
      grants: new Map(
        definition.grants.map((g) => [g.permission, PERMISSIONS[g.permission].scoped ? g.scope : 'tenant']),
      ),
      windows: windows ? windows.map(compileWindow) : null,
      windowSource: windows ?? [],
    });
  }
  return roles;
}

function rulesFor(permission: keyof typeof PERMISSIONS, rules: readonly ConditionRule[]): ConditionRule[] {
  const definition = PERMISSIONS[permission];
  return rules.filter(
    (rule) =>
      rule.target === '*' ||
      rule.target === permission ||
      (rule.target === 'customer-data' && definition.customerData),
  );
}

function compileConditions(policy: AccessPolicy, zones: ZoneMatcher): Map<string, PermissionConditions> {
  const conditions = new Map<string, PermissionConditions>();
  for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
    const rules = rulesFor(permission, policy.rules);
    const zoneRules = rules.filter((rule) => rule.zones !== undefined);
    const stepUp = PERMISSIONS[permission].stepUp || rules.some((rule) => rule.stepUp === true);
    conditions.set(permission, {
      zoneMasks: zoneRules.map((rule) => rule.zones!.reduce((mask, name) => mask | zones.bitOf(name), 0)),
      zoneNames: zoneRules.map((rule) => rule.zones!),
      device: rules.some((rule) => rule.device === true),
      workforce: rules.some((rule) => rule.workforce === true),
      stepUpMs: stepUp ? policy.stepUpSeconds * 1000 : 0,
    });
  }
  return conditions;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Builds the in-memory form of a tenant's policy that decisions run against. */
export function compileAccess(snapshot: AccessSnapshot): CompiledAccess {
  const zones = new ZoneMatcher(snapshot.policy.zones);
  const teamsByUser = new Map<string, string[]>();
  for (const team of snapshot.teams) {
    for (const member of team.members) {
      const teams = teamsByUser.get(member);
      if (teams) teams.push(team.id);
      else teamsByUser.set(member, [team.id]);
    }
  }
  return {
    tenantId: snapshot.tenantId,
    generation: snapshot.generation,
    policy: snapshot.policy,
    roles: compileRoles(snapshot),
    conditions: compileConditions(snapshot.policy, zones),
    zones,
    elevationsByUser: groupBy(snapshot.elevations, (e) => e.userId),
    teamsByUser,
    queuesByTeam: new Map(snapshot.teams.map((t) => [t.id, t.queues])),
    roleSets: new Map(),
    denials: new Map(),
  };
}

const VISIBILITY_RANK: Record<FieldVisibility, number> = { omitted: 0, masked: 1, unmasked: 2 };

/** The most permissive visibility of each field across the roles (fields a role omits from its list are masked). */
export function mergeFieldVisibility(roles: readonly CompiledRole[]): Record<FieldName, FieldVisibility> {
  const fields = Object.fromEntries(FIELD_NAMES.map((f) => [f, 'omitted'])) as Record<
    FieldName,
    FieldVisibility
  >;
  for (const role of roles) {
    for (const field of FIELD_NAMES) {
      const visibility = role.definition.fields[field] ?? 'masked';
      if (VISIBILITY_RANK[visibility] > VISIBILITY_RANK[fields[field]]) fields[field] = visibility;
    }
  }
  return fields;
}

function buildRoleSet(compiled: CompiledAccess, roleNames: readonly string[]): CompiledRoleSet {
  const roles = [...new Set(roleNames)]
    .map((name) => compiled.roles.get(name))
    .filter((r): r is CompiledRole => r !== undefined);
  const byPermission = new Map<string, RolePath[]>();
  for (const role of roles) {
    for (const [permission, scope] of role.grants) {
      const allow: Allow = Object.freeze({
        allowed: true,
        permission,
        via: 'role',
        grantedBy: role.definition.name,
      });
      const paths = byPermission.get(permission) ?? [];
      paths.push({ role, scope, allow });
      byPermission.set(permission, paths);
    }
  }
  // Roles usable at any time first: the common case answers without computing local time.
  for (const paths of byPermission.values())
    paths.sort((a, b) => Number(a.role.windows !== null) - Number(b.role.windows !== null));
  return {
    byPermission,
    denials: new Map(),
    fields: Object.freeze(mergeFieldVisibility(roles)),
    displayNames: roles.map((r) => r.definition.displayName).join(', '),
  };
}

const roleSetsByArray = new WeakMap<CompiledAccess, WeakMap<readonly string[], CompiledRoleSet>>();

/** The compiled union of a principal's roles, memoized per tenant generation. */
export function roleSetOf(compiled: CompiledAccess, roleNames: readonly string[]): CompiledRoleSet {
  let byArray = roleSetsByArray.get(compiled);
  if (!byArray) {
    byArray = new WeakMap();
    roleSetsByArray.set(compiled, byArray);
  }
  const hit = byArray.get(roleNames);
  if (hit) return hit;
  const key = roleNames.length === 1 ? roleNames[0]! : [...roleNames].sort().join('\n');
  let set = compiled.roleSets.get(key);
  if (!set) {
    set = buildRoleSet(compiled, roleNames);
    // Bounded: a tenant has few distinct role combinations; anything beyond is recompiled on demand.
    if (compiled.roleSets.size < 4096) compiled.roleSets.set(key, set);
  }
  byArray.set(roleNames, set);
  return set;
}
