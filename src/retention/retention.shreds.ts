import type { AuditRecorder } from '../audit/index.ts';
import type { Keyring } from '../crypto/index.ts';
import type { InteractionsLifecycle } from '../interactions/index.ts';
import { type Clock, DAY_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { auditFrom, type Caller } from './retention.caller.ts';
import { listShreds, markShredsScheduled, setShredStatus } from './retention.disposal.queries.ts';
import { yieldToEventLoop } from './retention.pacing.ts';

export interface ShredDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  keys: Pick<Keyring, 'scheduleSubjectKeysDestruction' | 'cancelSubjectKeyDestruction' | 'subjectKeyStates'>;
  lifecycle: Pick<InteractionsLifecycle, 'remainingOfSubjects'>;
}

/**
 * The window before the keys of customers a purge left with nothing are destroyed. Their data is
 * already gone, so it is short; a DSAR erasure uses the keyring's default window instead, during
 * which a mistaken erasure can still be stopped.
 */
export const PURGE_SHRED_WINDOW_MS = DAY_MS;
// Keys per transaction: one keyring call and one audit append each; a few hundred milliseconds at most.
const BATCH = 500;

type ShredRow = Awaited<ReturnType<typeof listShreds>>[number];

/** Rows queued by the same disposal share the reason and the window of their key destruction. */
function byOrigin(rows: readonly ShredRow[]): ShredRow[][] {
  const groups = new Map<string, ShredRow[]>();
  for (const row of rows) {
    const key = `${row.origin_kind}:${row.origin_id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

/** Subject ids grouped by the destruction date their key now has. */
function byDestroyAfter(states: Iterable<{ subjectId: string; destroyAfter: number | null }>, now: number) {
  const groups = new Map<number, string[]>();
  for (const s of states) {
    const at = s.destroyAfter ?? now;
    const group = groups.get(at);
    if (group) group.push(s.subjectId);
    else groups.set(at, [s.subjectId]);
  }
  return groups;
}

/**
 * Schedules the destruction of the keys disposals queued, in short transactions of their own (one
 * batched keyring call and one audit append per transaction and origin). A customer who gained an
 * interaction meanwhile (an ingest that resolved them just before the erasure committed) keeps the
 * key: destroying it would make that new interaction unreadable.
 */
export async function scheduleQueuedShreds(
  deps: ShredDeps,
  caller: Caller,
  options: { signal?: AbortSignal; subjectIds?: readonly string[] } = {},
): Promise<{ scheduled: number; withoutKey: number; cancelled: number }> {
  const result = { scheduled: 0, withoutKey: 0, cancelled: 0 };
  const tenantId = caller.tenantId;
  for (;;) {
    if (options.signal?.aborted) return result;
    const rows = await listShreds(deps.db, tenantId, {
      status: 'pending',
      ...(options.subjectIds ? { subjectIds: options.subjectIds } : {}),
      limit: BATCH,
    });
    if (rows.length === 0) return result;
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const remaining = await deps.lifecycle.remainingOfSubjects(
        trx,
        tenantId,
        rows.map((r) => r.subject_id),
      );
      const cancelled = rows.filter((r) => remaining.has(r.subject_id)).map((r) => r.subject_id);
      await setShredStatus(trx, tenantId, cancelled, 'cancelled', now);
      result.cancelled += cancelled.length;
      for (const group of byOrigin(rows.filter((r) => !remaining.has(r.subject_id)))) {
        const { origin_kind: kind, origin_id: originId } = group[0]!;
        const subjectIds = group.map((r) => r.subject_id);
        const states = await deps.keys.scheduleSubjectKeysDestruction(trx, {
          tenantId,
          subjectIds,
          actor: caller.actor,
          reason: `${kind === 'purge' ? 'retention purge' : 'data subject erasure'} ${originId}: nothing of this customer is retained`,
          ...(kind === 'purge' ? { windowMs: PURGE_SHRED_WINDOW_MS } : {}),
        });
        for (const [destroyAfter, ids] of byDestroyAfter(states.values(), now))
          await markShredsScheduled(trx, tenantId, ids, destroyAfter, now);
        result.scheduled += states.size;
        // Nothing was ever encrypted under this customer's key: there is no key to destroy.
        const withoutKey = subjectIds.filter((id) => !states.has(id));
        await setShredStatus(trx, tenantId, withoutKey, 'done', now);
        result.withoutKey += withoutKey.length;
      }
    });
    if (rows.length < BATCH) return result;
    await yieldToEventLoop();
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
  const states = await deps.keys.subjectKeyStates(deps.db, {
    tenantId: caller.tenantId,
    subjectIds: rows.map((r) => r.subject_id),
  });
  const done: string[] = [];
  for (const row of rows) {
    const state = states.get(row.subject_id) ?? null;
    if (remaining.has(row.subject_id) && state?.status === 'destruction_scheduled') {
      await deps.db.transaction().execute(async (trx) => {
        await deps.keys.cancelSubjectKeyDestruction(trx, {
          tenantId: caller.tenantId,
          subjectId: row.subject_id,
          actor: caller.actor,
          reason: 'retention: an interaction of this customer arrived after they were erased',
        });
        await setShredStatus(trx, caller.tenantId, [row.subject_id], 'cancelled', now);
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
      done.push(row.subject_id);
    }
  }
  await setShredStatus(deps.db, caller.tenantId, done, 'done', now);
  result.done = done.length;
  return result;
}
