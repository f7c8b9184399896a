import type { AuditRecorder } from '../audit/index.ts';
import type { CompiledRedactionPolicy } from '../redaction/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectIdentifiers, SubjectsService } from '../subjects/index.ts';
import type { BodyTemplate } from './interactions.body.ts';
import type { BuiltDocument } from './interactions.document.ts';
import type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
import type { InteractionHead } from './interactions.rows.ts';
import type { Interaction } from './model/index.ts';

export interface IngestActor {
  type: 'user' | 'api_key' | 'system';
  id: string;
  name?: string;
}

export interface IngestContext {
  tenantId: string;
  actor: IngestActor;
  origin?: { ip?: string; userAgent?: string };
  requestId?: string;
}

export type IngestOutcome = 'created' | 'updated' | 'unchanged';

export interface IngestResult {
  id: string;
  sourceId: string;
  outcome: IngestOutcome;
  findings: Record<string, number>;
}

export interface IngestDeps {
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  subjects: SubjectsService;
  cipher: FieldCipher;
  vault: CardTokenizer;
  policyFor(tenantId: string): Promise<CompiledRedactionPolicy>;
}

/**
 * A built document as the store step takes it: the stored document as a JSON template (see
 * interactions.body.ts) rather than as objects, so a worker thread's result is cheap to receive.
 */
export type PreparedDocument = Omit<BuiltDocument, 'document'> & { body: BodyTemplate };

/** An interaction with its redaction done: what the transaction stores. Structured-clonable. */
export interface Prepared {
  /** The whole interaction: only merging reads it (from a worker thread it is parsed on first use). */
  interaction: Interaction;
  head: InteractionHead;
  built: PreparedDocument;
  /** Card numbers found per segment, in text order (see cardsBySegment). */
  cards: (string | null)[][];
  customer: SubjectIdentifiers;
}
