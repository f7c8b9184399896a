import { HOUR_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { cryptoError } from './crypto.errors.ts';
import type { KeyActor, KeyAuditEvent } from './crypto.types.ts';
import { findSlotsByNames, scheduleActiveSlots } from './subject-keys.queries.ts';
import {
  MAX_WINDOW_MS,
  MIN_WINDOW_MS,
  type SubjectKeyDeps,
  type SubjectKeyState,
  subjectSlot,
  toState,
} from './subject-keys.ts';

export interface ScheduleManyInput {
  tenantId: string;
  subjectIds: readonly string[];
  actor: KeyActor;
  reason?: string;
  windowMs?: number;
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/** The state of each subject's key; subjects that never had a key are absent from the map. */
export async function subjectKeyStates(
  db: Db,
  input: { tenantId: string; subjectIds: readonly string[] },
): Promise<Map<string, SubjectKeyState>> {
  const names = new Map([...new Set(input.subjectIds)].map((id) => [subjectSlot(id).name, id]));
  const rows = await findSlotsByNames(db, input.tenantId, [...names.keys()]);
  return new Map(rows.map((row) => [names.get(row.name)!, toState(names.get(row.name)!, row)]));
}

/**
 * scheduleSubjectKeyDestruction for many subjects at once (a purge erases thousands of customers):
 * the same rules and the same audit event per key, but a few multi-row statements and one audit
 * append per call instead of four round trips and an audit lock per key. Subjects without a key
 * are absent from the result; an already scheduled key keeps its earlier date and is not audited
 * again. All or nothing: it runs in the caller's transaction, or in its own.
 */
export async function scheduleSubjectKeysDestruction(
  deps: SubjectKeyDeps,
  db: Db,
  input: ScheduleManyInput,
): Promise<Map<string, SubjectKeyState>> {
  const windowMs = input.windowMs ?? deps.destructionWindowMs;
  if (!Number.isInteger(windowMs) || windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS)
    throw cryptoError('DESTRUCTION_WINDOW_INVALID');
  return inTransaction(db, async (trx) => {
    const states = await subjectKeyStates(trx, input);
    const active = [...states.values()].filter((s) => s.status === 'active');
    if (active.length === 0) return states;
    const now = deps.clock.now();
    const destroyAfter = now + windowMs;
    const changed = await scheduleActiveSlots(
      trx,
      input.tenantId,
      active.map((s) => s.keyId),
      { destroyAfter, now },
    );
    const events: KeyAuditEvent[] = [];
    for (const state of active) {
      if (!changed.has(state.keyId)) continue;
      states.set(state.subjectId, { ...state, status: 'destruction_scheduled', destroyAfter });
      events.push({
        tenantId: input.tenantId,
        actor: input.actor,
        action: 'keys.subject.destruction_scheduled',
        outcome: 'success',
        target: { type: 'subject_key', id: state.keyId },
        ...(input.reason ? { reason: input.reason } : {}),
        details: { destroyAfter: new Date(destroyAfter).toISOString(), windowHours: windowMs / HOUR_MS },
        sensitive: { subjectId: state.subjectId },
      });
    }
    // A key another transaction moved meanwhile is reported as it is now, like the single call.
    const moved = active.filter((s) => !changed.has(s.keyId)).map((s) => s.subjectId);
    if (moved.length > 0) {
      const current = await subjectKeyStates(trx, { tenantId: input.tenantId, subjectIds: moved });
      for (const id of moved) {
        const state = current.get(id);
        if (state) states.set(id, state);
        else states.delete(id);
      }
    }
    await deps.audit.recordMany(trx, events);
    return states;
  });
}
