import type { FieldName, FieldVisibility, ScopeKind } from './access.permissions.ts';
import type { AccessPolicy } from './access.policy.ts';
import type { RoleDefinition } from './access.roles.ts';
import type { CompiledWindow, TimeWindow } from './access.time-windows.ts';
import type { ZoneMatcher } from './access.zones.ts';

/** The condition that refused a request; each has a product-words message (access.messages.ts). */
export type DenyCondition =
  | 'principal_kind'
  | 'integration_scope'
  | 'permission'
  | 'time_window'
  | 'network_zone'
  | 'device_posture'
  | 'workforce_standing'
  | 'step_up';

export type GrantPath = 'role' | 'elevation' | 'break_glass' | 'system' | 'integration';

export interface Allow {
  readonly allowed: true;
  readonly permission: string;
  readonly via: GrantPath;
  /** The role (or, for a permission elevation, the permission) that granted it. */
  readonly grantedBy: string;
  readonly elevationId?: string;
}

export interface Deny {
  readonly allowed: false;
  readonly permission: string;
  readonly condition: DenyCondition;
  /** What failed, in product words; safe to show the caller and to store in the audit log. */
  readonly message: string;
}

export type Decision = Allow | Deny;

/** What a device posture source (the endpoint feature) says about the caller's device. */
export interface DeviceAssessment {
  compliant: boolean;
  /** Why not, in product words (e.g. "disk encryption is off"); never personal data. */
  reason?: string;
}

/** What a workforce source says: training current and background check valid. */
export interface WorkforceAssessment {
  trainingCurrent: boolean;
  backgroundCheckValid: boolean;
  reason?: string;
}

/** Request attributes the conditions need. */
export interface DecisionContext {
  now: number;
  /** Client address as Fastify resolved it (socket, or trusted proxies only). */
  ip?: string | undefined;
  /** Undefined: no device posture source is connected. */
  device?: DeviceAssessment | undefined;
  /** Undefined: no workforce source is connected. */
  workforce?: WorkforceAssessment | undefined;
}

/** An approved, unexpired elevation or break-glass grant held by one user. */
export interface ActiveElevation {
  id: string;
  userId: string;
  kind: 'role' | 'permission';
  /** Role name or permission name. */
  name: string;
  scope: ScopeKind;
  expiresAt: number;
  breakGlass: boolean;
}

export interface CompiledRole {
  definition: RoleDefinition;
  grants: ReadonlyMap<string, ScopeKind>;
  /** Null: usable at any time. */
  windows: readonly CompiledWindow[] | null;
  windowSource: readonly TimeWindow[];
}

export interface PermissionConditions {
  /** Each mask is one rule: the client must be in at least one of its zones. */
  zoneMasks: readonly number[];
  zoneNames: readonly (readonly string[])[];
  device: boolean;
  workforce: boolean;
  /** 0 when no step-up is needed. */
  stepUpMs: number;
}

/** A role set's grants for one permission, with the Allow answers built once. */
export interface RolePath {
  role: CompiledRole;
  scope: ScopeKind;
  allow: Allow;
}

export interface CompiledRoleSet {
  byPermission: Map<string, RolePath[]>;
  /** Denials that depend only on the role set and permission, built once (denials are common too). */
  denials: Map<string, Deny>;
  fields: Readonly<Record<FieldName, FieldVisibility>>;
  displayNames: string;
}

/** Everything a decision needs for one tenant, compiled once per policy generation. */
export interface CompiledAccess {
  tenantId: string;
  generation: string;
  policy: AccessPolicy;
  roles: ReadonlyMap<string, CompiledRole>;
  conditions: ReadonlyMap<string, PermissionConditions>;
  zones: ZoneMatcher;
  elevationsByUser: ReadonlyMap<string, readonly ActiveElevation[]>;
  teamsByUser: ReadonlyMap<string, readonly string[]>;
  queuesByTeam: ReadonlyMap<string, readonly string[]>;
  /** Role sets seen so far (principals share a handful of combinations). */
  roleSets: Map<string, CompiledRoleSet>;
  /** Condition denials (zone, step-up) per permission, built once. */
  denials: Map<string, Deny>;
}

/**
 * Which records a permission reaches for one caller. The feature turns it into a query filter:
 * tenant-wide, or any of own / team members' / listed queues' / sampled records.
 */
export interface AccessScope {
  tenant: boolean;
  own: boolean;
  sampled: boolean;
  teamIds: readonly string[];
  queues: readonly string[];
  userId: string;
}

/** Where a request came from, for conditions and audit events. */
export interface AccessRequestContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

/**
 * The endpoint feature fills this with "this device is compliant". Until one is registered, a
 * permission whose rule requires device posture is denied, saying no source is connected.
 */
export interface DevicePostureSource {
  assess(input: {
    tenantId: string;
    principal: { id: string; kind: string; sessionId?: string | undefined };
    ip?: string | undefined;
    userAgent?: string | undefined;
  }): Promise<DeviceAssessment>;
}

/** The workforce feature fills this with "training current and background check valid". */
export interface WorkforceStandingSource {
  assess(input: { tenantId: string; userId: string }): Promise<WorkforceAssessment>;
}
