import { MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { insertElevation } from './access.elevation.queries.ts';
import {
  type AccessAlert,
  type AccessElevationDeps,
  checkReason,
  commitElevationChange,
  type Elevation,
  toElevation,
} from './access.elevation.support.ts';
import { accessError } from './access.errors.ts';
import type { AccessElevationsTable } from './access.tables.ts';
import type { AccessRequestContext } from './access.types.ts';

function breakGlassRow(
  actor: Principal,
  role: string,
  reason: string,
  minutes: number,
  now: number,
  id: string,
): AccessElevationsTable {
  // Approved by its own holder at once: the alert and the per-use audit stand in for an approver.
  return {
    tenant_id: actor.tenantId,
    id,
    user_id: actor.id,
    user_name: actor.displayName.slice(0, 200),
    grant_kind: 'role',
    grant_name: role,
    scope: 'tenant',
    reason,
    minutes,
    status: 'approved',
    break_glass: 1,
    requested_at: now,
    decided_by: actor.id,
    decided_at: now,
    decision_note: 'break-glass',
    starts_at: now,
    expires_at: now + minutes * MINUTE_MS,
    ended_at: null,
  };
}

/**
 * Break-glass: emergency access a designated person opens without an approver. The reason is
 * mandatory and longer than for elevation, an alert goes out at once, the grant is short (at most
 * the policy's `breakGlass.maxMinutes`), and the gate audits every request it serves.
 */
export async function openBreakGlass(
  deps: AccessElevationDeps,
  actor: Principal,
  input: { role: string; reason: string; minutes?: number },
  context: AccessRequestContext = {},
): Promise<Elevation> {
  if (actor.kind !== 'user')
    throw accessError('ELEVATION_INVALID', 'only people can open break-glass access');
  const { policy, roles } = await deps.cache.get(actor.tenantId);
  if (!roles.has(input.role) || !policy.breakGlass.roles.includes(input.role))
    throw accessError('BREAK_GLASS_ROLE_NOT_ALLOWED');
  const minutes = input.minutes ?? policy.breakGlass.maxMinutes;
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > policy.breakGlass.maxMinutes) {
    throw accessError('ELEVATION_INVALID', `minutes must be between 5 and ${policy.breakGlass.maxMinutes}`);
  }
  const reason = checkReason(input.reason, 20);
  const row = breakGlassRow(actor, input.role, reason, minutes, deps.clock.now(), deps.ids.newId());
  await commitElevationChange(
    deps,
    actor,
    context,
    {
      action: 'access.breakglass.open',
      id: row.id,
      reason,
      details: { role: input.role, minutes, alert: true },
    },
    (trx) => insertElevation(trx, row),
  );
  const alert: AccessAlert = {
    kind: 'break_glass',
    tenantId: actor.tenantId,
    userId: actor.id,
    elevationId: row.id,
    role: input.role,
    expiresAt: row.expires_at!,
  };
  try {
    deps.alert(alert);
  } catch (error) {
    deps.logger.error(
      { err: { message: (error as Error).message }, alert: 'break_glass' },
      'break-glass alert failed',
    );
  }
  return toElevation(row);
}
