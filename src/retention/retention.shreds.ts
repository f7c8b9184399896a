import type { AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle } from '../interactions/index.ts';
import { type Clock, DAY_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { auditFrom, type Caller } from './retention.caller.ts';
import { listShreds, markShredScheduled, setShredStatus } from './retention.disposal.queries.ts';

export interface ShredDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  keys: Pick<Keyring, 'scheduleSubjectKeyDestruction' | 'cancelSubjectKeyDestruction' | 'subjectKeyState'>;
  lifecycle: Pick<InteractionsLifecycle, 'remainingOfSubjects'>;
}

/**
 * The window before the keys of customers a purge left with nothing are destroyed. Their data is
 * already gone, so it is short; a DSAR erasure uses the keyring's default window instead, during
 * which a mistaken erasure can still be stopped.
 */
export const PURGE_SHRED_WINDOW_MS = DAY_MS;
const BATCH = 200;

const isMissingKey = (error: unknown) => (error as { code?: string }).code === 'SUBJECT_KEY_NOT_FOUND';

/**
 * Schedules the destruction of the keys disposals queued, in short transactions of their own.
 * A customer who gained an interaction meanwhile (an ingest that resolved them just before the
 * erasure committed) keeps the key: destroying it would make that new interaction unreadable.
 */
export async function scheduleQueuedShreds(
  deps: ShredDeps,
  caller: Caller,
  options: { signal?: AbortSignal; subjectIds?: readonly string[] } = {},
): Promise<{ scheduled: number; withoutKey: number; cancelled: number }> {
  const result = { scheduled: 0, withoutKey: 0, cancelled: 0 };
  for (;;) {
    if (options.signal?.aborted) return result;
    const rows = await listShreds(deps.db, caller.tenantId, {
      status: 'pending',
      ...(options.subjectIds ? { subjectIds: options.subjectIds } : {}),
      limit: BATCH,
    });
    if (rows.length === 0) return result;
    await deps.db.transaction().execute(async (trx) => {
      const remaining = await deps.lifecycle.remainingOfSubjects(
        trx,
        caller.tenantId,
        rows.map((r) => r.subject_id),
      );
      for (const row of rows) {
        const now = deps.clock.now();
        if (remaining.has(row.subject_id)) {
          await setShredStatus(trx, caller.tenantId, row.subject_id, 'cancelled', now);
          result.cancelled++;
          continue;
        }
        try {
          const state = await deps.keys.scheduleSubjectKeyDestruction(trx, {
            tenantId: caller.tenantId,
            subjectId: row.subject_id,
            actor: caller.actor,
            reason: `${row.origin_kind === 'purge' ? 'retention purge' : 'data subject erasure'} ${row.origin_id}: nothing of this customer is retained`,
            ...(row.origin_kind === 'purge' ? { windowMs: PURGE_SHRED_WINDOW_MS } : {}),
          });
          await markShredScheduled(trx, caller.tenantId, row.subject_id, state.destroyAfter ?? now, now);
          result.scheduled++;
        } catch (error) {
          // Nothing was ever encrypted under this customer's key: there is no key to destroy.
          if (!isMissingKey(error)) throw error;
          await setShredStatus(trx, caller.tenantId, row.subject_id, 'done', now);
          result.withoutKey++;
        }
      }
    });
    if (rows.length < BATCH) return result;
  }
}

/**
 * Verify before destroy, again while the window runs: a key whose customer gained an interaction
 * since it was scheduled is saved (destruction cancelled) instead of making that interaction
 * unreadable; a key whose window passed is left to the keyring's destruction job.
 */
export async function recheckShreds(
  deps: ShredDeps,
  caller: Caller,
  now: number,
): Promise<{ cancelled: number; done: number }> {
  const result = { cancelled: 0, done: 0 };
  const rows = await listShreds(deps.db, caller.tenantId, { status: 'scheduled', limit: 1000 });
  if (rows.length === 0) return result;
  const remaining = await deps.lifecycle.remainingOfSubjects(
    deps.db,
    caller.tenantId,
    rows.map((r) => r.subject_id),
  );
  for (const row of rows) {
    const state = await deps.keys.subjectKeyState(deps.db, {
      tenantId: caller.tenantId,
      subjectId: row.subject_id,
    });
    if (remaining.has(row.subject_id) && state?.status === 'destruction_scheduled') {
      await deps.db.transaction().execute(async (trx) => {
        await deps.keys.cancelSubjectKeyDestruction(trx, {
          tenantId: caller.tenantId,
          subjectId: row.subject_id,
          actor: caller.actor,
          reason: 'retention: an interaction of this customer arrived after they were erased',
        });
        await setShredStatus(trx, caller.tenantId, row.subject_id, 'cancelled', now);
        await deps.audit.record(trx, {
          ...auditFrom(caller),
          action: 'retention.shred.cancelled',
          outcome: 'success',
          target: { type: 'subject_key', id: state.keyId },
          details: { interactions: remaining.get(row.subject_id) ?? 0 },
        });
      });
      result.cancelled++;
    } else if (
      state === null ||
      state.status !== 'destruction_scheduled' ||
      Number(row.destroy_after) <= now
    ) {
      await setShredStatus(deps.db, caller.tenantId, row.subject_id, 'done', now);
      result.done++;
    }
  }
  return result;
}
