import type { AuditRecorder } from '../audit/index.ts';
import type { JobContext, JobDefinition, JobReport } from '../jobs/index.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { PolicyService } from './policy.service.ts';
import { listSsoSessionsToCheck, updateSession } from './sessions.queries.ts';
import type { SessionService } from './sessions.service.ts';
import type { SsoService } from './sso.service.ts';
import { deleteStaleActionTokens } from './tokens.queries.ts';
import { listDormantUsers, updateUser } from './users.queries.ts';

const BATCH = 100;

export interface DormantJobDeps {
  db: Db;
  audit: AuditRecorder;
  tenancy: Pick<TenancyService, 'list'>;
  policies: PolicyService;
  sessions: Pick<SessionService, 'revokeAllForUser'>;
}

/**
 * PCI DSS 8.2.6: disables accounts with no sign-in for the tenant's dormancy period (90 days by
 * default; never-used accounts count from their creation). Batches of 100, each one transaction
 * holding the status change, the session revocation and the audit event.
 */
export async function disableDormantUsers(
  deps: DormantJobDeps,
  { now, signal }: JobContext,
): Promise<JobReport> {
  let disabled = 0;
  let batches = 0;
  for (const tenant of await deps.tenancy.list()) {
    const policy = await deps.policies.get(tenant.id);
    const cutoff = now - policy.dormantDays * DAY_MS;
    while (!signal.aborted) {
      const users = await listDormantUsers(deps.db, tenant.id, cutoff, BATCH);
      if (users.length === 0) break;
      batches += 1;
      await deps.db.transaction().execute(async (trx) => {
        for (const user of users) {
          await updateUser(trx, tenant.id, user.id, {
            status: 'disabled',
            status_reason: 'dormant',
            updated_at: now,
          });
          await deps.sessions.revokeAllForUser(trx, tenant.id, user.id, 'dormant');
          await deps.audit.record(trx, {
            tenantId: tenant.id,
            actor: { type: 'system', id: 'identity.dormant-accounts' },
            action: 'users.disable',
            outcome: 'success',
            target: { type: 'user', id: user.id },
            reason: 'dormant',
            details: { dormantDays: policy.dormantDays },
          });
        }
      });
      disabled += users.length;
      if (users.length < BATCH) break;
    }
  }
  return { disabled, batches };
}

export interface SsoRecheckDeps {
  db: Db;
  audit: AuditRecorder;
  tenancy: Pick<TenancyService, 'list'>;
  sso: Pick<SsoService, 'checkSession'>;
}

/** How often each live SSO session is re-checked with its IdP. */
export const SSO_RECHECK_INTERVAL_MS = 5 * MINUTE_MS;

/** Ends SSO sessions whose IdP no longer honours the user's refresh token (user deactivated there). */
export async function recheckSsoSessions(
  deps: SsoRecheckDeps,
  { now, signal }: JobContext,
): Promise<JobReport> {
  let checked = 0;
  let revoked = 0;
  let unreachable = 0;
  for (const tenant of await deps.tenancy.list()) {
    const rows = await listSsoSessionsToCheck(deps.db, tenant.id, now - SSO_RECHECK_INTERVAL_MS, now, BATCH);
    for (const row of rows) {
      if (signal.aborted) break;
      checked += 1;
      const verdict = await deps.sso.checkSession(tenant.id, row);
      if (verdict === 'unreachable') unreachable += 1;
      if (verdict !== 'revoked') continue;
      revoked += 1;
      await deps.db.transaction().execute(async (trx) => {
        await updateSession(trx, tenant.id, row.id, { revoked_at: now, revoked_reason: 'idp' });
        await deps.audit.record(trx, {
          tenantId: tenant.id,
          actor: { type: 'system', id: 'identity.sso-recheck' },
          action: 'auth.session.revoke',
          outcome: 'success',
          target: { type: 'session', id: row.id },
          reason: 'identity provider refused the user',
        });
      });
    }
  }
  return { checked, revoked, unreachable };
}

/** Deletes one-time tokens expired for more than a day (links, challenges, OIDC states). */
export async function purgeExpiredActionTokens(
  deps: Pick<DormantJobDeps, 'db' | 'tenancy'>,
  { now }: JobContext,
): Promise<JobReport> {
  let deleted = 0;
  for (const tenant of await deps.tenancy.list())
    deleted += await deleteStaleActionTokens(deps.db, tenant.id, now - DAY_MS);
  return { deleted };
}

/** The identity jobs with their intervals, for the scheduler. */
export function identityJobs(deps: DormantJobDeps & SsoRecheckDeps): JobDefinition[] {
  return [
    { name: 'identity.dormant-accounts', intervalMs: HOUR_MS, run: (ctx) => disableDormantUsers(deps, ctx) },
    { name: 'identity.sso-recheck', intervalMs: MINUTE_MS, run: (ctx) => recheckSsoSessions(deps, ctx) },
    { name: 'identity.purge-tokens', intervalMs: HOUR_MS, run: (ctx) => purgeExpiredActionTokens(deps, ctx) },
  ];
}
