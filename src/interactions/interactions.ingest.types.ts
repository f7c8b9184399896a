import type { AuditRecorder } from '../audit/index.ts';
import type { CompiledRedactionPolicy } from '../redaction/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Storage } from '../storage/index.ts';
import type { SubjectIdentifiers, SubjectsService } from '../subjects/index.ts';
import type { BuiltDocument } from './interactions.document.ts';
import type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
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

/** An interaction with its redaction done: what the transaction stores. Structured-clonable. */
export interface Prepared {
  interaction: Interaction;
  built: BuiltDocument;
  /** Card numbers found per segment, in text order (see cardsBySegment). */
  cards: (string | null)[][];
  customer: SubjectIdentifiers;
}
