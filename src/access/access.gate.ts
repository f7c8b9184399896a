import type { FastifyRequest } from 'fastify';
import type { AuditActorType, AuditRecorder } from '../audit/index.ts';
import type { RouteAccess } from '../http/route-access.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { decide, decideRoute, SCOPE_PERMISSIONS } from './access.engine.ts';
import { accessError } from './access.errors.ts';
import type { AccessCache } from './access.store.ts';
import type {
  AccessRequestContext,
  Allow,
  CompiledAccess,
  Decision,
  DecisionContext,
  Deny,
  DevicePostureSource,
  WorkforceStandingSource,
} from './access.types.ts';
import type { UsageTracker } from './access.usage.ts';

/** Device and workforce hooks, filled by later features through the access module. */
export interface ConditionSources {
  device?: DevicePostureSource;
  workforce?: WorkforceStandingSource;
}

export interface AccessGateDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  logger: Logger;
  cache: AccessCache;
  usage: UsageTracker;
  sources: ConditionSources;
}

export function auditActor(principal: Principal): { type: AuditActorType; id: string; name: string } {
  return { type: principal.kind, id: principal.id, name: principal.displayName };
}

export function auditOrigin(context: AccessRequestContext) {
  return {
    origin: {
      ...(context.ip ? { ip: context.ip } : {}),
      ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    },
    ...(context.requestId ? { requestId: context.requestId } : {}),
  };
}

export function requestContext(request: FastifyRequest): AccessRequestContext {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, requestId: request.id, ...(typeof userAgent === 'string' ? { userAgent } : {}) };
}

function permissionOf(access: RouteAccess): string | undefined {
  if (access.kind === 'permission') return access.permission;
  if (access.kind === 'integration') return SCOPE_PERMISSIONS[access.scope];
  return undefined;
}

/**
 * The policy enforcement point: the `authorize` half of RequestSecurity for routes, and `check`
 * for services (CLI, jobs, feature code) that need the same decision. Every denial is audited
 * with the condition that failed; break-glass use is audited on every request it serves.
 */
