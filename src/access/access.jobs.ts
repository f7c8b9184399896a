import type { AuditRecorder } from '../audit/index.ts';
import { DAY_MS, MINUTE_MS } from '../shared/clock.ts';
import { systemPrincipal } from '../shared/principal.ts';
import type { Db, StorageDialect } from '../storage/index.ts';
import type { Tenant } from '../tenancy/index.ts';
import { listElevationsToClose, transitionElevation } from './access.elevation.queries.ts';
import { findLatestCampaign, listDueCampaigns } from './access.review.queries.ts';
import type { AccessReviewService } from './access.review.service.ts';
import { type AccessCache, loadPolicy } from './access.store.ts';

export interface JobRun {
  now: number;
  signal?: AbortSignal;
}

interface JobBase {
  db: Db;
  dialect: Pick<StorageDialect, 'tryWithJobLock'>;
  tenancy: { list(): Promise<Tenant[]> };
}

const BATCH = 100;

/**
 * Marks ended elevations `expired` and undecided requests `lapsed`, with an audit event each.
 * Decisions never depended on this job (they compare expiry with the clock); it makes the end
 * of every elevation visible in the audit trail and in listings.
 */
export async function expireElevations(
  deps: JobBase & { audit: AuditRecorder; cache: AccessCache },
  run: JobRun,
): Promise<{ expired: number; lapsed: number; skipped?: 1 }> {
  const result = await deps.dialect.tryWithJobLock(deps.db, 'access:expire-elevations', async () => {
    let expired = 0;
    let lapsed = 0;
    for (const tenant of await deps.tenancy.list()) {
      const { elevation } = await loadPolicy(deps.db, tenant.id);
      const pendingCutoff = run.now - elevation.pendingMinutes * MINUTE_MS;
      for (;;) {
        if (run.signal?.aborted) return { expired, lapsed };
        const rows = await listElevationsToClose(deps.db, tenant.id, run.now, pendingCutoff, BATCH);
        if (rows.length === 0) break;
        await deps.db.transaction().execute(async (trx) => {
          for (const row of rows) {
            const ending = row.status === 'approved';
            const moved = await transitionElevation(trx, tenant.id, row.id, row.status, {
              status: ending ? 'expired' : 'lapsed',
              ended_at: ending ? Number(row.expires_at) : run.now,
            });
            if (!moved) continue;
            if (ending) expired++;
            else lapsed++;
            await deps.audit.record(trx, {
              tenantId: tenant.id,
              actor: { type: 'system', id: 'access-jobs', name: 'access-jobs' },
              action: ending ? 'access.elevation.expire' : 'access.elevation.lapse',
              outcome: 'success',
              target: { type: 'elevation', id: row.id },
              details: {
                holder: row.user_id,
                name: row.grant_name,
                breakGlass: Number(row.break_glass) === 1,
              },
            });
          }
          await deps.cache.markChanged(trx, tenant.id);
        });
        deps.cache.invalidate(tenant.id);
      }
    }
    return { expired, lapsed };
  });
  return result ?? { expired: 0, lapsed: 0, skipped: 1 };
}

/** Starts a campaign in each tenant whose last one is older than its interval (default 90 days). */
export async function startScheduledReviews(
  deps: JobBase & { reviews: AccessReviewService },
  run: JobRun,
): Promise<{ started: number; skipped?: 1 }> {
  const result = await deps.dialect.tryWithJobLock(deps.db, 'access:start-reviews', async () => {
    let started = 0;
    for (const tenant of await deps.tenancy.list()) {
      if (run.signal?.aborted) break;
      if (tenant.status !== 'active') continue;
      const { reviews } = await loadPolicy(deps.db, tenant.id);
      if (!reviews.enabled) continue;
      const latest = await findLatestCampaign(deps.db, tenant.id);
      const since = latest ? Number(latest.created_at) : tenant.createdAt;
      if (run.now - since < reviews.intervalDays * DAY_MS) continue;
      await deps.reviews.start(systemPrincipal(tenant.id, 'access-review-scheduler'), {
        trigger: 'scheduled',
      });
      started++;
    }
    return { started };
  });
  return result ?? { started: 0, skipped: 1 };
}

/** Closes campaigns past their due date: undecided items follow the campaign rule. */
export async function closeDueReviews(
  deps: JobBase & { reviews: AccessReviewService },
  run: JobRun,
): Promise<{ closed: number; skipped?: 1 }> {
  const result = await deps.dialect.tryWithJobLock(deps.db, 'access:close-reviews', async () => {
    let closed = 0;
    for (const tenant of await deps.tenancy.list()) {
      for (const campaign of await listDueCampaigns(deps.db, tenant.id, run.now)) {
        if (run.signal?.aborted) return { closed };
        await deps.reviews.close(systemPrincipal(tenant.id, 'access-review-scheduler'), campaign.id);
        closed++;
      }
    }
    return { closed };
  });
  return result ?? { closed: 0, skipped: 1 };
}
