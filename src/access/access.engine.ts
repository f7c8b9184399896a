import type { RouteAccess } from '../http/route-access.ts';
import type { Principal } from '../shared/principal.ts';
import { roleSetOf } from './access.compile.ts';
import { denialMessages } from './access.messages.ts';
import type { FieldName, FieldVisibility, ScopeKind } from './access.permissions.ts';
import { inAnyWindow } from './access.time-windows.ts';
import type {
  AccessScope,
  ActiveElevation,
  Allow,
  CompiledAccess,
  CompiledRole,
  Decision,
  DecisionContext,
  Deny,
  DenyCondition,
  PermissionConditions,
} from './access.types.ts';

/** Integration key scopes and the permission whose conditions (zones) apply to them. */
export const SCOPE_PERMISSIONS: Readonly<Record<string, string>> = Object.freeze({ ingest: 'ingest.write' });

const NO_CONDITIONS: PermissionConditions = {
  zoneMasks: [],
  zoneNames: [],
  device: false,
  workforce: false,
  stepUpMs: 0,
};

const deny = (permission: string, condition: DenyCondition, message: string): Deny =>
  Object.freeze({ allowed: false, permission, condition, message });

/** A denial built once per key: its message depends only on what the key names. */
function memoDeny(cache: Map<string, Deny>, key: string, build: () => Deny): Deny {
  let denial = cache.get(key);
  if (!denial) {
    denial = build();
    cache.set(key, denial);
  }
  return denial;
}

const SYSTEM_ALLOW = new Map<string, Allow>();
function systemAllow(permission: string): Allow {
  let allow = SYSTEM_ALLOW.get(permission);
  if (!allow) {
    allow = Object.freeze({ allowed: true, permission, via: 'system', grantedBy: 'system' });
    SYSTEM_ALLOW.set(permission, allow);
  }
  return allow;
}

/** Active elevations of a user that grant a permission, in the order they should be used. */
function elevationsGranting(
  compiled: CompiledAccess,
  userId: string,
  permission: string,
  now: number,
): ActiveElevation[] {
  const held = compiled.elevationsByUser.get(userId);
  if (!held) return [];
  return held.filter(
    (e) =>
      e.expiresAt > now &&
      (e.kind === 'permission'
        ? e.name === permission
        : compiled.roles.get(e.name)?.grants.has(permission) === true),
  );
}

function elevationAllow(permission: string, elevation: ActiveElevation): Allow {
  return Object.freeze({
    allowed: true,
    permission,
    via: elevation.breakGlass ? 'break_glass' : 'elevation',
    grantedBy: elevation.name,
    elevationId: elevation.id,
  });
}

/** Grant step: which role or elevation gives the permission right now (roles' time windows applied). */
function findGrant(
  compiled: CompiledAccess,
  principal: Principal,
  permission: string,
  now: number,
): Decision {
  const roleSet = roleSetOf(compiled, principal.roles);
  const paths = roleSet.byPermission.get(permission);
  let outsideWindow: CompiledRole | undefined;
  if (paths) {
    for (const path of paths) {
      if (path.role.windows === null || inAnyWindow(path.role.windows, now)) return path.allow;
      outsideWindow ??= path.role;
    }
  }
  if (principal.kind === 'user') {
    const elevations = elevationsGranting(compiled, principal.id, permission, now);
    // Prefer an approved elevation over break-glass, so emergency use is only logged when it was needed.
    const chosen = elevations.find((e) => !e.breakGlass) ?? elevations[0];
    if (chosen) return elevationAllow(permission, chosen);
  }
  const window = outsideWindow;
  if (window) {
    return memoDeny(roleSet.denials, `${permission}\nwindow\n${window.definition.name}`, () =>
      deny(permission, 'time_window', denialMessages.outsideWindow(permission, window)),
    );
  }
  return memoDeny(roleSet.denials, permission, () =>
    deny(permission, 'permission', denialMessages.noPermission(permission, roleSet.displayNames)),
  );
}

function checkConditions(
  compiled: CompiledAccess,
  principal: Principal,
  permission: string,
  conditions: PermissionConditions,
  context: DecisionContext,
): Deny | null {
  if (conditions.zoneMasks.length > 0) {
    const inZones = compiled.zones.match(context.ip);
    for (let i = 0; i < conditions.zoneMasks.length; i++) {
      if ((inZones & conditions.zoneMasks[i]!) === 0) {
        const zones = conditions.zoneNames[i]!;
        return memoDeny(compiled.denials, `${permission}\nzone\n${i}`, () =>
          deny(permission, 'network_zone', denialMessages.outsideZone(permission, zones)),
        );
      }
    }
  }
  // Device, workforce and step-up describe a person at a workstation; integration keys have none.
  if (principal.kind !== 'user') return null;
  if (conditions.device && context.device?.compliant !== true) {
    return deny(permission, 'device_posture', denialMessages.device(permission, context.device));
  }
  if (
    conditions.workforce &&
    (context.workforce?.trainingCurrent !== true || context.workforce.backgroundCheckValid !== true)
  ) {
    return deny(permission, 'workforce_standing', denialMessages.workforce(permission, context.workforce));
  }
  if (conditions.stepUpMs > 0) {
    const verifiedAt = principal.mfaVerifiedAt;
    if (
      verifiedAt === undefined ||
      context.now - verifiedAt > conditions.stepUpMs ||
      verifiedAt > context.now + 60_000
    ) {
      return memoDeny(compiled.denials, `${permission}\nstep-up`, () =>
        deny(permission, 'step_up', denialMessages.stepUp(permission, conditions.stepUpMs)),
      );
    }
  }
  return null;
}

