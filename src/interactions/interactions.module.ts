import type { FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/index.ts';
import type { HttpModule } from '../http/build-app.ts';
import { createFileRecordingStore, type RecordingStore } from '../recordings/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectsService } from '../subjects/index.ts';
import { createPreparePool, type PreparePool } from './ingest-files/prepare-pool.ts';
import { createIngestService } from './interactions.ingest.ts';
import { createInteractionsLifecycle } from './interactions.lifecycle.ts';
import type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
import { createInteractionsReadService, type ReadContext } from './interactions.read.ts';
import { createRecordingsService } from './interactions.recordings.ts';
import { interactionsHttpModule } from './interactions.routes.ts';
import { createPayloadParser } from './payload-parser.ts';
import { createRedactionPolicyService } from './redaction-policy.service.ts';

export interface InteractionsModuleDeps {
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  subjects: SubjectsService;
  cipher: FieldCipher;
  vault: CardTokenizer;
  /** Directory of the encrypted recordings (DATA_DIR/recordings), unless another store is given. */
  recordingsDir: string;
  recordingStore?: RecordingStore;
  recordingMask?: { mode: 'silence' | 'tone'; paddingMs: number };
  maxRecordingBytes?: number;
  publicUrl?: string;
  twilioAuthToken(tenantId: string): Promise<string | undefined>;
}

/** Everything about interactions, composed once: ingest, reading, recordings, lifecycle, HTTP. */
export function createInteractionsModule(deps: InteractionsModuleDeps) {
  const policies = createRedactionPolicyService({
    storage: deps.storage,
    clock: deps.clock,
    audit: deps.audit,
  });
  const ingest = createIngestService({ ...deps, policyFor: (tenantId) => policies.policyFor(tenantId) });
  const read = createInteractionsReadService(deps);
  const store = deps.recordingStore ?? createFileRecordingStore(deps.recordingsDir);
  const recordings = createRecordingsService({
    ...deps,
    store,
    read,
    options: deps.recordingMask ?? { mode: 'tone', paddingMs: 150 },
  });
  const lifecycle = createInteractionsLifecycle({
    clock: deps.clock,
    cipher: deps.cipher,
    recordings: store,
  });
  // Worker threads for the parsing and redaction of large API batches, started on first use.
  let pool: PreparePool | undefined;
  const prepareOffThread = async (tenantId: string, values: unknown[], receivedAtMs: number) => {
    pool ??= createPreparePool(undefined, { unref: true });
    const policy = await policies.get(tenantId);
    return pool.prepareValues({
      adapter: 'generic',
      values,
      pathPrefix: 'interactions',
      policy,
      receivedAtMs,
    });
  };
  const parser = createPayloadParser({
    twilioAuthToken: deps.twilioAuthToken,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  return {
    policies,
    ingest,
    read,
    recordings,
    lifecycle,
    parser,
    /** Stops the worker threads, if any were started. */
    async close(): Promise<void> {
      const running = pool;
      pool = undefined;
      await running?.close();
    },
    http(readContext: (request: FastifyRequest) => Promise<ReadContext>): HttpModule {
      return interactionsHttpModule({
        ingest,
        read,
        recordings,
        parser,
        readContext,
        maxRecordingBytes: deps.maxRecordingBytes ?? 200 * 1024 * 1024,
        prepareOffThread,
        now: () => deps.clock.now(),
      });
    },
  };
}

export type InteractionsModule = ReturnType<typeof createInteractionsModule>;
