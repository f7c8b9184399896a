import type { DbOrTransaction } from '../audit/index.ts';
import type {
  RetentionCertificatesTable,
  RetentionChecksTable,
  RetentionRunsTable,
  RetentionSubjectShredsTable,
} from './retention.tables.ts';

// --- runs ------------------------------------------------------------------------------------

export async function insertRun(db: DbOrTransaction, row: RetentionRunsTable): Promise<void> {
  await db.insertInto('retention_runs').values(row).execute();
}

export async function finishRun(
  db: DbOrTransaction,
  tenantId: string,
  id: string,
  fields: Pick<RetentionRunsTable, 'finished_at' | 'status' | 'report' | 'certificates'>,
): Promise<void> {
  await db
    .updateTable('retention_runs')
    .set(fields)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Runs still marked running: under the single-run lock, these belong to a process that died. */
export async function markInterruptedRuns(
  db: DbOrTransaction,
  tenantId: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('retention_runs')
    .set({ status: 'interrupted', finished_at: now })
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function listRuns(db: DbOrTransaction, tenantId: string, limit: number) {
  return db
    .selectFrom('retention_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

// --- certificates ----------------------------------------------------------------------------

export async function insertCertificate(db: DbOrTransaction, row: RetentionCertificatesTable): Promise<void> {
  await db.insertInto('retention_certificates').values(row).execute();
}

export function findCertificate(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('retention_certificates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listCertificates(
  db: DbOrTransaction,
  tenantId: string,
  f: { originId?: string; beforeId?: string; limit: number },
) {
  let query = db
    .selectFrom('retention_certificates')
    .select([
      'id',
      'origin_kind',
      'origin_id',
      'sequence',
      'issued_at',
      'sha256',
      'key_id',
      'item_count',
      'audit_event_id',
    ])
    .where('tenant_id', '=', tenantId);
  if (f.originId) query = query.where('origin_id', '=', f.originId);
  if (f.beforeId) query = query.where('id', '<', f.beforeId);
  return query.orderBy('id', 'desc').limit(f.limit).execute();
}

/** Full certificates of one origin, in order (tests and the run summary compare them with reality). */
export function listCertificateDocuments(db: DbOrTransaction, tenantId: string, originId: string) {
  return db
    .selectFrom('retention_certificates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('origin_id', '=', originId)
    .orderBy('sequence')
    .execute();
}

export async function nextCertificateSequence(
  db: DbOrTransaction,
  tenantId: string,
  originId: string,
): Promise<number> {
  const row = await db
    .selectFrom('retention_certificates')
    .select((eb) => eb.fn.max('sequence').as('last'))
    .where('tenant_id', '=', tenantId)
    .where('origin_id', '=', originId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
}

// --- recording files still to remove ---------------------------------------------------------

export async function insertPendingFiles(
  db: DbOrTransaction,
  tenantId: string,
  certificateId: string,
  ids: readonly string[],
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  const rows = ids.map((id) => ({
    tenant_id: tenantId,
    interaction_id: id,
    certificate_id: certificateId,
    created_at: now,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('retention_pending_files')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['tenant_id', 'interaction_id']).doNothing())
      .execute();
  }
}

export function listPendingFiles(db: DbOrTransaction, tenantId: string, limit: number) {
  return db
    .selectFrom('retention_pending_files')
    .select('interaction_id')
    .where('tenant_id', '=', tenantId)
    .orderBy('interaction_id')
    .limit(limit)
    .execute();
}

export async function deletePendingFiles(
  db: DbOrTransaction,
  tenantId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('retention_pending_files')
    .where('tenant_id', '=', tenantId)
    .where('interaction_id', 'in', ids)
    .execute();
}

// --- subject shreds --------------------------------------------------------------------------

/** Queues customers whose keys are to be destroyed (status pending); a re-queued one starts over. */
export async function queueSubjectShreds(
  db: DbOrTransaction,
  tenantId: string,
  subjectIds: readonly string[],
  origin: { kind: string; id: string; now: number },
): Promise<void> {
  const rows: RetentionSubjectShredsTable[] = subjectIds.map((subjectId) => ({
    tenant_id: tenantId,
    subject_id: subjectId,
    origin_kind: origin.kind,
    origin_id: origin.id,
    scheduled_at: origin.now,
    destroy_after: origin.now,
    status: 'pending',
    checked_at: origin.now,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('retention_subject_shreds')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'subject_id']).doUpdateSet((eb) => ({
          origin_kind: eb.ref('excluded.origin_kind'),
          origin_id: eb.ref('excluded.origin_id'),
          scheduled_at: eb.ref('excluded.scheduled_at'),
          destroy_after: eb.ref('excluded.destroy_after'),
          status: eb.ref('excluded.status'),
          checked_at: eb.ref('excluded.checked_at'),
        })),
      )
      .execute();
  }
}

/** Shreds in a status, soonest first; optionally only these customers. */
export function listShreds(
  db: DbOrTransaction,
  tenantId: string,
  f: { status: string; subjectIds?: readonly string[]; limit: number },
) {
  let query = db
    .selectFrom('retention_subject_shreds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', '=', f.status);
  if (f.subjectIds) query = query.where('subject_id', 'in', f.subjectIds);
  return query.orderBy('destroy_after').orderBy('subject_id').limit(f.limit).execute();
}

/** Marks queued shreds scheduled, all with the same destruction date (one statement per 500). */
export async function markShredsScheduled(
  db: DbOrTransaction,
  tenantId: string,
  subjectIds: readonly string[],
  destroyAfter: number,
  now: number,
): Promise<void> {
  for (let i = 0; i < subjectIds.length; i += 500) {
    await db
      .updateTable('retention_subject_shreds')
      .set({ status: 'scheduled', destroy_after: destroyAfter, scheduled_at: now, checked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_id', 'in', subjectIds.slice(i, i + 500))
      .execute();
  }
}

export async function setShredStatus(
  db: DbOrTransaction,
  tenantId: string,
  subjectIds: readonly string[],
  status: string,
  now: number,
): Promise<void> {
  for (let i = 0; i < subjectIds.length; i += 500) {
    await db
      .updateTable('retention_subject_shreds')
      .set({ status, checked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('subject_id', 'in', subjectIds.slice(i, i + 500))
      .execute();
  }
}

// --- compliance checks -----------------------------------------------------------------------

export async function insertCheck(db: DbOrTransaction, row: RetentionChecksTable): Promise<void> {
  await db.insertInto('retention_checks').values(row).execute();
}

export function listChecks(db: DbOrTransaction, tenantId: string, limit: number) {
  return db
    .selectFrom('retention_checks')
    .select(['id', 'performed_at', 'sha256', 'key_id', 'overdue', 'audit_event_id'])
    .where('tenant_id', '=', tenantId)
    .orderBy('performed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function findCheck(db: DbOrTransaction, tenantId: string, id: string) {
  return db
    .selectFrom('retention_checks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

// --- erasure journal watermark ---------------------------------------------------------------

export async function journalWatermark(db: DbOrTransaction, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('retention_journal_state')
    .select('applied_seq')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row ? Number(row.applied_seq) : 0;
}

export async function setJournalWatermark(
  db: DbOrTransaction,
  tenantId: string,
  seq: number,
  now: number,
): Promise<void> {
  await db
    .insertInto('retention_journal_state')
    .values({ tenant_id: tenantId, applied_seq: seq, updated_at: now })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ applied_seq: seq, updated_at: now }))
    .execute();
}
