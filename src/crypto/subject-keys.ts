import { DAY_MS, HOUR_MS } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import { cryptoError } from './crypto.errors.ts';
import { listTenantIds } from './crypto.queries.ts';
import type { SlotStatus } from './crypto.tables.ts';
import type { KeyActor, KeyAudit, KeyAuditEvent, KeyJobContext } from './crypto.types.ts';
import { findDueSubjectSlots, findSlotByName, updateSlotSchedule } from './data-keys.queries.ts';
import type { KeyStore, SlotSpec } from './key-store.ts';
import { deleteDataKeysOfSlots, markSlotsDestroyed } from './subject-keys.queries.ts';

export const DEFAULT_DESTRUCTION_WINDOW_MS = 7 * DAY_MS;
export const MIN_WINDOW_MS = HOUR_MS;
export const MAX_WINDOW_MS = 365 * DAY_MS;
const SUBJECT_ID = /^[\x21-\x7e]{1,200}$/;

export interface SubjectKeyDeps {
  db: Db;
  store: KeyStore;
  audit: KeyAudit;
  clock: { now(): number };
  /** How long a scheduled destruction can still be cancelled, unless the call names its own. */
  destructionWindowMs: number;
}

export interface SubjectKeyState {
  subjectId: string;
  keyId: string;
  status: SlotStatus;
  /** When the key will be destroyed (epoch ms), while destruction is scheduled. */
  destroyAfter: number | null;
}

/** The slot of one data subject's key. Subject ids are opaque ids (never an email or a phone). */
export function subjectSlot(subjectId: string): SlotSpec {
  if (!SUBJECT_ID.test(subjectId)) throw cryptoError('SUBJECT_ID_INVALID');
  return { name: `subject:${subjectId}`, purpose: 'subject', domain: 'data' };
}

export const toState = (
  subjectId: string,
  row: { key_id: string; status: SlotStatus; destroy_after: number | null },
): SubjectKeyState => ({
  subjectId,
  keyId: row.key_id,
  status: row.status,
  destroyAfter: row.destroy_after === null ? null : Number(row.destroy_after),
});

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/** The state of a subject's key, or null when nothing was ever encrypted under one. */
export async function subjectKeyState(
  db: Db,
  input: { tenantId: string; subjectId: string },
): Promise<SubjectKeyState | null> {
  const row = await findSlotByName(db, input.tenantId, subjectSlot(input.subjectId).name);
  return row ? toState(input.subjectId, row) : null;
}

/**
 * Step one of crypto-shredding: the key will be destroyed once the window has passed, and can be
 * cancelled until then. Scheduling an already scheduled key keeps the earlier date.
 */
export async function scheduleSubjectKeyDestruction(
  deps: SubjectKeyDeps,
  db: Db,
  input: { tenantId: string; subjectId: string; actor: KeyActor; reason?: string; windowMs?: number },
): Promise<SubjectKeyState> {
  const windowMs = input.windowMs ?? deps.destructionWindowMs;
  if (!Number.isInteger(windowMs) || windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS)
    throw cryptoError('DESTRUCTION_WINDOW_INVALID');
  return inTransaction(db, async (trx) => {
    const slot = await findSlotByName(trx, input.tenantId, subjectSlot(input.subjectId).name);
    if (!slot) throw cryptoError('SUBJECT_KEY_NOT_FOUND');
    if (slot.status !== 'active') return toState(input.subjectId, slot);
    const now = deps.clock.now();
    const destroyAfter = now + windowMs;
    const changed = await updateSlotSchedule(trx, input.tenantId, slot.key_id, {
      from: 'active',
      to: 'destruction_scheduled',
      destroyAfter,
      now,
    });
    if (changed === 0) return (await subjectKeyState(trx, input))!;
    await deps.audit.record(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'keys.subject.destruction_scheduled',
      outcome: 'success',
      target: { type: 'subject_key', id: slot.key_id },
      ...(input.reason ? { reason: input.reason } : {}),
      details: { destroyAfter: new Date(destroyAfter).toISOString(), windowHours: windowMs / HOUR_MS },
      sensitive: { subjectId: input.subjectId },
    });
    return { subjectId: input.subjectId, keyId: slot.key_id, status: 'destruction_scheduled', destroyAfter };
  });
}

