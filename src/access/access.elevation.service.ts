import type { DbOrTransaction } from '../audit/index.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { openBreakGlass } from './access.breakglass.ts';
import { roleSetOf } from './access.compile.ts';
import {
  findElevation,
  insertElevation,
  listElevations,
  transitionElevation,
} from './access.elevation.queries.ts';
import {
  type AccessElevationDeps,
  type AuditDetails,
  checkReason,
  commitElevationChange,
  type Elevation,
  type ElevationRequest,
  toElevation,
} from './access.elevation.support.ts';
import { accessError } from './access.errors.ts';
import { isPermission, PERMISSIONS, type ScopeKind } from './access.permissions.ts';
import type { AccessElevationsTable, ElevationStatus } from './access.tables.ts';
import type { AccessRequestContext } from './access.types.ts';

export type {
  AccessAlert,
  AccessElevationDeps,
  Elevation,
  ElevationRequest,
} from './access.elevation.support.ts';
export { toElevation } from './access.elevation.support.ts';

const MAX_PENDING_PER_USER = 5;

/**
 * Just-in-time elevation and break-glass. A person asks for a role or permission for a period,
 * with a reason; someone else approves; it ends by itself. Break-glass skips the approver but
 * demands a longer reason, alerts at once, is short, and every request it serves is audited.
 */
