export { ADAPTER_NAMES, type AdapterName } from './adapters/index.ts';
export {
  type IngestFilesOptions,
  type IngestProgress,
  type IngestSummary,
  ingestFiles,
  listInputFiles,
} from './ingest-files/ingest-files.ts';
export { createPreparePool, type PreparePool } from './ingest-files/prepare-pool.ts';
export type { StoredDocument } from './interactions.document.ts';
export type { IngestContext, IngestResult, IngestService } from './interactions.ingest.ts';
export type {
  ExpiredInteraction,
  IngestedCursor,
  InteractionsLifecycle,
  SubjectExport,
} from './interactions.lifecycle.ts';
export {
  createInteractionsModule,
  type InteractionsModule,
  type InteractionsModuleDeps,
} from './interactions.module.ts';
export type { CardTokenizer, FieldCipher } from './interactions.ports.ts';
export type { InteractionsReadService, ReadContext } from './interactions.read.ts';
export type { InteractionsTables } from './interactions.tables.ts';
export { type Interaction, interactionSchema } from './model/index.ts';