export function createAccessGate(deps: AccessGateDeps) {
  const decisions = new WeakMap<FastifyRequest, Allow>();

  async function assess(
    compiled: CompiledAccess,
    principal: Principal,
    permission: string | undefined,
    context: AccessRequestContext,
  ): Promise<DecisionContext> {
    const now = deps.clock.now();
    const conditions = permission === undefined ? undefined : compiled.conditions.get(permission);
    if (principal.kind !== 'user' || !conditions || (!conditions.device && !conditions.workforce)) {
      return { now, ip: context.ip };
    }
    const { device: deviceSource, workforce: workforceSource } = deps.sources;
    const [device, workforce] = await Promise.all([
      conditions.device && deviceSource
        ? deviceSource
            .assess({ tenantId: principal.tenantId, principal, ip: context.ip, userAgent: context.userAgent })
            .catch(() => ({ compliant: false, reason: 'the device compliance source did not answer' }))
        : undefined,
      conditions.workforce && workforceSource
        ? workforceSource.assess({ tenantId: principal.tenantId, userId: principal.id }).catch(() => ({
            trainingCurrent: false,
            backgroundCheckValid: false,
            reason: 'the workforce record source did not answer',
          }))
        : undefined,
    ]);
    return { now, ip: context.ip, device, workforce };
  }

  async function refuse(
    principal: Principal,
    decision: Deny,
    context: AccessRequestContext,
    route?: string,
  ): Promise<never> {
    await deps.audit.record(deps.db, {
      tenantId: principal.tenantId,
      actor: auditActor(principal),
      action: 'access.denied',
      outcome: 'denied',
      target: { type: 'permission', id: decision.permission },
      reason: decision.message,
      details: { condition: decision.condition, ...(route ? { route } : {}) },
      ...auditOrigin(context),
    });
    throw accessError(
      decision.condition === 'step_up' ? 'STEP_UP_REQUIRED' : 'ACCESS_DENIED',
      decision.message,
      {
        details: { condition: decision.condition, permission: decision.permission },
      },
    );
  }

  async function admitted(
    principal: Principal,
    decision: Allow,
    context: AccessRequestContext,
    route?: string,
  ) {
    if (decision.via === 'break_glass') {
      await deps.audit.record(deps.db, {
        tenantId: principal.tenantId,
        actor: auditActor(principal),
        action: 'access.breakglass.use',
        outcome: 'success',
        target: { type: 'elevation', id: decision.elevationId ?? '' },
        details: { permission: decision.permission, role: decision.grantedBy, ...(route ? { route } : {}) },
        ...auditOrigin(context),
      });
    }
    if (principal.kind !== 'user' || (decision.via !== 'role' && decision.elevationId === undefined)) return;
    const grant = decision.via === 'role' ? decision.grantedBy : `elevation:${decision.elevationId}`;
    // Usage only feeds review flags: a failed write is logged, never turned into a failed request.
    await deps.usage
      .record({
        tenantId: principal.tenantId,
        userId: principal.id,
        grant,
        ...(principal.sessionId ? { sessionId: principal.sessionId } : {}),
        ...(context.ip ? { ip: context.ip } : {}),
        now: deps.clock.now(),
      })
      .catch((error: unknown) =>
        deps.logger.warn({ err: { message: (error as Error).message } }, 'access usage not recorded'),
      );
  }

  /** The decision for a permission without enforcing or auditing it (to explain and shape responses). */
  async function explain(
    principal: Principal,
    permission: string,
    context: AccessRequestContext = {},
  ): Promise<Decision> {
    const compiled = await deps.cache.get(principal.tenantId);
    return decide(compiled, principal, permission, await assess(compiled, principal, permission, context));
  }

  return {
    /** RequestSecurity.authorize: decides the route's declaration for the principal, or throws 403. */
    async authorize(request: FastifyRequest, principal: Principal, access: RouteAccess): Promise<void> {
      const context = requestContext(request);
      const route = `${request.method} ${request.routeOptions.url ?? ''}`;
      if (principal.kind === 'system') {
        // Only the CLI and jobs act as `system`, never through HTTP: a request claiming it is refused.
        await refuse(
          principal,
          {
            allowed: false,
            permission: permissionOf(access) ?? access.kind,
            condition: 'principal_kind',
            message: 'system principals cannot call the API',
          },
          context,
          route,
        );
      }
      const compiled = await deps.cache.get(principal.tenantId);
      const decision = decideRoute(
        compiled,
        principal,
        access,
        await assess(compiled, principal, permissionOf(access), context),
      );
      if (!decision.allowed) return refuse(principal, decision, context, route);
      decisions.set(request, decision);
      await admitted(principal, decision, context, route);
    },

    /** The same decision for service code; throws the same audited 403. */
    async check(
      principal: Principal,
      permission: string,
      context: AccessRequestContext = {},
    ): Promise<Allow> {
      const compiled = await deps.cache.get(principal.tenantId);
      const decision = decide(
        compiled,
        principal,
        permission,
        await assess(compiled, principal, permission, context),
      );
      if (!decision.allowed) return refuse(principal, decision, context);
      await admitted(principal, decision, context);
      return decision;
    },

    explain,

    /** Whether the principal holds a permission right now, all conditions met; not audited. */
    async holds(
      principal: Principal,
      permission: string,
      context: AccessRequestContext = {},
    ): Promise<boolean> {
      return (await explain(principal, permission, context)).allowed;
    },

    /** The Allow decision made for a request by `authorize` (how it was granted). */
    decisionFor(request: FastifyRequest): Allow | undefined {
      return decisions.get(request);
    },
  };
}

export type AccessGate = ReturnType<typeof createAccessGate>;