export function createAccessElevationService(deps: AccessElevationDeps) {
  const { db, clock } = deps;

  const commit = (
    actor: Principal,
    context: AccessRequestContext,
    event: { action: string; id: string; reason?: string; details?: AuditDetails },
    apply: (trx: DbOrTransaction) => Promise<void>,
  ) => commitElevationChange(deps, actor, context, event, apply);

  async function load(tenantId: string, id: string): Promise<AccessElevationsTable> {
    const row = await findElevation(db, tenantId, id);
    if (!row) throw accessError('ELEVATION_NOT_FOUND');
    return row;
  }

  /** Validates what is asked for: a known role or permission the person does not already hold. */
  async function target(actor: Principal, request: ElevationRequest) {
    if ((request.role === undefined) === (request.permission === undefined)) {
      throw accessError('ELEVATION_INVALID', 'ask for exactly one of a role or a permission');
    }
    const compiled = await deps.cache.get(actor.tenantId);
    if (request.role !== undefined) {
      const role = compiled.roles.get(request.role);
      if (!role || request.role === 'integration')
        throw accessError('ELEVATION_INVALID', 'no such role to elevate to');
      if (actor.roles.includes(request.role)) throw accessError('ELEVATION_ALREADY_HELD');
      return { kind: 'role' as const, name: request.role, scope: 'tenant' as ScopeKind, compiled };
    }
    const permission = request.permission!;
    if (!isPermission(permission) || permission === 'ingest.write') {
      throw accessError('ELEVATION_INVALID', 'no such permission to elevate to');
    }
    const scope: ScopeKind = PERMISSIONS[permission].scoped ? (request.scope ?? 'own') : 'tenant';
    const held = roleSetOf(compiled, actor.roles).byPermission.get(permission) ?? [];
    if (held.some((p) => p.scope === 'tenant' || p.scope === scope))
      throw accessError('ELEVATION_ALREADY_HELD');
    return { kind: 'permission' as const, name: permission, scope, compiled };
  }

  return {
    async request(
      actor: Principal,
      input: ElevationRequest,
      context: AccessRequestContext = {},
    ): Promise<Elevation> {
      if (actor.kind !== 'user') throw accessError('ELEVATION_INVALID', 'only people can ask for elevation');
      const wanted = await target(actor, input);
      const { maxMinutes } = wanted.compiled.policy.elevation;
      if (!Number.isInteger(input.minutes) || input.minutes < 5 || input.minutes > maxMinutes) {
        throw accessError('ELEVATION_INVALID', `minutes must be between 5 and ${maxMinutes}`);
      }
      const reason = checkReason(input.reason, 10);
      const pending = await listElevations(db, actor.tenantId, {
        userId: actor.id,
        status: 'pending',
        limit: MAX_PENDING_PER_USER,
      });
      if (pending.length >= MAX_PENDING_PER_USER) {
        throw accessError('ELEVATION_INVALID', `you already have ${MAX_PENDING_PER_USER} pending requests`);
      }
      const id = deps.ids.newId();
      const row: AccessElevationsTable = {
        tenant_id: actor.tenantId,
        id,
        user_id: actor.id,
        user_name: actor.displayName.slice(0, 200),
        grant_kind: wanted.kind,
        grant_name: wanted.name,
        scope: wanted.scope,
        reason,
        minutes: input.minutes,
        status: 'pending',
        break_glass: 0,
        requested_at: clock.now(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
        starts_at: null,
        expires_at: null,
        ended_at: null,
      };
      const details = { kind: wanted.kind, name: wanted.name, scope: wanted.scope, minutes: input.minutes };
      await commit(actor, context, { action: 'access.elevation.request', id, reason, details }, (trx) =>
        insertElevation(trx, row),
      );
      return toElevation(row);
    },

    /** Approves a pending request; never by the requester (segregation of duties). */
    async approve(
      actor: Principal,
      id: string,
      note: string | undefined,
      context: AccessRequestContext = {},
    ): Promise<Elevation> {
      const row = await load(actor.tenantId, id);
      if (row.user_id === actor.id) throw accessError('ELEVATION_SELF_APPROVAL');
      if (row.status !== 'pending') throw accessError('ELEVATION_NOT_PENDING');
      const now = clock.now();
      const { pendingMinutes } = (await deps.cache.get(actor.tenantId)).policy.elevation;
      if (now - Number(row.requested_at) > pendingMinutes * MINUTE_MS) {
        throw accessError('ELEVATION_NOT_PENDING', 'elevation request lapsed before anyone decided it');
      }
      const expiresAt = now + Number(row.minutes) * MINUTE_MS;
      const changes = {
        status: 'approved' as const,
        decided_by: actor.id,
        decided_at: now,
        decision_note: note?.trim().slice(0, 500) || null,
        starts_at: now,
        expires_at: expiresAt,
      };
      await commit(
        actor,
        context,
        { action: 'access.elevation.approve', id, details: { requester: row.user_id, expiresAt } },
        async (trx) => {
          if (!(await transitionElevation(trx, actor.tenantId, id, 'pending', changes)))
            throw accessError('ELEVATION_NOT_PENDING');
        },
      );
      return toElevation({ ...row, ...changes });
    },

    async deny(
      actor: Principal,
      id: string,
      note: string,
      context: AccessRequestContext = {},
    ): Promise<Elevation> {
      const row = await load(actor.tenantId, id);
      if (row.user_id === actor.id) throw accessError('ELEVATION_SELF_APPROVAL');
      const changes = {
        status: 'denied' as const,
        decided_by: actor.id,
        decided_at: clock.now(),
        decision_note: checkReason(note, 3),
      };
      await commit(
        actor,
        context,
        {
          action: 'access.elevation.deny',
          id,
          reason: changes.decision_note,
          details: { requester: row.user_id },
        },
        async (trx) => {
          if (!(await transitionElevation(trx, actor.tenantId, id, 'pending', changes)))
            throw accessError('ELEVATION_NOT_PENDING');
        },
      );
      return toElevation({ ...row, ...changes });
    },

    /**
     * Ends an active elevation early, or withdraws a pending request. The holder may always give
     * access back; others need `mayManage` (approvers, access reviews).
     */
    async revoke(
      actor: Principal,
      id: string,
      mayManage: boolean,
      context: AccessRequestContext = {},
    ): Promise<Elevation> {
      const row = await load(actor.tenantId, id);
      // Someone else's request looks absent to a person who may not manage elevations.
      if (row.user_id !== actor.id && !mayManage) throw accessError('ELEVATION_NOT_FOUND');
      const from = row.status;
      if (from !== 'approved' && from !== 'pending') throw accessError('ELEVATION_NOT_ACTIVE');
      const now = clock.now();
      const changes = { status: 'revoked' as const, ended_at: now };
      await commit(
        actor,
        context,
        { action: 'access.elevation.revoke', id, details: { holder: row.user_id, was: from } },
        async (trx) => {
          if (!(await transitionElevation(trx, actor.tenantId, id, from, changes)))
            throw accessError('ELEVATION_NOT_ACTIVE');
        },
      );
      return toElevation({ ...row, ...changes });
    },

    /** Emergency access: self-granted, mandatory reason, alert raised, short and audited on each use. */
    breakGlass: (
      actor: Principal,
      input: { role: string; reason: string; minutes?: number },
      context: AccessRequestContext = {},
    ) => openBreakGlass(deps, actor, input, context),

    async get(tenantId: string, id: string): Promise<Elevation> {
      return toElevation(await load(tenantId, id));
    },

    /** Elevations of one user, or of everyone when `userId` is omitted, newest first. */
    async list(
      tenantId: string,
      filter: { userId?: string; status?: ElevationStatus; limit?: number; before?: string },
    ): Promise<Elevation[]> {
      const rows = await listElevations(db, tenantId, {
        ...filter,
        limit: Math.min(filter.limit ?? 100, 500),
      });
      return rows.map(toElevation);
    },
  };
}

export type AccessElevationService = ReturnType<typeof createAccessElevationService>;