/** Cancels a scheduled destruction (the window has not passed yet). */
export async function cancelSubjectKeyDestruction(
  deps: SubjectKeyDeps,
  db: Db,
  input: { tenantId: string; subjectId: string; actor: KeyActor; reason?: string },
): Promise<SubjectKeyState> {
  return inTransaction(db, async (trx) => {
    const slot = await findSlotByName(trx, input.tenantId, subjectSlot(input.subjectId).name);
    if (!slot) throw cryptoError('SUBJECT_KEY_NOT_FOUND');
    const now = deps.clock.now();
    const changed = await updateSlotSchedule(trx, input.tenantId, slot.key_id, {
      from: 'destruction_scheduled',
      to: 'active',
      destroyAfter: null,
      now,
    });
    if (changed === 0) throw cryptoError('SUBJECT_KEY_NOT_SCHEDULED');
    await deps.audit.record(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'keys.subject.destruction_cancelled',
      outcome: 'success',
      target: { type: 'subject_key', id: slot.key_id },
      ...(input.reason ? { reason: input.reason } : {}),
      sensitive: { subjectId: input.subjectId },
    });
    return { subjectId: input.subjectId, keyId: slot.key_id, status: 'active', destroyAfter: null };
  });
}

export interface DestroyReport {
  tenants: number;
  destroyed: number;
  batches: number;
  [key: string]: number;
}

const JOB_ACTOR: KeyActor = {
  type: 'system',
  id: 'job:keys.destroy-subject-keys',
  name: 'subject key destruction',
};

/**
 * Step two: destroys every key whose window has passed. The key rows are deleted and the slot
 * kept as a tombstone, so reading the data afterwards reports SUBJECT_KEY_DESTROYED rather than
 * corruption. Batched, each batch one transaction with a few multi-row statements and one audit
 * append; idempotent.
 */
export async function destroyDueSubjectKeys(
  deps: SubjectKeyDeps,
  context: KeyJobContext,
  options: { batchSize?: number } = {},
): Promise<DestroyReport> {
  const batchSize = options.batchSize ?? 500;
  const report: DestroyReport = { tenants: 0, destroyed: 0, batches: 0 };
  for (const tenantId of await listTenantIds(deps.db)) {
    if (context.signal.aborted) break;
    let touched = false;
    for (;;) {
      if (context.signal.aborted) break;
      const due = await findDueSubjectSlots(deps.db, tenantId, context.now, batchSize);
      if (due.length === 0) break;
      const destroyed = await deps.db.transaction().execute(async (trx) => {
        // A cancellation that committed since the read wins: its slot no longer matches the update.
        const changed = await markSlotsDestroyed(
          trx,
          tenantId,
          due.map((slot) => slot.key_id),
          context.now,
        );
        const done = due.filter((slot) => changed.has(slot.key_id));
        const versions = await deleteDataKeysOfSlots(
          trx,
          tenantId,
          done.map((slot) => slot.key_id),
        );
        const events: KeyAuditEvent[] = done.map((slot) => ({
          tenantId,
          actor: JOB_ACTOR,
          action: 'keys.subject.destroyed',
          outcome: 'success',
          target: { type: 'subject_key', id: slot.key_id },
          details: { keyVersions: versions.get(slot.key_id) ?? 0 },
          sensitive: { subjectId: slot.name.slice('subject:'.length) },
        }));
        // One audit append for the batch (one lock and sequence read), committed with the deletions.
        await deps.audit.recordMany(trx, events);
        return done;
      });
      for (const slot of destroyed) deps.store.forgetDataKey(tenantId, slot.key_id, slot.name);
      report.destroyed += destroyed.length;
      report.batches++;
      touched = touched || destroyed.length > 0;
      if (due.length < batchSize) break;
    }
    if (touched) report.tenants++;
  }
  return report;
}
