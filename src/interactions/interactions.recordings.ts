import type { AuditRecorder } from '../audit/index.ts';
import { type RecordingStore, redactWav } from '../recordings/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';
import { interactionError } from './interactions.errors.ts';
import type { FieldCipher } from './interactions.ports.ts';
import { setRecordingFlag } from './interactions.queries.ts';
import type { InteractionsReadService, ReadContext } from './interactions.read.ts';

export interface RecordingsDeps {
  storage: Pick<Storage, 'db'>;
  clock: Clock;
  audit: AuditRecorder;
  cipher: FieldCipher;
  store: RecordingStore;
  read: InteractionsReadService;
  /** Masking style and safety margin around approximate ASR word timings. */
  options: { mode: 'silence' | 'tone'; paddingMs: number };
}

/**
 * Recordings are redacted before they are stored: the time ranges of every spoken finding are
 * muted (or replaced by a tone), and only the redacted audio is kept, encrypted under the
 * customer's key. The original bytes live only in memory for the duration of the request.
 */
export function createRecordingsService(deps: RecordingsDeps) {
  const { db } = deps.storage;
  return {
    async upload(
      ctx: ReadContext,
      interactionId: string,
      wav: Buffer,
    ): Promise<{ maskedMs: number; ranges: number; bytes: number }> {
      const { row, document } = await deps.read.get(ctx, interactionId);
      const ranges = document.segments.flatMap((s) => s.audioRanges);
      const { audio, maskedMs, ranges: merged } = redactWav(wav, ranges, deps.options);
      wav.fill(0);
      const ciphertext = await deps.cipher.encrypt(db, {
        tenantId: ctx.tenantId,
        subjectId: row.subject_id ?? undefined,
        table: 'recordings',
        column: 'audio',
        rowId: row.id,
        plaintext: audio,
      });
      await deps.store.put(ctx.tenantId, row.id, ciphertext);
      await db.transaction().execute(async (trx) => {
        await setRecordingFlag(trx, ctx.tenantId, row.id, true, deps.clock.now());
        await deps.audit.record(trx, {
          tenantId: ctx.tenantId,
          actor: ctx.actor,
          action: 'recordings.store',
          outcome: 'success',
          target: { type: 'interaction', id: row.id },
          details: { maskedMs, ranges: merged.length, bytes: audio.length },
          ...(ctx.origin ? { origin: ctx.origin } : {}),
          ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        });
      });
      return { maskedMs, ranges: merged.length, bytes: audio.length };
    },

    /** The redacted recording, decrypted for playback; every playback is audited. */
    async play(ctx: ReadContext, interactionId: string): Promise<Buffer> {
      const { row } = await deps.read.get(ctx, interactionId);
      const ciphertext = row.has_recording ? await deps.store.get(ctx.tenantId, row.id) : undefined;
      if (!ciphertext) throw interactionError('RECORDING_NOT_FOUND');
      const audio = await deps.cipher.decrypt(db, {
        tenantId: ctx.tenantId,
        subjectId: row.subject_id ?? undefined,
        table: 'recordings',
        column: 'audio',
        rowId: row.id,
        ciphertext,
      });
      await deps.audit.record(db, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: 'recordings.play',
        outcome: 'success',
        target: { type: 'interaction', id: row.id },
        ...(ctx.origin ? { origin: ctx.origin } : {}),
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      });
      return audio;
    },
  };
}