/**
 * The policy decision for one permission: grant (role in its time window, or elevation), then
 * conditions in the order a person can act on them (network, device, workforce, MFA recency).
 * Pure and synchronous: no I/O, no allocation on the allow path.
 */
export function decide(
  compiled: CompiledAccess,
  principal: Principal,
  permission: string,
  context: DecisionContext,
): Decision {
  if (principal.tenantId !== compiled.tenantId) throw new Error('policy of another tenant');
  if (principal.kind === 'system') return systemAllow(permission);
  if (principal.kind !== 'user')
    return deny(permission, 'principal_kind', denialMessages.notAUser(permission));
  const grant = findGrant(compiled, principal, permission, context.now);
  if (!grant.allowed) return grant;
  const failed = checkConditions(
    compiled,
    principal,
    permission,
    compiled.conditions.get(permission) ?? NO_CONDITIONS,
    context,
  );
  return failed ?? grant;
}

const integrationAllows = new Map<string, Allow>();

/** The decision for a route declaration: permission routes for people, integration routes for keys. */
export function decideRoute(
  compiled: CompiledAccess,
  principal: Principal,
  access: RouteAccess,
  context: DecisionContext,
): Decision {
  switch (access.kind) {
    case 'public':
      return systemAllow('public');
    case 'authenticated':
      return principal.kind === 'user'
        ? systemAllow('authenticated')
        : deny('authenticated', 'principal_kind', denialMessages.notAUser('authenticated'));
    case 'permission':
      return decide(compiled, principal, access.permission, context);
    case 'integration': {
      const permission = SCOPE_PERMISSIONS[access.scope] ?? `integration.${access.scope}`;
      if (principal.kind !== 'api_key')
        return deny(permission, 'principal_kind', denialMessages.notAnIntegration());
      if (!principal.scopes?.includes(access.scope)) {
        return deny(permission, 'integration_scope', denialMessages.missingScope(access.scope));
      }
      const failed = checkConditions(
        compiled,
        principal,
        permission,
        compiled.conditions.get(permission) ?? NO_CONDITIONS,
        context,
      );
      if (failed) return failed;
      let allow = integrationAllows.get(access.scope);
      if (!allow) {
        allow = Object.freeze({ allowed: true, permission, via: 'integration', grantedBy: access.scope });
        integrationAllows.set(access.scope, allow);
      }
      return allow;
    }
  }
}

/** Which records a permission reaches for the caller right now (roles in window plus elevations). */
export function scopeOf(
  compiled: CompiledAccess,
  principal: Principal,
  permission: string,
  now: number,
): AccessScope {
  const kinds = new Set<ScopeKind>();
  if (principal.kind === 'system') kinds.add('tenant');
  for (const path of roleSetOf(compiled, principal.roles).byPermission.get(permission) ?? []) {
    if (path.role.windows === null || inAnyWindow(path.role.windows, now)) kinds.add(path.scope);
  }
  if (principal.kind === 'user') {
    for (const e of elevationsGranting(compiled, principal.id, permission, now)) {
      kinds.add(
        e.kind === 'permission' ? e.scope : (compiled.roles.get(e.name)?.grants.get(permission) ?? 'own'),
      );
    }
  }
  const teamIds = kinds.has('team') ? (compiled.teamsByUser.get(principal.id) ?? []) : [];
  return {
    tenant: kinds.has('tenant'),
    own: kinds.has('own'),
    sampled: kinds.has('sampled'),
    teamIds,
    queues: [...new Set(teamIds.flatMap((id) => compiled.queuesByTeam.get(id) ?? []))],
    userId: principal.id,
  };
}

/** Field visibility for the caller: their roles plus the roles they hold by elevation now. */
export function fieldsOf(
  compiled: CompiledAccess,
  principal: Principal,
  now: number,
): Readonly<Record<FieldName, FieldVisibility>> {
  const elevatedRoles = (compiled.elevationsByUser.get(principal.id) ?? [])
    .filter((e) => e.kind === 'role' && e.expiresAt > now)
    .map((e) => e.name);
  const roles = elevatedRoles.length > 0 ? [...principal.roles, ...elevatedRoles] : principal.roles;
  return roleSetOf(compiled, roles).fields;
}
