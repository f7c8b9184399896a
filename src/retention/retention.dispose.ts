import type { AuditEventInput } from '../audit/index.ts';
import type { ExpiredInteraction, InteractionsLifecycle } from '../interactions/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Db } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import type { VaultRetention } from '../vault/index.ts';
import type { Certificates, DisposalContents, IssuedCertificate } from './retention.certificates.ts';
import {
  deletePendingFiles,
  insertPendingFiles,
  listPendingFiles,
  queueSubjectShreds,
} from './retention.disposal.queries.ts';
import { retentionError } from './retention.errors.ts';
import type { LegalHolds } from './retention.holds.ts';
import type { Policy } from './retention.rules.ts';

export interface DisposeDeps {
  clock: Clock;
  lifecycle: Pick<
    InteractionsLifecycle,
    'deleteInteractions' | 'anonymize' | 'clearRecordings' | 'remainingOfSubjects' | 'deleteRecordings'
  >;
  subjects: Pick<SubjectsService, 'markErasedMany' | 'getMany'>;
  vault: Pick<VaultRetention, 'deleteTokens'>;
  holds: Pick<LegalHolds, 'heldAmong'>;
  certificates: Pick<Certificates, 'issue'>;
}

/** What one batch destroys, already decided (expired, not held) by the caller inside its transaction. */
export interface DisposalBatch {
  tenantId: string;
  origin: DisposalContents['origin'];
  job: string;
  actor: AuditEventInput['actor'];
  referenceAt: number;
  policies: readonly Policy[];
  deleteRows: readonly ExpiredInteraction[];
  anonymizeRows: readonly ExpiredInteraction[];
  /** Recording retention: the file goes, the transcript stays. */
  recordingRows: readonly ExpiredInteraction[];
  tokens: readonly string[];
  /** Customer profiles to erase outright (customer-profile retention, DSAR erasure). */
  profiles: readonly string[];
}

export interface DisposalResult {
  certificate: IssuedCertificate | null;
  deleted: number;
  anonymized: number;
  recordingsRemoved: number;
  tokensDeleted: number;
  subjectsErased: string[];
}

/**
 * Erases customers left with nothing: their profile is forgotten (blind indexes dropped) and their
 * key queued for destruction, which the same job schedules right after the batch (one audited
 * key operation per customer is too slow to hold a purge transaction). A held customer keeps both.
 */
async function eraseEmptySubjects(
  trx: Db,
  deps: DisposeDeps,
  batch: DisposalBatch,
  touched: readonly string[],
): Promise<string[]> {
  const candidates = [...new Set([...touched, ...batch.profiles])];
  if (candidates.length === 0) return [];
  const remaining = await deps.lifecycle.remainingOfSubjects(trx, batch.tenantId, candidates);
  // Most customers of a purge batch still have younger interactions: only the others are read.
  const withNothing = candidates.filter((id) => !remaining.has(id));
  if (withNothing.length === 0) return [];
  const subjects = await deps.subjects.getMany(trx, batch.tenantId, withNothing);
  const empty = withNothing.filter((id) => subjects.get(id)?.erasedAt === null);
  const records = empty.map((id) => ({
    id,
    category: 'customer_profile' as const,
    subjectId: id,
    createdAt: subjects.get(id)!.createdAt,
  }));
  const held = await deps.holds.heldAmong(trx, batch.tenantId, records, batch.referenceAt);
  const erased = empty.filter((id) => !held.has(id));
  await deps.subjects.markErasedMany(trx, batch.tenantId, erased);
  await queueSubjectShreds(trx, batch.tenantId, erased, {
    kind: batch.origin.kind,
    id: batch.origin.id,
    now: deps.clock.now(),
  });
  return erased;
}

/**
 * Destroys one decided batch in the caller's transaction and issues its certificate there, so the
 * certificate lists exactly what the commit removed. Recording files are only queued here; the
 * caller removes them after the commit with flushPendingFiles (a crash leaves them queued).
 */
export async function disposeInTransaction(
  trx: Db,
  deps: DisposeDeps,
  batch: DisposalBatch,
): Promise<DisposalResult> {
  const { tenantId } = batch;
  const deleteIds = batch.deleteRows.map((r) => r.id);
  const deleted = await deps.lifecycle.deleteInteractions(trx, tenantId, deleteIds);
  // The rows were read in this transaction; fewer deleted means a concurrent erasure won the race.
  // Rolling back keeps the certificate exact; the next batch or run reads the rows again.
  if (deleted !== deleteIds.length) throw retentionError('DISPOSAL_RACE');
  const anonymized: ExpiredInteraction[] = [];
  for (const row of batch.anonymizeRows)
    if (await deps.lifecycle.anonymize(trx, tenantId, row.id)) anonymized.push(row);
  // The customer's voice identifies them and is encrypted under their key: anonymizing drops it too.
  const keptWithoutRecording = [...batch.recordingRows, ...anonymized.filter((r) => r.hasRecording)].map(
    (r) => r.id,
  );
  await deps.lifecycle.clearRecordings(trx, tenantId, keptWithoutRecording);
  const files = [...batch.deleteRows.filter((r) => r.hasRecording).map((r) => r.id), ...keptWithoutRecording];
  const tokensDeleted = await deps.vault.deleteTokens(trx, tenantId, batch.tokens);
  const touched = [...batch.deleteRows, ...anonymized]
    .map((r) => r.subjectId)
    .filter((s): s is string => s !== null);
  const erased = await eraseEmptySubjects(trx, deps, batch, touched);
  const contents: DisposalContents = {
    tenantId,
    origin: batch.origin,
    job: batch.job,
    actor: batch.actor,
    referenceAt: batch.referenceAt,
    policies: batch.policies,
    items: [
      ...['voice_transcript', 'chat', 'email', 'sms'].flatMap((category) => [
        {
          category,
          action: 'deleted' as const,
          ids: batch.deleteRows.filter((r) => r.category === category).map((r) => r.id),
        },
        {
          category,
          action: 'anonymized' as const,
          ids: anonymized.filter((r) => r.category === category).map((r) => r.id),
        },
      ]),
      { category: 'recording', action: 'recording_removed', ids: files },
      { category: 'card_token', action: 'deleted', ids: batch.tokens },
      { category: 'customer_profile', action: 'erased', ids: erased },
    ],
    subjectKeys: { subjectIds: erased },
    recordingFiles: files.length,
  };
  const empty =
    deleteIds.length + anonymized.length + files.length + batch.tokens.length + erased.length === 0;
  const certificate = empty ? null : await deps.certificates.issue(trx, contents);
  if (certificate) await insertPendingFiles(trx, tenantId, certificate.id, files, deps.clock.now());
  return {
    certificate,
    deleted,
    anonymized: anonymized.length,
    recordingsRemoved: files.length,
    tokensDeleted,
    subjectsErased: erased,
  };
}

/** Removes queued recording files (after their disposal committed); resumes whatever a crash left. */
export async function flushPendingFiles(
  db: Db,
  deps: Pick<DisposeDeps, 'lifecycle'>,
  tenantId: string,
  batchSize = 500,
): Promise<number> {
  let removed = 0;
  for (;;) {
    const pending = (await listPendingFiles(db, tenantId, batchSize)).map((r) => r.interaction_id);
    if (pending.length === 0) return removed;
    removed += await deps.lifecycle.deleteRecordings(tenantId, pending);
    await deletePendingFiles(db, tenantId, pending);
    if (pending.length < batchSize) return removed;
  }
}
