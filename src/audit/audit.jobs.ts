import type { Logger } from '../logging/logger.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import type { CheckpointService } from './audit.checkpoints.ts';
import { countAuditEvents } from './audit.queries.ts';

export interface AuditJobContext {
  now: number;
  signal: AbortSignal;
}

/** Same shape as the scheduler's JobDefinition (audit sits below jobs, so it does not import it). */
export interface AuditJob {
  name: string;
  intervalMs: number;
  run(context: AuditJobContext): Promise<Record<string, number>>;
}

export interface CheckpointJobDeps {
  db: Db;
  checkpoints: Pick<CheckpointService, 'create' | 'latest'>;
  listTenantIds(): Promise<string[]>;
  logger: Logger;
}

/** How often heads are signed: PCI DSS asks for tamper detection, ten minutes bounds the unsigned tail. */
export const CHECKPOINT_INTERVAL_MS = 10 * MINUTE_MS;
export const DELIVERY_INTERVAL_MS = 30_000;

/**
 * Scheduled checkpoints: for each tenant whose log grew since its last checkpoint, fold the new
 * events (bounded batches, one transaction each) and sign the new head. Idempotent: a node that
 * runs it again, or at the same time, signs nothing twice.
 */
export async function runCheckpointJob(
  deps: CheckpointJobDeps,
  context: AuditJobContext,
): Promise<Record<string, number>> {
  const report = { tenants: 0, checkpoints: 0, broken: 0 };
  for (const tenantId of await deps.listTenantIds()) {
    if (context.signal.aborted) break;
    report.tenants++;
    const size = await countAuditEvents(deps.db, tenantId);
    const latest = await deps.checkpoints.latest(tenantId);
    if (size === 0 || (latest && latest.treeSize >= size)) continue;
    if (context.signal.aborted) break;
    try {
      const { created } = await deps.checkpoints.create(tenantId, 'schedule', { signal: context.signal });
      if (created) report.checkpoints++;
    } catch (error) {
      // One tenant's broken log (it refuses to fold a rewritten event) must not stop the others'.
      report.broken++;
      deps.logger.error(
        { tenantId, err: error },
        'audit checkpoint refused: the log failed an integrity check',
      );
    }
  }
  return report;
}
