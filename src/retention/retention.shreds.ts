import type { AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle } from '../interactions/index.ts';
import type { Db } from '../storage/index.ts';
import type { Caller } from './retention.caller.ts';
import { auditFrom } from './retention.caller.ts';
import { listScheduledShreds, setShredStatus } from './retention.disposal.queries.ts';

export interface ShredDeps {
  db: Db;
  audit: AuditRecorder;
  keys: Pick<Keyring, 'cancelSubjectKeyDestruction' | 'subjectKeyState'>;
  lifecycle: Pick<InteractionsLifecycle, 'remainingOfSubjects'>;
}

/**
 * Verify before destroy: a customer erased because nothing of theirs was left may have gained an
 * interaction from an ingest that resolved them just before the erasure committed. Such a key is
 * saved (destruction cancelled) instead of silently making the new interaction unreadable.
 */
export async function recheckShreds(
  deps: ShredDeps,
  caller: Caller,
  now: number,
): Promise<{ cancelled: number; done: number }> {
  const result = { cancelled: 0, done: 0 };
  const rows = await listScheduledShreds(deps.db, caller.tenantId, 1000);
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
