import type { DbOrTransaction } from '../audit/index.ts';
import type { RecordingStore } from '../recordings/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { StoredDocument } from './interactions.document.ts';
import type { FieldCipher } from './interactions.ports.ts';
import {
  clearRecordingFlags,
  countInteractionsOfSubjects,
  deleteInteractionsByIds,
  findInteractionById,
  findInteractionsIngestedBefore,
  findInteractionsOfSubject,
  findRecordedIngestedBefore,
  type IngestedCursor,
  replaceWithAnonymized,
} from './interactions.queries.ts';

export type { IngestedCursor };

export interface LifecycleDeps {
  clock: Clock;
  cipher: FieldCipher;
  recordings: RecordingStore;
}

export interface ExpiredInteraction {
  id: string;
  subjectId: string | null;
  hasRecording: boolean;
  ingestedAt: number;
  anonymized: boolean;
  /** Clear filter columns, for legal holds defined as a query. */
  category: string;
  channel: string;
  queue: string | null;
  agentRef: string | null;
  startedAt: number | null;
}

type LifecycleRow = {
  id: string;
  subject_id: string | null;
  has_recording: number;
  ingested_at: number;
  anonymized_at: number | null;
  category: string;
  channel: string;
  queue: string | null;
  agent_ref: string | null;
  started_at: number | null;
};

const toExpired = (r: LifecycleRow): ExpiredInteraction => ({
  id: r.id,
  subjectId: r.subject_id,
  hasRecording: Boolean(r.has_recording),
  ingestedAt: Number(r.ingested_at),
  anonymized: r.anonymized_at !== null,
  category: r.category,
  channel: r.channel,
  queue: r.queue,
  agentRef: r.agent_ref,
  startedAt: r.started_at === null ? null : Number(r.started_at),
});

export interface SubjectExport {
  id: string;
  ingestedAt: number;
  document: StoredDocument;
  /** The original values of redacted spans (never card numbers, security codes or PINs). */
  redactedValues: Record<string, string>;
}

/** Strips every identifying field of customers; the redacted conversation itself stays. */
export function anonymizeDocument(document: StoredDocument): StoredDocument {
  return {
    ...document,
    participants: document.participants.map((p) =>
      p.role === 'customer' || p.role === 'unknown' ? { ref: p.ref, role: p.role } : p,
    ),
    attributes: {},
    media: document.media.map(({ uri: _uri, fileName: _fileName, ...rest }) => rest),
    segments: document.segments.map((s) => ({ ...s, findings: s.findings.map(({ ref: _ref, ...f }) => f) })),
  };
}

/**
 * What retention and data-subject requests need from stored interactions, behind the feature's
 * index: finding expired rows, deleting, anonymizing, exporting one subject's data.
 */
export function createInteractionsLifecycle(deps: LifecycleDeps) {
  async function decryptBody(
    db: DbOrTransaction,
    tenantId: string,
    row: { id: string; subject_id: string | null; body: Buffer },
  ) {
    const plaintext = await deps.cipher.decrypt(db, {
      tenantId,
      subjectId: row.subject_id ?? undefined,
      table: 'interactions',
      column: 'body',
      rowId: row.id,
      ciphertext: Buffer.from(row.body),
    });
    return JSON.parse(plaintext.toString('utf8')) as StoredDocument;
  }

  return {
    async findIngestedBefore(
      db: DbOrTransaction,
      f: {
        tenantId: string;
        category: string;
        before: number;
        excludeIds: readonly string[];
        onlyIdentified?: boolean;
        after?: IngestedCursor;
        limit: number;
      },
    ): Promise<ExpiredInteraction[]> {
      return (await findInteractionsIngestedBefore(db, f)).map(toExpired);
    },

    /** Oldest first: interactions with a recording file, ingested before `before` (recording retention). */
    async findRecordedBefore(
      db: DbOrTransaction,
      f: { tenantId: string; before: number; after?: IngestedCursor; limit: number },
    ): Promise<ExpiredInteraction[]> {
      return (await findRecordedIngestedBefore(db, f)).map(toExpired);
    },

    /** Marks the recordings of these interactions removed (the transcript stays); files go after commit. */
    clearRecordings: (trx: DbOrTransaction, tenantId: string, ids: readonly string[]) =>
      clearRecordingFlags(trx, tenantId, ids, deps.clock.now()),

    /** How many interactions each subject still has; subjects with none are absent from the map. */
    async remainingOfSubjects(
      db: DbOrTransaction,
      tenantId: string,
      subjectIds: readonly string[],
    ): Promise<Map<string, number>> {
      const rows = await countInteractionsOfSubjects(db, tenantId, subjectIds);
      return new Map(rows.map((r) => [r.subject_id as string, Number(r.n)]));
    },

    /** Deletes rows (and their finding counts) in the caller's transaction; recordings go after commit. */
    deleteInteractions: (trx: DbOrTransaction, tenantId: string, ids: readonly string[]) =>
      deleteInteractionsByIds(trx, tenantId, ids),

    /** Removes the encrypted recording files of deleted interactions; call after the deletion committed. */
    async deleteRecordings(tenantId: string, ids: readonly string[]): Promise<number> {
      let removed = 0;
      for (const id of ids) if (await deps.recordings.delete(tenantId, id)) removed++;
      return removed;
    },

    /**
     * Keeps the redacted interaction without identifying fields, re-encrypted under the tenant's
     * general key so that a later erasure of the customer does not take it along.
     */
    async anonymize(trx: DbOrTransaction, tenantId: string, id: string): Promise<boolean> {
      const row = await findInteractionById(trx, tenantId, id);
      if (!row || row.anonymized_at !== null) return false;
      const document = anonymizeDocument(await decryptBody(trx, tenantId, row));
      const body = await deps.cipher.encrypt(trx, {
        tenantId,
        table: 'interactions',
        column: 'body',
        rowId: id,
        plaintext: Buffer.from(JSON.stringify(document)),
      });
      await replaceWithAnonymized(trx, tenantId, id, { body, now: deps.clock.now() });
      return true;
    },

    async listOfSubject(
      db: DbOrTransaction,
      tenantId: string,
      subjectId: string,
    ): Promise<ExpiredInteraction[]> {
      return (await findInteractionsOfSubject(db, tenantId, subjectId)).map(toExpired);
    },

    /** Everything held about one subject, decrypted, for a DSAR access export. */
    async exportSubject(db: DbOrTransaction, tenantId: string, subjectId: string): Promise<SubjectExport[]> {
      const rows = await findInteractionsOfSubject(db, tenantId, subjectId);
      const out: SubjectExport[] = [];
      for (const row of rows) {
        const document = await decryptBody(db, tenantId, row);
        const originals = row.originals
          ? (JSON.parse(
              (
                await deps.cipher.decrypt(db, {
                  tenantId,
                  subjectId,
                  table: 'interactions',
                  column: 'originals',
                  rowId: row.id,
                  ciphertext: Buffer.from(row.originals),
                })
              ).toString('utf8'),
            ) as Record<string, string>)
          : {};
        out.push({ id: row.id, ingestedAt: Number(row.ingested_at), document, redactedValues: originals });
      }
      return out;
    },
  };
}

export type InteractionsLifecycle = ReturnType<typeof createInteractionsLifecycle>;
